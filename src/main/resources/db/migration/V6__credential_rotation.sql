-- Rotation policy per connection's credentials: how old they may get, how long before that the hub warns,
-- when they were set (each connect), and when the hub last warned.
ALTER TABLE integration_connections ADD COLUMN credentials_set_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE integration_connections ADD COLUMN rotation_max_age_days INT;
ALTER TABLE integration_connections ADD COLUMN rotation_warn_days INT;
ALTER TABLE integration_connections ADD COLUMN rotation_warned_at TIMESTAMP WITH TIME ZONE;
