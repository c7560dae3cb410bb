-- A run that waits on its queue (throttled, circuit open, provider unavailable) keeps its entity's lease: this is when
-- it comes back (null while it runs). A waiting run does not count toward its tenant's running syncs, and the entity's
-- queued run waits for it instead of starting beside it.
ALTER TABLE sync_checkpoints ADD COLUMN lease_resume_at TIMESTAMP WITH TIME ZONE;

-- How often a run went back on its queue to wait.
ALTER TABLE sync_executions ADD COLUMN requeues INT DEFAULT 0 NOT NULL;

-- When a trigger last joined the entity's queued run: a queued run that had to wait behind another starts once
-- triggers have stopped joining it for a moment (a burst of changes makes one run, not one per cycle).
ALTER TABLE sync_checkpoints ADD COLUMN queued_touched_at TIMESTAMP WITH TIME ZONE;
