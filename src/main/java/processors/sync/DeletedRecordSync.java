package processors.sync;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import processors.mapping.DerivedMapping;
import providers.DeletedRecords;
import store.Checkpoint;
import store.CheckpointStore;
import store.ShardStore;
import store.SyncExecution.Counts;
import store.SyncExecutionStore;
import store.Timestamps;

/**
 * Marks shards deleted for records the provider deleted since the last check, or, for a provider that lists what exists
 * instead ({@link DeletedRecords.Listing}), for the records the hub holds that its listing no longer names. The first run
 * of an entity only sets the starting point: nothing synced before it can have been deleted since. Providers whose
 * deletions come with the pages (a change feed) are not asked.
 */
@Component
public class DeletedRecordSync implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(DeletedRecordSync.class);
    /** Providers report deletions at minute granularity (Salesforce ignores seconds): overlap windows by that much. */
    private static final Duration OVERLAP = Duration.ofMinutes(1);

    private final CheckpointStore checkpoints;
    private final ShardStore shards;
    private final SyncExecutionStore executions;
    private final TransactionTemplate transaction;
    private final RunTimeline timeline;

    public DeletedRecordSync(CheckpointStore checkpoints, ShardStore shards, SyncExecutionStore executions, TransactionTemplate transaction,
                             RunTimeline timeline) {
        this.timeline = timeline;
        this.checkpoints = checkpoints;
        this.shards = shards;
        this.executions = executions;
        this.transaction = transaction;
    }

    @Override
    public void process(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        if (run.adapter().deletionsInPages()) {
            // the provider reported them with the pages, which applied them
            return;
        }
        String integrationId = run.integration().id();
        Checkpoint checkpoint = checkpoints.load(integrationId, run.entity());
        OffsetDateTime checkedAt = checkpoint.deletesCheckedAt();
        if (checkedAt == null) {
            checkpoints.deletesChecked(integrationId, run.entity(), run.executionId(), run.startedAt());
            return;
        }
        executions.phase(run.executionId(), "deletions");
        Instant from = checkedAt.toInstant().minus(OVERLAP);
        timeline.phase(run, "deletions", "deletions: asks the provider for records deleted since " + from);
        Instant to = Instant.now();
        DeletedRecords deleted = run.adapter().fetchDeleted(run.connection(), run.entity(), from, to);
        Instant covered = deleted.coveredUntil().isAfter(to) ? to : deleted.coveredUntil();
        List<String> gone = gone(integrationId, run.entity(), deleted);
        int marked = transaction.execute(status -> {
            checkpoints.checkHolder(integrationId, run.entity(), run.executionId(), run.leaseToken());
            int count = shards.markDeleted(integrationId, run.entity(), gone);
            for (DerivedMapping d : run.mapping().derived()) {
                shards.markDeleted(integrationId, d.entity(), gone);
            }
            executions.addCounts(run.executionId(), new Counts(0, 0, 0, 0, count, 0));
            checkpoints.deletesChecked(integrationId, run.entity(), run.executionId(), Timestamps.of(covered));
            return count;
        });
        run.deletionsApplied(marked);
        if (marked > 0) {
            LOG.info("Execution {}: {} {} records deleted at the provider, shards marked deleted", run.executionId(), marked, run.entity());
        }
    }

    /** The records reported deleted, and those held under a listing's prefix that the listing does not name. */
    private List<String> gone(String integrationId, String entity, DeletedRecords deleted) {
        Set<String> gone = new LinkedHashSet<>();
        deleted.records().forEach(r -> gone.add(r.externalId()));
        for (DeletedRecords.Listing listing : deleted.listings()) {
            for (String held : shards.liveExternalIds(integrationId, entity, listing.idPrefix(), Timestamps.of(listing.startedAt()))) {
                if (!listing.present().contains(held)) {
                    gone.add(held);
                }
            }
        }
        return new ArrayList<>(gone);
    }
}
