-- Domain model of the hub. Portable SQL: runs unchanged on H2 (embedded) and PostgreSQL (scaled out).
-- JSON documents live in VARCHAR columns (on H2 a CLOB made batch upserts 2.5 times slower).

CREATE TABLE tenants (
    id          VARCHAR(64)  PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Tenant API keys: only a SHA-256 of the key is kept; the key itself is shown once.
CREATE TABLE api_keys (
    id          VARCHAR(36)  PRIMARY KEY,
    tenant_id   VARCHAR(64)  NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    key_hash    VARCHAR(64)  NOT NULL UNIQUE,
    key_prefix  VARCHAR(16)  NOT NULL,
    name        VARCHAR(200),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at  TIMESTAMP WITH TIME ZONE
);

-- Provider catalog, written at startup from the adapter registry.
CREATE TABLE integration_providers (
    id                            VARCHAR(64)  PRIMARY KEY,
    name                          VARCHAR(200) NOT NULL,
    category                      VARCHAR(40)  NOT NULL,
    status                        VARCHAR(20)  NOT NULL,
    audience                      VARCHAR(20)  NOT NULL,
    auth_types                    VARCHAR(400) NOT NULL,
    entities                      VARCHAR      NOT NULL,
    default_rate_limit_per_minute INT          NOT NULL,
    updated_at                    TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE integrations (
    id                    VARCHAR(36)  PRIMARY KEY,
    tenant_id             VARCHAR(64)  NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    provider_id           VARCHAR(64)  NOT NULL REFERENCES integration_providers (id),
    name                  VARCHAR(200) NOT NULL,
    status                VARCHAR(20)  NOT NULL,
    sync_enabled          BOOLEAN      NOT NULL,
    sync_direction        VARCHAR(20)  NOT NULL,
    sync_frequency        VARCHAR(100),
    conflict_resolution   VARCHAR(40)  NOT NULL,
    max_records_per_sync  INT,
    settings              VARCHAR      NOT NULL,
    last_sync_at          TIMESTAMP WITH TIME ZONE,
    created_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at            TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX integrations_tenant ON integrations (tenant_id, created_at);

-- A connection names its secret; the secret itself lives in the vault.
CREATE TABLE integration_connections (
    integration_id     VARCHAR(36)  PRIMARY KEY REFERENCES integrations (id) ON DELETE CASCADE,
    tenant_id          VARCHAR(64)  NOT NULL,
    auth_type          VARCHAR(40)  NOT NULL,
    secret_name        VARCHAR(300) NOT NULL,
    status             VARCHAR(20)  NOT NULL,
    expires_at         TIMESTAMP WITH TIME ZONE,
    last_refreshed_at  TIMESTAMP WITH TIME ZONE,
    last_tested_at     TIMESTAMP WITH TIME ZONE,
    last_error         VARCHAR(2000),
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at         TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Local vault: AEAD ciphertext (base64) bound to the secret name as associated data.
CREATE TABLE vault_secrets (
    name        VARCHAR(300) PRIMARY KEY,
    tenant_id   VARCHAR(64),
    ciphertext  VARCHAR      NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE shards (
    id               VARCHAR(36) PRIMARY KEY,
    tenant_id        VARCHAR(64) NOT NULL,
    shard_type       VARCHAR(40) NOT NULL,
    structured_data  VARCHAR     NOT NULL,
    version          BIGINT      NOT NULL,
    deleted          BOOLEAN     NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    deleted_at       TIMESTAMP WITH TIME ZONE
);
CREATE INDEX shards_tenant_type ON shards (tenant_id, shard_type, id);

-- One row per (integration, provider entity, provider id): the upsert key of inbound sync.
CREATE TABLE shard_external_relationships (
    integration_id        VARCHAR(36)  NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    external_entity       VARCHAR(100) NOT NULL,
    external_id           VARCHAR(255) NOT NULL,
    shard_id              VARCHAR(36)  NOT NULL REFERENCES shards (id) ON DELETE CASCADE,
    tenant_id             VARCHAR(64)  NOT NULL,
    sync_direction        VARCHAR(20)  NOT NULL,
    last_synced_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    external_version      VARCHAR(100),
    content_hash          VARCHAR(64)  NOT NULL,
    last_synced_snapshot  VARCHAR,
    PRIMARY KEY (integration_id, external_entity, external_id)
);
CREATE INDEX ser_shard ON shard_external_relationships (shard_id);

-- Graph edges between shards, addressed by the target's provider id so order of arrival does not matter.
CREATE TABLE shard_relations (
    shard_id               VARCHAR(36)  NOT NULL REFERENCES shards (id) ON DELETE CASCADE,
    relation_type          VARCHAR(60)  NOT NULL,
    target_shard_type      VARCHAR(40)  NOT NULL,
    target_integration_id  VARCHAR(36)  NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    target_entity          VARCHAR(100) NOT NULL,
    target_external_id     VARCHAR(255) NOT NULL,
    PRIMARY KEY (shard_id, relation_type, target_integration_id, target_entity, target_external_id)
);

CREATE TABLE sync_tasks (
    id                 VARCHAR(36)  PRIMARY KEY,
    tenant_id          VARCHAR(64)  NOT NULL,
    integration_id     VARCHAR(36)  NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    name               VARCHAR(200),
    entity             VARCHAR(100) NOT NULL,
    mode               VARCHAR(20)  NOT NULL,
    schedule           VARCHAR(120),
    enabled            BOOLEAN      NOT NULL,
    next_run_at        TIMESTAMP WITH TIME ZONE,
    last_run_at        TIMESTAMP WITH TIME ZONE,
    last_execution_id  VARCHAR(36),
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at         TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX sync_tasks_integration ON sync_tasks (integration_id, created_at);
CREATE INDEX sync_tasks_due ON sync_tasks (next_run_at);

CREATE TABLE sync_executions (
    id                 VARCHAR(36)  PRIMARY KEY,
    tenant_id          VARCHAR(64)  NOT NULL,
    integration_id     VARCHAR(36)  NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    task_id            VARCHAR(36),
    entity             VARCHAR(100) NOT NULL,
    mode               VARCHAR(20)  NOT NULL,
    sync_trigger       VARCHAR(20)  NOT NULL,
    status             VARCHAR(20)  NOT NULL,
    phase              VARCHAR(40)  NOT NULL,
    records_processed  BIGINT       NOT NULL,
    records_created    BIGINT       NOT NULL,
    records_updated    BIGINT       NOT NULL,
    records_unchanged  BIGINT       NOT NULL,
    records_deleted    BIGINT       NOT NULL,
    records_failed     BIGINT       NOT NULL,
    more_pending       BOOLEAN      NOT NULL,
    error              VARCHAR(2000),
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at         TIMESTAMP WITH TIME ZONE,
    finished_at        TIMESTAMP WITH TIME ZONE,
    duration_ms        BIGINT
);
CREATE INDEX sync_executions_integration ON sync_executions (integration_id, created_at);

-- Why individual records failed, so a bad record is visible without failing its batch.
CREATE TABLE sync_record_failures (
    execution_id  VARCHAR(36)  NOT NULL REFERENCES sync_executions (id) ON DELETE CASCADE,
    seq           INT          NOT NULL,
    external_id   VARCHAR(255),
    reason        VARCHAR(1000) NOT NULL,
    PRIMARY KEY (execution_id, seq)
);

-- Cursor state per integration and provider entity: completed high-water mark, the pass in progress, the lease.
CREATE TABLE sync_checkpoints (
    integration_id      VARCHAR(36)  NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    entity              VARCHAR(100) NOT NULL,
    high_water_mark     VARCHAR(100),
    pass_mode           VARCHAR(20),
    pass_cursor         VARCHAR(100),
    deletes_checked_at  TIMESTAMP WITH TIME ZONE,
    lease_execution_id  VARCHAR(36),
    lease_until         TIMESTAMP WITH TIME ZONE,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (integration_id, entity)
);

CREATE TABLE audit_log (
    id           VARCHAR(36)  PRIMARY KEY,
    tenant_id    VARCHAR(64),
    actor        VARCHAR(100) NOT NULL,
    action       VARCHAR(60)  NOT NULL,
    target_type  VARCHAR(40),
    target_id    VARCHAR(300),
    detail       VARCHAR(2000),
    at           TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX audit_log_tenant ON audit_log (tenant_id, at);
