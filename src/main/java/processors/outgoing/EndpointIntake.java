package processors.outgoing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

import hub.AfterCommit;
import hub.JsonText;
import hub.Traces;
import processors.events.LockUnrelayedEvents;
import store.OutgoingEndpoint;
import store.OutgoingMessage;
import store.OutgoingWebhookStore;
import store.Timestamps;

/**
 * A batch of events the events relay has just published becomes one message per enabled endpoint of each event's tenant
 * that asks for its type (and, for events about a shard, its shard type), in the relay's database transaction: the
 * messages commit with the events' mark, so every relayed event has its messages and none has them twice. The body is
 * the batch's CloudEvents messages as the relay sent them; the message id ({@code webhook-id}) comes from the event and
 * the endpoint, so a batch relayed again (a crash between the relay's two commits) adds nothing. The payload is Standard
 * Webhooks' {@code {"type", "timestamp", "data"}}. Hub-wide events (no tenant) go to no endpoint. A message keeps the
 * trace of its event's relay span, which its delivery continues. {@link #take} does the same for one event heard on the
 * events topic (what {@link RetiredIntakeSubscription} drains).
 */
@Component
public class EndpointIntake implements Processor {

    public static final String ID = "write-endpoint-messages";

    private final OutgoingWebhookStore store;
    private final ObjectMapper json;
    private final DispatchNudge nudge;

    public EndpointIntake(OutgoingWebhookStore store, ObjectMapper json, DispatchNudge nudge) {
        this.store = store;
        this.json = json;
        this.nudge = nudge;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) throws JsonProcessingException {
        List<Message> batch = exchange.getMessage().getBody(List.class);
        // most events are of tenants with no endpoint for them: each tenant's endpoints read once per batch, an event
        // (a synced shard's data) parsed only when some endpoint wants its type
        Map<String, List<OutgoingEndpoint>> enabledByTenant = new HashMap<>();
        boolean added = false;
        for (Message event : batch) {
            added |= take(event.getBody(String.class), event.getHeader(LockUnrelayedEvents.TENANT_HEADER, String.class),
                    event.getHeader(LockUnrelayedEvents.TYPE_HEADER, String.class), event.getHeader(Traces.TRACEPARENT, String.class),
                    enabledByTenant);
        }
        if (added) {
            nudgeAfterCommit();
        }
    }

    /** One event (a CloudEvent as published on the events topic): its messages written; true when any was new. */
    public boolean take(String cloudEvent, String tenantId, String headerType, String traceParent) throws JsonProcessingException {
        return take(cloudEvent, tenantId, headerType, traceParent, new HashMap<>());
    }

    private boolean take(String cloudEvent, String tenantId, String headerType, String traceParent,
                         Map<String, List<OutgoingEndpoint>> enabledByTenant) throws JsonProcessingException {
        if (tenantId == null) {
            return false;
        }
        List<OutgoingEndpoint> enabled = enabledByTenant.computeIfAbsent(tenantId, store::enabledOf);
        if (enabled.isEmpty() || headerType != null && enabled.stream().noneMatch(e -> EventTypePatterns.anyMatches(e.eventTypes(), headerType))) {
            return false;
        }
        JsonNode event = json.readTree(cloudEvent);
        String type = event.path("type").asText();
        String eventId = event.path("id").asText();
        JsonNode data = event.path("data");
        String shardType = data.path("shardType").isTextual() ? data.path("shardType").asText() : null;
        boolean any = false;
        for (OutgoingEndpoint endpoint : enabled) {
            if (EventTypePatterns.anyMatches(endpoint.eventTypes(), type)
                    && (shardType == null || endpoint.shardTypes() == null || endpoint.shardTypes().contains(shardType))) {
                var now = Timestamps.now();
                any |= store.insertIfAbsent(new OutgoingMessage(WebhookSignature.messageId(eventId, endpoint.id()), tenantId, endpoint.id(),
                        eventId, type, payload(type, event.path("time").asText(), data), OutgoingMessage.Status.PENDING, 0, now, null, now, now,
                        traceParent));
            }
        }
        return any;
    }

    /** The dispatcher looks for the new messages once they are committed (at once outside a transaction). */
    public void nudgeAfterCommit() {
        AfterCommit.run(nudge::nudge);
    }

    private String payload(String type, String timestamp, JsonNode data) {
        ObjectNode payload = json.createObjectNode();
        payload.put("type", type);
        payload.put("timestamp", timestamp);
        payload.set("data", data.isMissingNode() ? json.createObjectNode() : data);
        return JsonText.write(json, payload);
    }
}
