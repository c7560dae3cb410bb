-- Providers with a change feed (Dataverse change tracking) resume from a link the provider gave, not from the highest
-- change marker of the records: a delta link with its query is longer than a timestamp.
ALTER TABLE sync_checkpoints ALTER COLUMN high_water_mark SET DATA TYPE VARCHAR(16000);
ALTER TABLE sync_checkpoints ALTER COLUMN pass_cursor SET DATA TYPE VARCHAR(16000);
-- Where a pass of such a provider goes on (its records come in no order of their markers, so the last record's marker
-- is no resume point): the provider's cursor of the page after the last one committed (a Dataverse next link).
ALTER TABLE sync_checkpoints ADD COLUMN pass_page_cursor VARCHAR(16000);

-- What operators should know about a run beyond its counts, e.g. that the provider refused the change marker an
-- incremental pass started from (an expired delta token) and the pass became a full pass.
ALTER TABLE sync_executions ADD COLUMN notice VARCHAR(500);
