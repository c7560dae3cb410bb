-- The trace an event belongs to (W3C traceparent of the request or sync that recorded it, null when tracing is off):
-- the events relay continues it on the topic message, and an outgoing webhook message made of the event keeps it, so
-- its delivery (the POST to the tenant's endpoint) is in the same trace.
ALTER TABLE events ADD COLUMN trace_parent VARCHAR(64);
ALTER TABLE webhook_messages ADD COLUMN trace_parent VARCHAR(64);
-- The trace a sync run was queued in (null when tracing is off): a provider's change that joins the queued run instead
-- of queuing its own links its trace to this one, where the run is.
ALTER TABLE sync_executions ADD COLUMN trace_parent VARCHAR(64);
