package processors.sync;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import hub.JsonText;
import store.ShardStore.ShardWrite;

/**
 * Publishes the shards a page created or changed, once the page has committed, to {@code hub.routes.shard-changes-endpoint}
 * (an in-memory queue every {@code shard-change-tap} route reads), one event per shard: change ({@code created} or
 * {@code updated}), shard id and type, tenant, integration, provider, entity, external id and version, and the shard's
 * fields. Nothing is built unless a route listens. Listeners are best effort: a full queue drops events rather than
 * slowing the sync, and events not yet taken are lost on a crash.
 */
@Component("shardChanges")
public class ShardChanges implements Processor {

    private final HookRoutes hooks;
    private final ProducerTemplate producer;
    private final ObjectMapper json;
    private final String endpoint;

    public ShardChanges(HookRoutes hooks, ProducerTemplate producer, ObjectMapper json,
                        @Value("${hub.routes.shard-changes-endpoint}") String endpoint) {
        this.hooks = hooks;
        this.producer = producer;
        this.json = json;
        this.endpoint = endpoint;
    }

    @Override
    public void process(Exchange exchange) {
        if (!hooks.shardChangeListeners() || !(exchange.getMessage().getBody() instanceof PageBatch batch)) {
            return;
        }
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        publish(run, "created", batch.created());
        publish(run, "updated", batch.changed());
    }

    private void publish(SyncRun run, String change, List<ShardWrite> writes) {
        for (ShardWrite w : writes) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("change", change);
            event.put("shardId", w.shardId());
            event.put("shardType", w.shardType());
            event.put("tenantId", run.integration().tenantId());
            event.put("integrationId", run.integration().id());
            event.put("provider", run.integration().providerId());
            event.put("entity", run.entity());
            event.put("externalId", w.externalId());
            event.put("externalVersion", w.externalVersion());
            event.put("data", JsonText.readMap(json, w.dataJson()));
            producer.sendBody(endpoint, event);
        }
    }
}
