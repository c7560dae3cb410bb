-- Webhook registrations, the delivery log, and the coalescing marker for webhook-triggered syncs.

CREATE TABLE webhook_registrations (
    id                    VARCHAR(36)  PRIMARY KEY,
    tenant_id             VARCHAR(64)  NOT NULL,
    integration_id        VARCHAR(36)  NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    scheme                VARCHAR(40)  NOT NULL,
    events                VARCHAR(4000) NOT NULL,
    settings              VARCHAR(4000) NOT NULL,
    secret_name           VARCHAR(300),
    status                VARCHAR(20)  NOT NULL,
    consecutive_failures  INT          NOT NULL,
    total_failures        BIGINT       NOT NULL,
    last_success_at       TIMESTAMP WITH TIME ZONE,
    last_failure_at       TIMESTAMP WITH TIME ZONE,
    last_failure_reason   VARCHAR(500),
    provider_webhook_id   VARCHAR(300),
    expires_at            TIMESTAMP WITH TIME ZONE,
    created_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at            TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX webhook_registrations_integration ON webhook_registrations (integration_id, created_at);

-- Every delivery that reached a registration, accepted or not. delivery_key is the provider's delivery id
-- (unique per registration: a second copy is a duplicate); duplicates and refusals are logged without one.
CREATE TABLE webhook_deliveries (
    id                VARCHAR(36)   PRIMARY KEY,
    registration_id   VARCHAR(36)   NOT NULL REFERENCES webhook_registrations (id) ON DELETE CASCADE,
    tenant_id         VARCHAR(64)   NOT NULL,
    delivery_key      VARCHAR(500),
    received_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    verification      VARCHAR(20)   NOT NULL,
    status            VARCHAR(20)   NOT NULL,
    http_status       INT           NOT NULL,
    events            VARCHAR(8000),
    reason            VARCHAR(1000),
    outcome           VARCHAR(1000),
    ack_ms            INT,
    processed_at      TIMESTAMP WITH TIME ZONE,
    latency_ms        BIGINT
);
-- Bodies of accepted deliveries, apart from the log rows so that status updates do not rewrite them.
CREATE TABLE webhook_delivery_payloads (
    delivery_id  VARCHAR(36) PRIMARY KEY REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    payload      VARCHAR     NOT NULL
);
CREATE UNIQUE INDEX webhook_deliveries_key ON webhook_deliveries (registration_id, delivery_key);
CREATE INDEX webhook_deliveries_tenant ON webhook_deliveries (tenant_id, received_at);
CREATE INDEX webhook_deliveries_received ON webhook_deliveries (received_at);

-- A webhook-triggered run queued but not started yet for this entity: later changes ride along with it.
ALTER TABLE sync_checkpoints ADD COLUMN queued_execution_id VARCHAR(36);
