-- Records an integrator's record filter (YAML route from the record-filter template) left out of a run: neither
-- written nor failed, counted apart so processed = created + updated + unchanged + failed + skipped.
ALTER TABLE sync_executions ADD COLUMN records_skipped BIGINT DEFAULT 0 NOT NULL;
