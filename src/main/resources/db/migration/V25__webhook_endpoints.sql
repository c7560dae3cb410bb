-- Outgoing webhooks (Standard Webhooks): a tenant's endpoints, one message per endpoint and event, and each attempt.
-- An endpoint's signing secrets live in the vault under secret_name (fields secret, previous); secret_version moves
-- with each rotation (caches key on it); previous_secret_until ends the 24 h in which the replaced secret still signs.
-- failing_since: the first failure since the last success (an endpoint failing for hub.webhooks-out.disable-after is
-- disabled). event_types and shard_types: JSON arrays (shard_types null: every shard type).
CREATE TABLE webhook_endpoints (
    id                     VARCHAR(40)              PRIMARY KEY,
    tenant_id              VARCHAR(64)              NOT NULL,
    url                    VARCHAR(2048)            NOT NULL,
    description            VARCHAR(500),
    event_types            VARCHAR(4000)            NOT NULL,
    shard_types            VARCHAR(1000),
    status                 VARCHAR(16)              NOT NULL,
    disabled_reason        VARCHAR(500),
    disabled_at            TIMESTAMP WITH TIME ZONE,
    failing_since          TIMESTAMP WITH TIME ZONE,
    secret_name            VARCHAR(255)             NOT NULL,
    secret_version         INT                      NOT NULL,
    previous_secret_until  TIMESTAMP WITH TIME ZONE,
    created_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at             TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX webhook_endpoints_tenant ON webhook_endpoints (tenant_id, status);

-- One message per endpoint and event: id is the webhook-id, derived from both, so the relay sending an event again
-- makes no second message. payload is the body every attempt sends. next_attempt_at is set while the message waits
-- for an attempt (status pending) and null once delivered or failed; lease_until marks a claim by one instance's
-- sender (taken again by any instance once it passed: a crash mid-send loses nothing).
CREATE TABLE webhook_messages (
    id               VARCHAR(40)              PRIMARY KEY,
    tenant_id        VARCHAR(64)              NOT NULL,
    endpoint_id      VARCHAR(40)              NOT NULL,
    event_id         VARCHAR(40)              NOT NULL,
    event_type       VARCHAR(64)              NOT NULL,
    payload          TEXT                     NOT NULL,
    status           VARCHAR(16)              NOT NULL,
    attempts         INT                      NOT NULL,
    next_attempt_at  TIMESTAMP WITH TIME ZONE,
    lease_until      TIMESTAMP WITH TIME ZONE,
    last_status      INT,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT webhook_messages_event UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_messages_due ON webhook_messages (next_attempt_at);
CREATE INDEX webhook_messages_endpoint_due ON webhook_messages (endpoint_id, next_attempt_at);
CREATE INDEX webhook_messages_endpoint ON webhook_messages (endpoint_id, created_at);

-- Every attempt: when, what came back (status 0: no answer), how long it took, and whether it was a replay.
CREATE TABLE webhook_attempts (
    id               VARCHAR(40)              PRIMARY KEY,
    tenant_id        VARCHAR(64)              NOT NULL,
    endpoint_id      VARCHAR(40)              NOT NULL,
    message_id       VARCHAR(40)              NOT NULL,
    event_type       VARCHAR(64)              NOT NULL,
    attempt          INT                      NOT NULL,
    attempted_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    response_status  INT                      NOT NULL,
    outcome          VARCHAR(16)              NOT NULL,
    duration_ms      BIGINT                   NOT NULL,
    error            VARCHAR(500)
);
CREATE INDEX webhook_attempts_endpoint ON webhook_attempts (endpoint_id, attempted_at, id);
CREATE INDEX webhook_attempts_message ON webhook_attempts (message_id, attempted_at);
