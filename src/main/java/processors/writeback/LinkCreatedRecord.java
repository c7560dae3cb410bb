package processors.writeback;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import hub.JsonText;
import processors.mapping.ContentHash;
import processors.mapping.MappedRecord;
import store.OutboxEntry;
import store.OutboxStore;
import store.ShardStore;

/** Links the shard with the record created for it (base and content hash from the re-read) and finishes the row, together. */
@Component
public class LinkCreatedRecord implements Processor {

    public static final String ID = "link-created";

    private final ShardStore shards;
    private final OutboxStore outbox;
    private final TransactionTemplate transaction;
    private final ObjectMapper json;

    public LinkCreatedRecord(ShardStore shards, OutboxStore outbox, TransactionTemplate transaction, ObjectMapper json) {
        this.shards = shards;
        this.outbox = outbox;
        this.transaction = transaction;
        this.json = json;
    }

    @Override
    public void process(Exchange exchange) {
        WriteBackJob job = WriteBackJob.at(exchange, ID);
        OutboxEntry entry = job.entry();
        String externalId = job.createdId();
        MappedRecord created = job.after();
        transaction.executeWithoutResult(status -> {
            String snapshot = JsonText.write(json, created == null ? job.ours() : created.structuredData());
            shards.linkCreated(entry.tenantId(), entry.shardId(), entry.integrationId(), entry.entity(), externalId,
                    job.integration().syncDirection(), created == null ? null : created.externalVersion(),
                    created == null ? "" : ContentHash.of(snapshot, created.relationships()), snapshot);
            outbox.finish(entry.id(), OutboxEntry.Status.DONE, "created " + entry.entity() + " " + externalId);
        });
    }
}
