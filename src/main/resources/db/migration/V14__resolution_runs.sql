-- Batch entity resolution of shards that exist (after match rules change or an integration is added): one row per run,
-- its progress and counts. A run works through the tenant's shards of one type in id order, page by page, first
-- indexing their blocking keys (phase keys), then matching each shard against the shards before it (phase matching);
-- each page commits with the run's cursor, so a run interrupted by a crash resumes after its last committed page.
CREATE TABLE resolution_runs (
    id                VARCHAR(36)  PRIMARY KEY,
    tenant_id         VARCHAR(64)  NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    shard_type        VARCHAR(40)  NOT NULL,
    status            VARCHAR(20)  NOT NULL,
    phase             VARCHAR(20)  NOT NULL,
    cursor_shard_id   VARCHAR(36),
    shards_total      BIGINT       DEFAULT 0 NOT NULL,
    shards_indexed    BIGINT       DEFAULT 0 NOT NULL,
    shards_matched    BIGINT       DEFAULT 0 NOT NULL,
    pairs_compared    BIGINT       DEFAULT 0 NOT NULL,
    merged            BIGINT       DEFAULT 0 NOT NULL,
    in_review         BIGINT       DEFAULT 0 NOT NULL,
    unblocked         BIGINT       DEFAULT 0 NOT NULL,
    attempts          INT          DEFAULT 0 NOT NULL,
    error             VARCHAR(2000),
    requested_by      VARCHAR(200),
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at        TIMESTAMP WITH TIME ZONE,
    finished_at       TIMESTAMP WITH TIME ZONE,
    -- tenant and shard type while the run is queued or running, null once it ended: one active run per type, even
    -- when two requests race
    active_key        VARCHAR(120) UNIQUE
);
CREATE INDEX resolution_runs_tenant ON resolution_runs (tenant_id, created_at, id);
CREATE INDEX resolution_runs_active ON resolution_runs (tenant_id, shard_type, status);

-- A run reads a tenant's retracted links (what people split apart or refused) once a page.
CREATE INDEX match_links_kind ON match_links (tenant_id, kind);
