-- The receiver URL the provider was given (a renewal that must re-create the subscription gives the same one, also when
-- it runs outside any request and hub.public-url is unset), and what the last renewal did (renewed, or re-created and a
-- catch-up sync queued), and when.
ALTER TABLE webhook_registrations ADD COLUMN callback_url VARCHAR(1000);
ALTER TABLE webhook_registrations ADD COLUMN last_renewed_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE webhook_registrations ADD COLUMN last_renewal VARCHAR(500);
