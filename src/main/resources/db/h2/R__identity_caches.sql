-- H2 only (the embedded default; the postgres profile reads db/postgres instead). An identity column hands out values
-- from a block kept in memory; when the block runs out, H2 records the next one in a commit of its own, and with
-- WRITE_DELAY=0 every commit writes all unsaved pages of the store to its file, those of transactions still running
-- included. With H2's block of 32, a sync page appending 2,000 events did that about 60 times. The blocks are
-- database-wide, so values still follow the order they were taken in; a hub killed mid-block skips the rest of it.
-- Re-runnable: setting a block size twice changes nothing.
ALTER TABLE events ALTER COLUMN seq SET CACHE 10000;
ALTER TABLE write_outbox ALTER COLUMN seq SET CACHE 10000;
ALTER TABLE sync_execution_steps ALTER COLUMN seq SET CACHE 1000;
