package processors.sync;

import java.time.Duration;
import java.time.OffsetDateTime;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import store.SyncExecution;
import store.SyncExecution.Counts;

/**
 * A finished run in the hub's meters (Prometheus: {@code hub_sync_records_total}, {@code hub_sync_duration_seconds}),
 * per provider, integration and entity: its records by outcome, and its duration by how it ended.
 */
@Component
public class SyncMeters {

    public static final String RECORDS = "hub.sync.records";
    public static final String DURATION = "hub.sync.duration";

    private final MeterRegistry meters;

    public SyncMeters(MeterRegistry meters) {
        this.meters = meters;
    }

    public void finished(SyncRun run, SyncExecution.Status status) {
        Tags tags = Tags.of("provider", run.integration().providerId(), "integration", run.integration().id(), "entity", run.entity());
        Counts c = run.counts();
        count(tags, "created", c.created());
        count(tags, "updated", c.updated());
        count(tags, "unchanged", c.unchanged());
        count(tags, "deleted", c.deleted());
        count(tags, "failed", c.failed());
        OffsetDateTime started = run.startedAt();
        if (started != null) {
            meters.timer(DURATION, tags.and("status", status.value())).record(Duration.between(started, OffsetDateTime.now()));
        }
    }

    private void count(Tags tags, String outcome, long n) {
        meters.counter(RECORDS, tags.and("outcome", outcome)).increment(n);
    }
}
