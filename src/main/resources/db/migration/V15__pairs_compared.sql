-- Entity resolution's work in a sync run: the pairs of a record and a candidate (a shard sharing a blocking key, or an
-- earlier record of the page) it scored. Against all pairs it tells how much blocking spared.
ALTER TABLE sync_executions ADD COLUMN pairs_compared BIGINT DEFAULT 0 NOT NULL;
