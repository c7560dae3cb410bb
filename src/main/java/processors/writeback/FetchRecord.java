package processors.writeback;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

import hub.JsonText;
import processors.conflicts.FieldValues;
import processors.mapping.MappedRecord;
import store.OutboxEntry;
import store.OutboxStore;
import store.Shard;
import store.ShardStore;

/**
 * Starts a round of an update: reads the shard (ours), its base (the values last synced) and the
 * provider's record as it is now (theirs), all as flat field maps. A shard deleted meanwhile skips
 * the row; a record gone at the provider is a permanent failure.
 */
@Component
public class FetchRecord implements Processor {

    public static final String ID = "fetch-record";

    private final ShardStore shards;
    private final OutboxStore outbox;
    private final ObjectMapper json;

    public FetchRecord(ShardStore shards, OutboxStore outbox, ObjectMapper json) {
        this.shards = shards;
        this.outbox = outbox;
        this.json = json;
    }

    @Override
    public void process(Exchange exchange) {
        WriteBackJob job = WriteBackJob.at(exchange, ID);
        OutboxEntry entry = job.entry();
        ShardStore.Link link = shards.link(entry.shardId(), entry.integrationId())
                .orElseThrow(() -> new WriteBackFailure("update", "the provider record is not created yet", false));
        compare(exchange, link, shards.bare(entry.tenantId(), List.of(entry.shardId()), false).get(entry.shardId()));
    }

    /** The round on the shard's link and the shard as read (a batch reads them for all of its rows at once; null: no shard). */
    void compare(Exchange exchange, ShardStore.Link link, Shard shard) {
        WriteBackJob job = WriteBackJob.at(exchange, ID);
        OutboxEntry entry = job.entry();
        job.nextRound(link);
        if (shard == null || shard.deleted()) {
            outbox.finish(entry.id(), OutboxEntry.Status.SKIPPED, "the shard was deleted before its change was written back");
            exchange.setRouteStop(true);
            return;
        }
        MappedRecord theirs = fetch(job, link.externalId())
                .orElseThrow(() -> new WriteBackFailure("fetch", "the record no longer exists at the provider", true));
        Map<String, Object> ours = FieldValues.flatten(JsonText.readMap(json, shard.structuredData()));
        Map<String, Object> base = link.snapshotJson() == null ? null : FieldValues.flatten(JsonText.readMap(json, link.snapshotJson()));
        job.compared(theirs, ours, base, shard.updatedAt().toInstant());
    }

    /** The provider's record now: what a batch read for the job (once), or one call. */
    static Optional<MappedRecord> fetch(WriteBackJob job, String externalId) {
        Optional<Map<String, Object>> readAhead = job.takeReadAhead(externalId);
        Optional<Map<String, Object>> record = readAhead != null ? readAhead
                : job.adapter().fetchRecord(job.connection(), job.mapping().entity(), externalId, job.mapping().sourceFields());
        return record.map(job.mapping()::map);
    }
}
