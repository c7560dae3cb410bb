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

import hub.Traces;

import store.SyncExecution.Counts;
import store.SyncExecution.RecordFailure;

@Repository
public class SyncExecutionStore {

    private final JdbcClient jdbc;
    private final EventStore events;

    private final Traces traces;

    public SyncExecutionStore(JdbcClient jdbc, EventStore events, Traces traces) {
        this.jdbc = jdbc;
        this.events = events;
        this.traces = traces;
    }

    /** A new execution; it keeps the trace it was queued in (null when not traced), which a change that joins it links to. */
    public void insert(SyncExecution e) {
        jdbc.sql("""
                INSERT INTO sync_executions (id, tenant_id, integration_id, task_id, entity, mode, sync_trigger, status, phase,
                  records_processed, records_created, records_updated, records_unchanged, records_deleted, records_failed,
                  more_pending, error, created_at, trace_parent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0, 0, FALSE, ?, ?, ?)""")
                .params(e.id(), e.tenantId(), e.integrationId(), e.taskId(), e.entity(), e.mode(), e.trigger(), e.status().value(),
                        e.phase(), e.error(), e.createdAt(), traces.currentParent())
                .update();
    }

    /** Removes a pending execution that was never queued (its trigger joined another run). */
    public void discard(String id) {
        jdbc.sql("DELETE FROM sync_executions WHERE id = ? AND status = 'pending'").param(id).update();
    }

    /** The W3C traceparent the execution was queued in; empty when it was not traced (or is gone). */
    public Optional<String> traceParent(String id) {
        return jdbc.sql("SELECT trace_parent FROM sync_executions WHERE id = ?").param(id).query(String.class).list().stream()
                .filter(java.util.Objects::nonNull).findFirst();
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

    /** What the console's execution table filters by; null fields do not filter. */
    public record Filter(String integrationId, String entity, String trigger, SyncExecution.Status status, OffsetDateTime from,
                         OffsetDateTime to) {
    }

    /** The tenant's runs across its integrations, newest first, as the filter narrows them. */
    public Page<SyncExecution> search(String tenantId, Filter f, Cursor after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM sync_executions WHERE tenant_id = :tenant");
        java.util.Map<String, Object> params = new java.util.HashMap<>(java.util.Map.of("tenant", tenantId, "limit", limit + 1));
        condition(sql, params, "integration_id = :integration", "integration", f.integrationId());
        condition(sql, params, "entity = :entity", "entity", f.entity());
        condition(sql, params, "sync_trigger = :trigger", "trigger", f.trigger());
        condition(sql, params, "status = :status", "status", f.status() == null ? null : f.status().value());
        condition(sql, params, "created_at >= :from", "from", f.from());
        condition(sql, params, "created_at < :to", "to", f.to());
        if (after != null) {
            sql.append(" AND (created_at < :afterAt OR (created_at = :afterAt AND id < :afterId))");
            params.put("afterAt", after.at());
            params.put("afterId", after.id());
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT :limit");
        return Pages.of(jdbc.sql(sql.toString()).params(params).query(this::map).list(), limit, e -> new Cursor(e.createdAt(), e.id()));
    }

    private static void condition(StringBuilder sql, java.util.Map<String, Object> params, String condition, String name, Object value) {
        if (value != null) {
            sql.append(" AND ").append(condition);
            params.put(name, value);
        }
    }

    /** The tenant's runs that are queued, waiting or running (what a live view follows), at most {@code limit}. */
    public List<SyncExecution> active(String tenantId, int limit) {
        return jdbc.sql("SELECT * FROM sync_executions WHERE tenant_id = ? AND status IN ('pending', 'running') ORDER BY created_at DESC LIMIT ?")
                .params(tenantId, limit).query(this::map).list();
    }

    /** The runs with these ids of the tenant. */
    public List<SyncExecution> findAll(String tenantId, java.util.Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT * FROM sync_executions WHERE tenant_id = :tenant AND id IN (:ids)").param("tenant", tenantId)
                .param("ids", List.copyOf(ids)).query(this::map).list();
    }

    /** An integration's runs since a time: records processed, runs failed, the last one finished. */
    public record Activity(long records, long failedRuns, OffsetDateTime lastFinishedAt) {
    }

    /** Each of the tenant's integrations' runs created since {@code since}, by integration id. */
    public java.util.Map<String, Activity> activitySince(String tenantId, OffsetDateTime since) {
        java.util.Map<String, Activity> byIntegration = new java.util.HashMap<>();
        jdbc.sql("""
                SELECT integration_id, SUM(records_processed) AS records, SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS failed_runs,
                  MAX(finished_at) AS last_finished FROM sync_executions WHERE tenant_id = ? AND created_at >= ? GROUP BY integration_id""")
                .params(tenantId, since)
                .query(rs -> {
                    byIntegration.put(rs.getString("integration_id"), new Activity(rs.getLong("records"), rs.getLong("failed_runs"),
                            Timestamps.read(rs, "last_finished")));
                });
        return byIntegration;
    }

    public void markRunning(String id, String phase) {
        OffsetDateTime now = Timestamps.now();
        jdbc.sql("""
                UPDATE sync_executions SET status = 'running', phase = ?, error = NULL, started_at = COALESCE(started_at, ?)
                  WHERE id = ? AND status <> 'cancelled'""")
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

    /**
     * Asks a pending or running run to stop (recorded here, so any instance's run sees it at its next page boundary).
     * False when it has finished.
     */
    public boolean requestCancel(String id) {
        return jdbc.sql("""
                UPDATE sync_executions SET cancel_requested_at = COALESCE(cancel_requested_at, ?)
                  WHERE id = ? AND status IN ('pending', 'running')""").params(Timestamps.now(), id).update() == 1;
    }

    /** When a cancel of the run was asked for, if it was. */
    public Optional<OffsetDateTime> cancelRequestedAt(String id) {
        return jdbc.sql("SELECT cancel_requested_at FROM sync_executions WHERE id = ?").param(id)
                .query((rs, n) -> Timestamps.read(rs, "cancel_requested_at")).optional().filter(java.util.Objects::nonNull);
    }

    /** Ends a run that has not started or waits on its queue, as cancelled; false when it is running or finished. */
    @Transactional
    public boolean cancelIfPending(String id, String reason) {
        if (jdbc.sql("UPDATE sync_executions SET status = 'cancelled' WHERE id = ? AND status = 'pending'").param(id).update() != 1) {
            return false;
        }
        finish(id, SyncExecution.Status.CANCELLED, "cancelled", reason, false);
        return true;
    }

    /** Records the run a new run repeats. */
    public void retryOf(String id, String retriedId) {
        jdbc.sql("UPDATE sync_executions SET retry_of = ? WHERE id = ?").params(retriedId, id).update();
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
