-- A cancel asked for through the API (any instance): the run stops at its next page boundary, keeping committed pages.
ALTER TABLE sync_executions ADD COLUMN cancel_requested_at TIMESTAMP WITH TIME ZONE;
-- The run a retry repeats (POST .../executions/{execId}/retry), for the execution's timeline.
ALTER TABLE sync_executions ADD COLUMN retry_of VARCHAR(36);
-- The console's execution table: a tenant's runs newest first, across its integrations.
CREATE INDEX sync_executions_tenant ON sync_executions (tenant_id, created_at, id);
