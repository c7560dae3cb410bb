package processors.writeback;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

import hub.JsonText;
import store.OutboxEntry;
import store.OutboxStore;
import store.Shard;
import store.ShardStore;

/** Creates the provider record of a shard made in Castiel (skipped when the shard is gone, done when already linked). */
@Component
public class CreateRecord implements Processor {

    public static final String ID = "create-record";

    private final ShardStore shards;
    private final OutboxStore outbox;
    private final ObjectMapper json;

    public CreateRecord(ShardStore shards, OutboxStore outbox, ObjectMapper json) {
        this.shards = shards;
        this.outbox = outbox;
        this.json = json;
    }

    @Override
    public void process(Exchange exchange) {
        WriteBackJob job = WriteBackJob.at(exchange, ID);
        OutboxEntry entry = job.entry();
        Shard shard = shards.find(entry.tenantId(), entry.shardId()).orElse(null);
        if (shard == null || shard.deleted()) {
            outbox.finish(entry.id(), OutboxEntry.Status.SKIPPED, "the shard was deleted before it was created at the provider");
            exchange.setRouteStop(true);
            return;
        }
        if (shards.link(entry.shardId(), entry.integrationId()).isPresent()) {
            outbox.finish(entry.id(), OutboxEntry.Status.DONE, "already created");
            exchange.setRouteStop(true);
            return;
        }
        job.compared(null, JsonText.readMap(json, shard.structuredData()), null, null);
        job.created(job.adapter().createRecord(job.connection(), entry.entity(), job.mapping().reverse(job.ours())));
    }
}
