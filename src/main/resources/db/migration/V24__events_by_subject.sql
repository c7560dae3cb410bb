-- An execution's timeline in the console: the events about one subject (sync.completed, sync.cancelled ... of a run).
CREATE INDEX events_subject ON events (tenant_id, subject);
