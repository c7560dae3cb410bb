-- Entity resolution. A tenant's match rules per shard type, as the JSON document the API shows (no row: the built-in
-- defaults of processors.matching.DefaultMatchRules).
CREATE TABLE match_rules (
    tenant_id   VARCHAR(64)  NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    shard_type  VARCHAR(40)  NOT NULL,
    rules       VARCHAR      NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (tenant_id, shard_type)
);

-- The blocking keys of every shard that can be matched: an incoming record is compared only with the shards sharing a
-- key with it. The primary key's index leads with (tenant_id, shard_type, blocking_key) and holds shard_id, so the
-- candidates of a record are one index range scan per key; the second index removes a shard's keys.
CREATE TABLE match_blocking_keys (
    tenant_id     VARCHAR(64)  NOT NULL,
    shard_type    VARCHAR(40)  NOT NULL,
    blocking_key  VARCHAR(255) NOT NULL,
    shard_id      VARCHAR(36)  NOT NULL,
    PRIMARY KEY (tenant_id, shard_type, blocking_key, shard_id)
);
CREATE INDEX match_blocking_keys_shard ON match_blocking_keys (tenant_id, shard_id);
