-- The fencing token of the delivery of a run that holds its integration+entity. A run's queue message can be delivered
-- twice at once: its instance was paused (SIGSTOP, a long GC pause) or lost the broker, and the broker gave the message
-- to another instance, which resumed the run from its checkpoint under the same execution id. Each claim writes a new
-- token; a page, the deletions and the completion commit only while the token is still theirs, so the earlier delivery
-- stops at its next page instead of writing beside the later one.
ALTER TABLE sync_checkpoints ADD COLUMN lease_token VARCHAR(36);
