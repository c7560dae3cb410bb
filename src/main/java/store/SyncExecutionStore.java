package store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import store.SyncExecution.Counts;
import store.SyncExecution.RecordFailure;

@Repository
public class SyncExecutionStore {

    private final JdbcClient jdbc;
    private final EventStore events;

    public SyncExecutionStore(JdbcClient jdbc, EventStore events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    public void insert(SyncExecution e) {
        jdbc.sql("""
                INSERT INTO sync_executions (id, tenant_id, integration_id, task_id, entity, mode, sync_trigger, status, phase,
                  records_processed, records_created, records_updated, records_unchanged, records_deleted, records_failed,
                  more_pending, error, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0, 0, FALSE, ?, ?)""")
                .params(e.id(), e.tenantId(), e.integrationId(), e.taskId(), e.entity(), e.mode(), e.trigger(), e.status().value(),
                        e.phase(), e.error(), e.createdAt())
                .update();
    }

    public Optional<SyncExecution> find(String tenantId, String integrationId, String id) {
        return jdbc.sql("SELECT * FROM sync_executions WHERE id = ? AND integration_id = ? AND tenant_id = ?")
                .params(id, integrationId, tenantId).query(this::map).optional();
    }

    public Optional<SyncExecution> findById(String id) {
        return jdbc.sql("SELECT * FROM sync_executions WHERE id = ?").param(id).query(this::map).optional();
    }

    /** Newest first; only those in {@code status} when it is given. */
    public Page<SyncExecution> list(String tenantId, String integrationId, SyncExecution.Status status, Cursor after, int limit) {
        String sql = "SELECT * FROM sync_executions WHERE tenant_id = :tenant AND integration_id = :integration"
                + (status == null ? "" : " AND status = :status")
                + (after == null ? "" : " AND (created_at < :afterAt OR (created_at = :afterAt AND id < :afterId))")
                + " ORDER BY created_at DESC, id DESC LIMIT :limit";
        JdbcClient.StatementSpec query = jdbc.sql(sql).param("tenant", tenantId).param("integration", integrationId).param("limit", limit + 1);
        if (status != null) {
            query = query.param("status", status.value());
        }
        if (after != null) {
            query = query.param("afterAt", after.at()).param("afterId", after.id());
        }
        return Pages.of(query.query(this::map).list(), limit, e -> new Cursor(e.createdAt(), e.id()));
    }

    public void markRunning(String id, String phase) {
        OffsetDateTime now = Timestamps.now();
        jdbc.sql("UPDATE sync_executions SET status = 'running', phase = ?, error = NULL, started_at = COALESCE(started_at, ?) WHERE id = ?")
                .params(phase, now, id).update();
    }

    /**
     * Back to pending, queued again to wait (throttled, circuit open, provider unavailable), with why in its phase and,
     * when given, the provider's error that made it wait (else the last one stays); counts the re-queue.
     */
    public void markWaiting(String id, String phase, String reason) {
        jdbc.sql("UPDATE sync_executions SET status = 'pending', phase = ?, error = COALESCE(?, error), requeues = requeues + 1 WHERE id = ?")
                .params(truncate(phase, 40), truncate(reason, 2000), id).update();
    }

    /** How often the run went back on its queue to wait. */
    public int requeues(String id) {
        return jdbc.sql("SELECT requeues FROM sync_executions WHERE id = ?").param(id).query(Integer.class).optional().orElse(0);
    }

    /**
     * A full run asked for while an incremental one of the entity is queued and not started: the queued run becomes
     * the full run (it covers the change too). False when it has started meanwhile.
     */
    public boolean widenToFull(String id) {
        // only while it is still the entity's queued run: the loader reads the mode again once it has taken it off
        return jdbc.sql("""
                UPDATE sync_executions SET mode = 'full' WHERE id = ? AND status = 'pending' AND started_at IS NULL
                  AND EXISTS (SELECT 1 FROM sync_checkpoints c WHERE c.queued_execution_id = sync_executions.id)""")
                .param(id).update() == 1;
    }

    /**
     * A failed run queued again (replayed from the dead letter): pending, its error cleared, its wait
     * counted from now. False when it is not failed (already replayed, or completed): nothing changes.
     */
    public boolean reopen(String id) {
        return jdbc.sql("""
                UPDATE sync_executions SET status = 'pending', phase = 'queued', error = NULL, finished_at = NULL, duration_ms = NULL,
                  created_at = ? WHERE id = ? AND status IN ('failed', 'partial')""").params(Timestamps.now(), id).update() == 1;
    }

    /** Runs queued and not started, or waiting to go on, across all tenants (a gauge). */
    public long countAllPending() {
        return jdbc.sql("SELECT COUNT(*) FROM sync_executions WHERE status = 'pending'").query(Long.class).single();
    }

    /** Runs of the integration that are queued and not started, or waiting to go on. */
    public long countPending(String integrationId) {
        return jdbc.sql("SELECT COUNT(*) FROM sync_executions WHERE integration_id = ? AND status = 'pending'").param(integrationId)
                .query(Long.class).single();
    }

    public void phase(String id, String phase) {
        jdbc.sql("UPDATE sync_executions SET phase = ? WHERE id = ?").params(phase, id).update();
    }

    /** Adds a committed page's counts; runs in the page's transaction. */
    public void addCounts(String id, Counts delta) {
        jdbc.sql("""
                UPDATE sync_executions SET records_processed = records_processed + ?, records_created = records_created + ?,
                  records_updated = records_updated + ?, records_unchanged = records_unchanged + ?,
                  records_deleted = records_deleted + ?, records_failed = records_failed + ?,
                  records_skipped = records_skipped + ?, records_merged = records_merged + ?,
                  records_in_review = records_in_review + ?, records_unblocked = records_unblocked + ?,
                  pairs_compared = pairs_compared + ? WHERE id = ?""")
                .params(delta.processed(), delta.created(), delta.updated(), delta.unchanged(), delta.deleted(), delta.failed(),
                        delta.skipped(), delta.merged(), delta.inReview(), delta.unblocked(), delta.pairsCompared(), id)
                .update();
    }

    /** Keeps the reasons of failed records, up to {@code cap} per execution (the count stays exact). */
    public void addFailures(String id, List<RecordFailure> failures, int cap) {
        if (failures.isEmpty()) {
            return;
        }
        int kept = jdbc.sql("SELECT COUNT(*) FROM sync_record_failures WHERE execution_id = ?").param(id).query(Integer.class).single();
        int seq = kept;
        for (RecordFailure f : failures) {
            if (seq >= cap) {
                break;
            }
            jdbc.sql("INSERT INTO sync_record_failures (execution_id, seq, external_id, reason) VALUES (?, ?, ?, ?)")
                    .params(id, seq++, f.externalId(), truncate(f.reason(), 1000)).update();
        }
    }

    public List<RecordFailure> failures(String id, int limit) {
        return jdbc.sql("SELECT external_id, reason FROM sync_record_failures WHERE execution_id = ? ORDER BY seq LIMIT ?")
                .params(id, limit).query((rs, n) -> new RecordFailure(rs.getString("external_id"), rs.getString("reason"))).list();
    }

    /** Records what operators should know about the run beyond its counts (replacing an earlier notice). */
    public void notice(String id, String notice) {
        jdbc.sql("UPDATE sync_executions SET notice = ? WHERE id = ?").params(truncate(notice, 500), id).update();
    }

    /**
     * Ends the run with its outcome and appends {@code sync.completed}, {@code sync.partial} or {@code sync.failed} in the
     * same transaction (the caller's, or one of its own).
     */
    @Transactional
    public void finish(String id, SyncExecution.Status status, String phase, String error, boolean morePending) {
        OffsetDateTime now = Timestamps.now();
        OffsetDateTime started = jdbc.sql("SELECT started_at FROM sync_executions WHERE id = ?").param(id)
                .query((rs, n) -> Timestamps.read(rs, "started_at")).optional().orElse(null);
        // whole milliseconds, rounded up: a pass that ran reports at least 1 ms, even an empty delta read in microseconds
        Long duration = started == null ? null : (Duration.between(started, now).toNanos() + 999_999) / 1_000_000;
        jdbc.sql("""
                UPDATE sync_executions SET status = ?, phase = ?, error = ?, more_pending = ?, finished_at = ?, duration_ms = ?,
                  started_at = COALESCE(started_at, ?) WHERE id = ?""")
                .params(status.value(), phase, truncate(error, 2000), morePending, now, duration == null ? 0L : duration, now, id).update();
        findById(id).filter(SyncExecution::finished).ifPresent(this::finished);
    }

    private void finished(SyncExecution e) {
        String provider = jdbc.sql("SELECT provider_id FROM integrations WHERE id = ?").param(e.integrationId()).query(String.class)
                .optional().orElse(null);
        Counts c = e.counts();
        events.append(e.tenantId(), "sync." + e.status().value(), e.id(), EventStore.data(
                "executionId", e.id(), "integrationId", e.integrationId(), "provider", provider, "entity", e.entity(), "mode", e.mode(),
                "trigger", e.trigger(), "status", e.status().value(), "phase", e.phase(),
                "counts", EventStore.data("processed", c.processed(), "created", c.created(), "updated", c.updated(),
                        "unchanged", c.unchanged(), "deleted", c.deleted(), "failed", c.failed(), "skipped", c.skipped(),
                        "merged", c.merged(), "inReview", c.inReview()),
                "morePending", e.morePending(), "error", e.error(), "startedAt", text(e.startedAt()), "finishedAt", text(e.finishedAt()),
                "durationMs", e.durationMs()));
    }

    private static String text(OffsetDateTime at) {
        return at == null ? null : at.toString();
    }

    private SyncExecution map(ResultSet rs, int row) throws SQLException {
        long duration = rs.getLong("duration_ms");
        Long durationMs = rs.wasNull() ? null : duration;
        Counts counts = new Counts(rs.getLong("records_processed"), rs.getLong("records_created"), rs.getLong("records_updated"),
                rs.getLong("records_unchanged"), rs.getLong("records_deleted"), rs.getLong("records_failed"),
                rs.getLong("records_skipped"), rs.getLong("records_merged"), rs.getLong("records_in_review"),
                rs.getLong("records_unblocked"), rs.getLong("pairs_compared"));
        return new SyncExecution(rs.getString("id"), rs.getString("tenant_id"), rs.getString("integration_id"), rs.getString("task_id"),
                rs.getString("entity"), rs.getString("mode"), rs.getString("sync_trigger"), SyncExecution.Status.of(rs.getString("status")),
                rs.getString("phase"), counts, rs.getBoolean("more_pending"), rs.getString("error"), Timestamps.read(rs, "created_at"),
                Timestamps.read(rs, "started_at"), Timestamps.read(rs, "finished_at"), durationMs, rs.getString("notice"));
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max - 1) + "…";
    }
}
