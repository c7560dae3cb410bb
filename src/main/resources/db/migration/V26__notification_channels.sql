-- Operator notifications (Slack, Microsoft Teams). A channel is one destination of a tenant (tenant_id null: hub-wide,
-- the administrator's) with its rule (event type patterns, minimum severity, integrations), its grouping periods and
-- quiet hours. Its secret (bot token, webhook URL) lives in the credential vault under secret_name, never here.
-- health: healthy, or unhealthy after a 4xx other than 408/429 (health_reason says why). next_send_at paces the
-- platform's rate per destination across instances.
CREATE TABLE notification_channels (
    id                VARCHAR(40)              PRIMARY KEY,
    tenant_id         VARCHAR(64),
    name              VARCHAR(200)             NOT NULL,
    kind              VARCHAR(20)              NOT NULL,
    slack_channel     VARCHAR(200),
    secret_name       VARCHAR(255)             NOT NULL,
    event_types       VARCHAR(2000)            NOT NULL,
    min_severity      VARCHAR(16)              NOT NULL,
    integrations      VARCHAR(4000),
    group_wait_s      INT                      NOT NULL,
    group_interval_s  INT                      NOT NULL,
    repeat_interval_s INT                      NOT NULL,
    quiet_start       VARCHAR(5),
    quiet_end         VARCHAR(5),
    time_zone         VARCHAR(64),
    enabled           BOOLEAN                  NOT NULL,
    health            VARCHAR(16)              NOT NULL,
    health_reason     VARCHAR(500),
    next_send_at      TIMESTAMP WITH TIME ZONE,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX notification_channels_tenant ON notification_channels (tenant_id);

-- One group per channel and group key (tenant, integration, category), as Alertmanager groups alerts: events counted
-- since the last message (pending, with the first examples as JSON), flush_at when the next message is due (null:
-- nothing pending), last_sent_at for group_interval, last_event_at for repeat_interval, pending_since when the first
-- event now pending came (a circuit open that long turns critical).
CREATE TABLE notification_groups (
    id             VARCHAR(40)              PRIMARY KEY,
    channel_id     VARCHAR(40)              NOT NULL REFERENCES notification_channels (id) ON DELETE CASCADE,
    tenant_id      VARCHAR(64),
    group_key      VARCHAR(400)             NOT NULL,
    integration_id VARCHAR(64),
    category       VARCHAR(64)              NOT NULL,
    provider       VARCHAR(64),
    severity       VARCHAR(16)              NOT NULL,
    total_count    BIGINT                   NOT NULL,
    pending_count  BIGINT                   NOT NULL,
    event_types    VARCHAR(2000)            NOT NULL,
    examples       VARCHAR(20000)           NOT NULL,
    first_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    last_event_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    last_sent_at   TIMESTAMP WITH TIME ZONE,
    flush_at       TIMESTAMP WITH TIME ZONE,
    pending_since  TIMESTAMP WITH TIME ZONE,
    UNIQUE (channel_id, group_key)
);
CREATE INDEX notification_groups_due ON notification_groups (flush_at);

-- Events already taken into groups: each event counts once, whichever instance and however often the broker hands it.
CREATE TABLE notification_intake (
    event_id  VARCHAR(40)              PRIMARY KEY,
    taken_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Messages to send and sent (the delivery history). status: held (quiet hours, until next_attempt_at), pending, sent,
-- failed. model is the rendered message model (JSON); claimed_until keeps one instance on a message at a time.
CREATE TABLE notifications (
    id              VARCHAR(40)              PRIMARY KEY,
    channel_id      VARCHAR(40)              NOT NULL REFERENCES notification_channels (id) ON DELETE CASCADE,
    tenant_id       VARCHAR(64),
    group_key       VARCHAR(400),
    event_type      VARCHAR(64)              NOT NULL,
    severity        VARCHAR(16)              NOT NULL,
    event_count     BIGINT                   NOT NULL,
    title           VARCHAR(500)             NOT NULL,
    model           VARCHAR(60000)           NOT NULL,
    status          VARCHAR(16)              NOT NULL,
    attempts        INT                      NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    claimed_until   TIMESTAMP WITH TIME ZONE,
    last_status     INT,
    last_error      VARCHAR(500),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    sent_at         TIMESTAMP WITH TIME ZONE
);
CREATE INDEX notifications_due ON notifications (status, next_attempt_at);
CREATE INDEX notifications_tenant ON notifications (tenant_id, created_at);

-- A tenant's template for an event type ('*' for every type), replacing the built-in one: title, text and the example
-- line of each event, with {placeholders}.
CREATE TABLE notification_templates (
    tenant_id   VARCHAR(64)              NOT NULL,
    event_type  VARCHAR(64)              NOT NULL,
    title       VARCHAR(500)             NOT NULL,
    body        VARCHAR(4000)            NOT NULL,
    example     VARCHAR(1000)            NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (tenant_id, event_type)
);
