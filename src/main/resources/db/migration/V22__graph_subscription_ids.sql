-- A Microsoft Graph registration is several subscriptions (one per Teams channel, one per drive root): its provider id
-- holds their ids (36 characters each) joined by spaces.
ALTER TABLE webhook_registrations ALTER COLUMN provider_webhook_id SET DATA TYPE VARCHAR(4000);
