package store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Checkpoints and the lease that lets one run at a time advance an integration+entity. */
@Repository
public class CheckpointStore {

    /** A condition on a checkpoint row: its queued run is stored and has not started (nor ended without starting). */
    private static final String QUEUED_RUN_PENDING =
            "EXISTS (SELECT 1 FROM sync_executions e WHERE e.id = sync_checkpoints.queued_execution_id AND e.status = 'pending')";

    /**
     * The run no longer holds the lease (it expired and another run took over, or another delivery of this same run
     * claimed it: {@link #toAnotherDelivery()}): its page must not commit.
     */
    public static class LeaseLostException extends RuntimeException {
        private final boolean toAnotherDelivery;

        LeaseLostException(String message) {
            this(message, false);
        }

        LeaseLostException(String message, boolean toAnotherDelivery) {
            super(message);
            this.toAnotherDelivery = toAnotherDelivery;
        }

        /** The same execution is held by a later delivery of its queue message: the run goes on there. */
        public boolean toAnotherDelivery() {
            return toAnotherDelivery;
        }
    }

    private final JdbcClient jdbc;

    public CheckpointStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Checkpoint load(String integrationId, String entity) {
        return find(integrationId, entity);
    }

    /** Takes the lease for this execution unless another live run holds it; creates the checkpoint on first use. */
    public boolean claim(String integrationId, String entity, String executionId, String token, OffsetDateTime leaseUntil) {
        ensureExists(integrationId, entity);
        return jdbc.sql("""
                UPDATE sync_checkpoints SET lease_execution_id = ?, lease_token = ?, lease_until = ?, lease_resume_at = NULL, updated_at = ?
                WHERE integration_id = ? AND entity = ?
                  AND (lease_execution_id IS NULL OR lease_execution_id = ? OR lease_until < ?)""")
                .params(executionId, token, leaseUntil, Timestamps.now(), integrationId, entity, executionId, Timestamps.now())
                .update() == 1;
    }

    /**
     * In the caller's transaction, before it writes for the run: locks the checkpoint row and checks that this delivery
     * of the execution still holds the lease (its claim's token), else {@link LeaseLostException}. The fence against an
     * earlier delivery of the same run that a pause or a lost broker connection left running beside a later one.
     */
    public void checkHolder(String integrationId, String entity, String executionId, String token) {
        record Holder(String executionId, String token) {
        }
        Holder holder = jdbc.sql("SELECT lease_execution_id, lease_token FROM sync_checkpoints WHERE integration_id = ? AND entity = ? FOR UPDATE")
                .params(integrationId, entity).query((rs, n) -> new Holder(rs.getString(1), rs.getString(2))).optional()
                .orElse(new Holder(null, null));
        if (!executionId.equals(holder.executionId())) {
            throw new LeaseLostException("execution " + executionId + " no longer holds the sync lease");
        }
        if (!java.util.Objects.equals(token, holder.token())) {
            throw new LeaseLostException("execution " + executionId + " is held by a later delivery of its run", true);
        }
    }

    /**
     * Live leases of the tenant's runs that are running (not waiting on their queue), other than on the given
     * integration+entity: how many of its syncs are running now.
     */
    public long countRunning(String tenantId, String integrationId, String entity) {
        return jdbc.sql("""
                SELECT COUNT(*) FROM sync_checkpoints c JOIN integrations i ON i.id = c.integration_id
                WHERE i.tenant_id = ? AND c.lease_execution_id IS NOT NULL AND c.lease_until > ? AND c.lease_resume_at IS NULL
                  AND NOT (c.integration_id = ? AND c.entity = ?)""")
                .params(tenantId, Timestamps.now(), integrationId, entity).query(Long.class).single();
    }

    public void startPass(String integrationId, String entity, String executionId, String mode, String cursor) {
        fenced(jdbc.sql("""
                UPDATE sync_checkpoints SET pass_mode = ?, pass_cursor = ?, pass_page_cursor = NULL, updated_at = ?
                WHERE integration_id = ? AND entity = ? AND lease_execution_id = ?""")
                .params(mode, cursor, Timestamps.now(), integrationId, entity, executionId).update(), executionId);
    }

    /** Moves the pass cursor and renews the lease; in the page's transaction, so cursor and shards commit together. */
    public void advance(String integrationId, String entity, String executionId, String cursor, OffsetDateTime leaseUntil) {
        advance(integrationId, entity, executionId, cursor, null, leaseUntil);
    }

    /** The same, with the provider's cursor of the next page where the pass goes on from one ({@link Checkpoint#passPageCursor()}). */
    public void advance(String integrationId, String entity, String executionId, String cursor, String pageCursor,
                        OffsetDateTime leaseUntil) {
        fenced(jdbc.sql("""
                UPDATE sync_checkpoints SET pass_cursor = ?, pass_page_cursor = ?, lease_until = ?, updated_at = ?
                WHERE integration_id = ? AND entity = ? AND lease_execution_id = ?""")
                .params(cursor, pageCursor, leaseUntil, Timestamps.now(), integrationId, entity, executionId).update(), executionId);
    }

    public void completePass(String integrationId, String entity, String executionId, String highWaterMark) {
        fenced(jdbc.sql("""
                UPDATE sync_checkpoints SET high_water_mark = COALESCE(?, high_water_mark), pass_mode = NULL, pass_cursor = NULL,
                  pass_page_cursor = NULL, updated_at = ? WHERE integration_id = ? AND entity = ? AND lease_execution_id = ?""")
                .params(highWaterMark, Timestamps.now(), integrationId, entity, executionId).update(), executionId);
    }

    public void deletesChecked(String integrationId, String entity, String executionId, OffsetDateTime upTo) {
        fenced(jdbc.sql("""
                UPDATE sync_checkpoints SET deletes_checked_at = ?, updated_at = ?
                WHERE integration_id = ? AND entity = ? AND lease_execution_id = ?""")
                .params(upTo, Timestamps.now(), integrationId, entity, executionId).update(), executionId);
    }

    /**
     * Makes {@code executionId}, created at {@code createdAt}, the entity's queued run unless one is queued already (then
     * the trigger joins it and notes when: a run joined after its creation waits for the triggers to pause); returns the
     * queued run's id (this one, or the one later triggers ride along with).
     */
    public String queueOnce(String integrationId, String entity, String executionId, OffsetDateTime createdAt) {
        ensureExists(integrationId, entity);
        OffsetDateTime now = Timestamps.now();
        // a queued run that ended without starting (refused, failed while loading) no longer takes triggers in
        jdbc.sql("UPDATE sync_checkpoints SET queued_execution_id = NULL WHERE integration_id = ? AND entity = ? AND queued_execution_id IS NOT NULL"
                        + " AND NOT " + QUEUED_RUN_PENDING)
                .params(integrationId, entity).update();
        int claimed = jdbc.sql("""
                UPDATE sync_checkpoints SET queued_execution_id = ?, queued_touched_at = ?, updated_at = ?
                WHERE integration_id = ? AND entity = ? AND queued_execution_id IS NULL""")
                .params(executionId, createdAt, now, integrationId, entity).update();
        if (claimed == 1) {
            return executionId;
        }
        jdbc.sql("UPDATE sync_checkpoints SET queued_touched_at = ? WHERE integration_id = ? AND entity = ? AND queued_execution_id IS NOT NULL")
                .params(now, integrationId, entity).update();
        return queuedRun(integrationId, entity).orElseGet(() -> queueOnce(integrationId, entity, executionId, createdAt));
    }

    /**
     * Joins the entity's queued run when it is still pending, as {@link #queueOnce} does for a trigger that finds one (notes
     * when), without a run of the trigger's own stored first; empty when no pending run is queued. A burst of changes to
     * one entity then costs each joining trigger two statements, not a stored and discarded execution besides.
     */
    public java.util.Optional<String> joinPending(String integrationId, String entity) {
        int touched = jdbc.sql("UPDATE sync_checkpoints SET queued_touched_at = ? WHERE integration_id = ? AND entity = ?"
                        + " AND queued_execution_id IS NOT NULL AND " + QUEUED_RUN_PENDING)
                .params(Timestamps.now(), integrationId, entity).update();
        return touched == 0 ? java.util.Optional.empty() : queuedRun(integrationId, entity);
    }

    /** The entity's queued run, if one is queued. */
    private java.util.Optional<String> queuedRun(String integrationId, String entity) {
        return jdbc.sql("SELECT queued_execution_id FROM sync_checkpoints WHERE integration_id = ? AND entity = ?")
                .params(integrationId, entity).query(String.class).optional();
    }

    /** When a trigger last joined the entity's queued run, if {@code executionId} is that run. */
    public java.util.Optional<OffsetDateTime> queuedTouchedAt(String integrationId, String entity, String executionId) {
        return jdbc.sql("SELECT queued_touched_at FROM sync_checkpoints WHERE integration_id = ? AND entity = ? AND queued_execution_id = ?")
                .params(integrationId, entity, executionId).query((rs, n) -> Timestamps.read(rs, "queued_touched_at")).optional()
                .filter(java.util.Objects::nonNull);
    }

    /** The queued run has started (or ended without starting): later changes need a run of their own. */
    public void unqueue(String integrationId, String entity, String executionId) {
        jdbc.sql("UPDATE sync_checkpoints SET queued_execution_id = NULL WHERE integration_id = ? AND entity = ? AND queued_execution_id = ?")
                .params(integrationId, entity, executionId).update();
    }

    /**
     * The run goes back on its queue to wait until {@code resumeAt} and keeps the entity meanwhile: no other run of
     * it starts, and the lease lasts until {@code leaseUntil} (a run whose message is lost is taken over after it).
     * False when the run no longer holds the lease.
     */
    public boolean park(String integrationId, String entity, String executionId, OffsetDateTime resumeAt, OffsetDateTime leaseUntil) {
        return jdbc.sql("""
                UPDATE sync_checkpoints SET lease_resume_at = ?, lease_until = ?, updated_at = ?
                WHERE integration_id = ? AND entity = ? AND lease_execution_id = ?""")
                .params(resumeAt, leaseUntil, Timestamps.now(), integrationId, entity, executionId).update() == 1;
    }

    /** When the run holding the entity's lease comes back from waiting on its queue; empty while it runs, or none holds it. */
    public java.util.Optional<OffsetDateTime> holderResumesAt(String integrationId, String entity) {
        return jdbc.sql("""
                SELECT lease_resume_at FROM sync_checkpoints WHERE integration_id = ? AND entity = ? AND lease_execution_id IS NOT NULL
                  AND lease_resume_at IS NOT NULL""")
                .params(integrationId, entity).query((rs, n) -> Timestamps.read(rs, "lease_resume_at")).optional();
    }

    public void release(String integrationId, String entity, String executionId) {
        jdbc.sql("""
                UPDATE sync_checkpoints SET lease_execution_id = NULL, lease_until = NULL, lease_resume_at = NULL, updated_at = ?
                WHERE integration_id = ? AND entity = ? AND lease_execution_id = ?""")
                .params(Timestamps.now(), integrationId, entity, executionId).update();
    }

    /**
     * Creates the checkpoint row if there is none. Called before a transaction that claims it: a creation
     * race caught inside a PostgreSQL transaction would abort that transaction.
     */
    public void ensureExists(String integrationId, String entity) {
        Integer count = jdbc.sql("SELECT COUNT(*) FROM sync_checkpoints WHERE integration_id = ? AND entity = ?")
                .params(integrationId, entity).query(Integer.class).single();
        if (count == 0) {
            try {
                jdbc.sql("INSERT INTO sync_checkpoints (integration_id, entity, updated_at) VALUES (?, ?, ?)")
                        .params(integrationId, entity, Timestamps.now()).update();
            } catch (DuplicateKeyException raced) {
                // another run created it first: fine
            }
        }
    }

    private Checkpoint find(String integrationId, String entity) {
        return jdbc.sql("SELECT * FROM sync_checkpoints WHERE integration_id = ? AND entity = ?").params(integrationId, entity)
                .query(this::map).optional()
                .orElse(new Checkpoint(integrationId, entity, null, null, null, null, null, null, null));
    }

    private static void fenced(int updated, String executionId) {
        if (updated != 1) {
            throw new LeaseLostException("execution " + executionId + " no longer holds the sync lease");
        }
    }

    private Checkpoint map(ResultSet rs, int row) throws SQLException {
        return new Checkpoint(rs.getString("integration_id"), rs.getString("entity"), rs.getString("high_water_mark"),
                rs.getString("pass_mode"), rs.getString("pass_cursor"), rs.getString("pass_page_cursor"), Timestamps.read(rs, "deletes_checked_at"),
                rs.getString("lease_execution_id"), Timestamps.read(rs, "lease_until"));
    }
}
