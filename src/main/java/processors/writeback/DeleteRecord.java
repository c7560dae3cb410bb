package processors.writeback;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

import providers.ProviderException;
import store.OutboxEntry;
import store.OutboxStore;
import store.ShardStore;

/** Deletes the provider record of a shard deleted in Castiel; a record already gone (404) counts as deleted. */
@Component
public class DeleteRecord implements Processor {

    public static final String ID = "delete-record";

    private final ShardStore shards;
    private final OutboxStore outbox;

    public DeleteRecord(ShardStore shards, OutboxStore outbox) {
        this.shards = shards;
        this.outbox = outbox;
    }

    @Override
    public void process(Exchange exchange) {
        WriteBackJob job = WriteBackJob.at(exchange, ID);
        OutboxEntry entry = job.entry();
        ShardStore.Link link = shards.link(entry.shardId(), entry.integrationId()).orElse(null);
        if (link == null) {
            outbox.finish(entry.id(), OutboxEntry.Status.SKIPPED, "no provider record was created for the shard");
            return;
        }
        try {
            job.adapter().deleteRecord(job.connection(), entry.entity(), link.externalId());
        } catch (ProviderException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
        outbox.finish(entry.id(), OutboxEntry.Status.DONE, "deleted " + entry.entity() + " " + link.externalId());
    }
}
