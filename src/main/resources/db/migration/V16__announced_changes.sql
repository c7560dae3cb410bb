-- Adapters whose provider only pushes edits and deletions (Slack) read what an integration's deliveries announced in a
-- window of time: by registration, then time.
CREATE INDEX webhook_deliveries_registration_received ON webhook_deliveries (registration_id, received_at);
