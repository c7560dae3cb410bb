package processors.writeback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import hub.CloudEvents;
import store.OutboxEntry;

/**
 * The {@code Castiel.Integration.WriteBackRequested} message: which outbox row to write back. Messages
 * of one record share a JMS group (integration and shard), so they are taken one at a time and in
 * order, while different records go in parallel.
 */
public record WriteBackRequest(String outboxId, String tenantId, String integrationId, String shardId, String entity, String operation) {

    public static final String EVENT_TYPE = "Castiel.Integration.WriteBackRequested";
    /** Webhook-triggered work comes first (8), then manual (6); write-backs are a user's change, so they rank with manual. */
    public static final int PRIORITY = 6;

    public static WriteBackRequest of(OutboxEntry entry) {
        return new WriteBackRequest(entry.id(), entry.tenantId(), entry.integrationId(), entry.shardId(), entry.entity(), entry.operation());
    }

    public String group() {
        return integrationId + ":" + shardId;
    }

    /** The CloudEvent put on the queue for the row. */
    public String event(ObjectMapper json, OutboxEntry entry) {
        return CloudEvents.write(json, EVENT_TYPE, "/integrations/" + integrationId + "/shards/" + shardId, outboxId, entry.createdAt(), this);
    }

    public static WriteBackRequest read(ObjectMapper json, String event) {
        JsonNode data = CloudEvents.data(json, event);
        return new WriteBackRequest(data.path("outboxId").asText(null), data.path("tenantId").asText(null),
                data.path("integrationId").asText(null), data.path("shardId").asText(null), data.path("entity").asText(null),
                data.path("operation").asText(null));
    }
}
