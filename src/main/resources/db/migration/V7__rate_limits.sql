-- Rate-limit overrides set through the API; defaults come from the provider catalog and settings.
CREATE TABLE integration_rate_limits (
    integration_id  VARCHAR(36)   PRIMARY KEY REFERENCES integrations (id) ON DELETE CASCADE,
    tenant_id       VARCHAR(64)   NOT NULL,
    settings        VARCHAR(4000) NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE tenant_rate_limits (
    tenant_id   VARCHAR(64)   PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    settings    VARCHAR(4000) NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Token buckets shared by every instance (postgres profile; Bucket4j keeps its serialized state here).
CREATE TABLE rate_limit_buckets (
    id     VARCHAR(300) PRIMARY KEY,
    state  BYTEA
);
