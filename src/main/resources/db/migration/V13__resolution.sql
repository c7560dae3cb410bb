-- Entity resolution: what the resolver and people decided, and which source records belong (or must never belong) to
-- which shard.

-- One row per decision, with its explanation (each field's comparator, value pair, similarity and weight, the total and
-- the thresholds). kind: merge (a record joined a shard), review (a possible match waiting for a person: the record got
-- a shard of its own, other_shard_id), fields (a merged record's values that differ, under manual_review, waiting for a
-- person), unmerge (a source split back out into other_shard_id). status: applied, pending, accepted, rejected, undone.
-- The versions are the shards' when the decision was taken: accepting after either changed is refused (409).
CREATE TABLE match_decisions (
    id                VARCHAR(36)  PRIMARY KEY,
    tenant_id         VARCHAR(64)  NOT NULL,
    shard_type        VARCHAR(40)  NOT NULL,
    kind              VARCHAR(20)  NOT NULL,
    status            VARCHAR(20)  NOT NULL,
    shard_id          VARCHAR(36)  NOT NULL,
    other_shard_id    VARCHAR(36),
    integration_id    VARCHAR(36)  NOT NULL,
    external_entity   VARCHAR(100) NOT NULL,
    external_id       VARCHAR(255) NOT NULL,
    score             DOUBLE PRECISION,
    explanation       VARCHAR      NOT NULL,
    shard_version     BIGINT,
    other_version     BIGINT,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    decided_at        TIMESTAMP WITH TIME ZONE,
    decided_by        VARCHAR(200)
);
CREATE INDEX match_decisions_status ON match_decisions (tenant_id, status, created_at, id);
CREATE INDEX match_decisions_shard ON match_decisions (shard_id);
CREATE INDEX match_decisions_other ON match_decisions (other_shard_id);

-- A source record's standing with a shard beyond the current link: asserted (a person accepted it), inferred (the
-- resolver merged it), retracted (unmerged or rejected: the resolver never joins them again).
CREATE TABLE match_links (
    integration_id    VARCHAR(36)  NOT NULL,
    external_entity   VARCHAR(100) NOT NULL,
    external_id       VARCHAR(255) NOT NULL,
    shard_id          VARCHAR(36)  NOT NULL,
    tenant_id         VARCHAR(64)  NOT NULL,
    kind              VARCHAR(20)  NOT NULL,
    decision_id       VARCHAR(36),
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (integration_id, external_entity, external_id, shard_id)
);
CREATE INDEX match_links_shard ON match_links (shard_id);

-- What entity resolution did in a sync run: records that joined an existing shard, records given a shard of their own
-- with a possible match for a person, records without any blocking key (never compared).
ALTER TABLE sync_executions ADD COLUMN records_merged BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE sync_executions ADD COLUMN records_in_review BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE sync_executions ADD COLUMN records_unblocked BIGINT DEFAULT 0 NOT NULL;
