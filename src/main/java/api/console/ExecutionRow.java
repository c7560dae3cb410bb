package api.console;

import java.time.Duration;
import java.time.OffsetDateTime;

import store.SyncExecution;
import store.Timestamps;

/** A sync execution as the console shows it: its counts, and its speed so far (records per second). */
public record ExecutionRow(String id, String integrationId, String integrationName, String entity, String mode, String trigger,
                           String status, String phase, long processed, long created, long updated, long failed,
                           long recordsPerSecond, OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime finishedAt,
                           Long durationMs, String error, boolean cancellable, boolean retryable, String href) {

    static ExecutionRow of(SyncExecution e, String integrationName) {
        SyncExecution.Counts c = e.counts();
        return new ExecutionRow(e.id(), e.integrationId(), integrationName == null ? e.integrationId() : integrationName, e.entity(),
                e.mode(), e.trigger(), e.status().value(), e.phase(), c.processed(), c.created(), c.updated(), c.failed(), rate(e),
                e.createdAt(), e.startedAt(), e.finishedAt(), e.durationMs(), e.error(), !e.finished(), e.retryable(),
                ConsolePages.executionPage(e.integrationId(), e.id()));
    }

    /** What a live view compares to know whether the row changed. */
    String state() {
        return status + "|" + phase + "|" + processed + "|" + failed + "|" + error;
    }

    private static long rate(SyncExecution e) {
        if (e.startedAt() == null) {
            return 0;
        }
        OffsetDateTime end = e.finishedAt() != null ? e.finishedAt() : Timestamps.now();
        long ms = Math.max(1, Duration.between(e.startedAt(), end).toMillis());
        return Math.round(e.counts().processed() * 1000.0 / ms);
    }
}
