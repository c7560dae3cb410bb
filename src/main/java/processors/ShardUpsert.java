package processors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import hub.Ids;
import processors.mapping.MappedRecord;
import processors.mapping.RelationshipRef;
import store.CheckpointStore;
import store.ShardStore;
import store.ShardStore.Existing;
import store.ShardStore.RelationTarget;
import store.ShardStore.ShardWrite;
import store.SyncExecution.Counts;
import store.SyncExecution.RecordFailure;
import store.SyncExecutionStore;
import store.Timestamps;

/**
 * Writes one page in one transaction: new records become shards, changed ones are updated,
 * unchanged ones (same content hash) are left alone; the execution's counts, the failures and the
 * pass cursor commit with them, so a crash never leaves a page half-written or counted twice.
 */
@Component
public class ShardUpsert implements Processor {

    private final ShardStore shards;
    private final SyncExecutionStore executions;
    private final CheckpointStore checkpoints;
    private final TransactionTemplate transaction;
    private final ObjectMapper json;
    private final Duration lease;
    private final int maxFailuresRecorded;

    public ShardUpsert(ShardStore shards, SyncExecutionStore executions, CheckpointStore checkpoints, TransactionTemplate transaction,
                       ObjectMapper json, @Value("${hub.sync.lease}") String lease,
                       @Value("${hub.sync.max-failures-recorded}") int maxFailuresRecorded) {
        this.shards = shards;
        this.executions = executions;
        this.checkpoints = checkpoints;
        this.transaction = transaction;
        this.json = json;
        this.lease = DurationStyle.detectAndParse(lease);
        this.maxFailuresRecorded = maxFailuresRecorded;
    }

    @Override
    public void process(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        PageBatch batch = exchange.getMessage().getBody() instanceof PageBatch b ? b : new PageBatch();
        Counts delta = transaction.execute(status -> write(run, batch));
        run.pageCommitted(batch.lastVersion(), delta);
    }

    private Counts write(SyncRun run, PageBatch batch) {
        // a record listed twice in one page: the later copy wins
        Map<String, MappedRecord> mapped = new LinkedHashMap<>();
        List<RecordFailure> failures = new ArrayList<>();
        for (RecordOutcome outcome : batch.outcomes()) {
            if (outcome.mapped() != null) {
                mapped.put(outcome.externalId(), outcome.mapped());
            } else {
                failures.add(new RecordFailure(outcome.externalId(), outcome.failure()));
            }
        }
        String integrationId = run.integration().id();
        Map<String, Existing> existing = shards.existing(integrationId, run.entity(), mapped.keySet());
        List<ShardWrite> inserts = new ArrayList<>();
        List<ShardWrite> updates = new ArrayList<>();
        long unchanged = 0;
        for (MappedRecord record : mapped.values()) {
            String dataJson = toJson(record.structuredData());
            String hash = ContentHash.of(dataJson, record.relationships());
            Existing current = existing.get(record.externalId());
            if (current == null) {
                inserts.add(write(Ids.newId(), record, dataJson, hash));
            } else if (current.contentHash().equals(hash) && !current.deleted()) {
                unchanged++;
            } else {
                updates.add(write(current.shardId(), record, dataJson, hash));
            }
        }
        shards.insert(run.integration().tenantId(), integrationId, run.entity(), run.integration().syncDirection(), inserts);
        shards.update(integrationId, run.entity(), updates);
        long duplicates = batch.outcomes().size() - failures.size() - mapped.size();
        Counts delta = new Counts(batch.outcomes().size(), inserts.size(), updates.size(), unchanged + duplicates, 0, failures.size());
        executions.addCounts(run.executionId(), delta);
        executions.addFailures(run.executionId(), failures, maxFailuresRecorded);
        String cursor = batch.lastVersion() != null ? batch.lastVersion() : run.lastVersion();
        checkpoints.advance(integrationId, run.entity(), run.executionId(), cursor, Timestamps.now().plus(lease));
        return delta;
    }

    private static ShardWrite write(String shardId, MappedRecord record, String dataJson, String hash) {
        List<RelationTarget> relations = new ArrayList<>(record.relationships().size());
        for (RelationshipRef r : record.relationships()) {
            relations.add(new RelationTarget(r.type(), r.targetShardType(), r.targetEntity(), r.targetExternalId()));
        }
        return new ShardWrite(shardId, record.externalId(), record.externalVersion(), record.shardType(), dataJson, hash, relations);
    }

    private String toJson(Map<String, Object> data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("mapped data is not serializable: " + e.getOriginalMessage());
        }
    }
}
