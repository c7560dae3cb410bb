-- The trace a shard write belongs to (W3C traceparent of the request that made it, null when tracing is off): the
-- outbox relay continues it on the sync-outbound message, so one trace follows the write to the provider call.
ALTER TABLE write_outbox ADD COLUMN trace_parent VARCHAR(64);
