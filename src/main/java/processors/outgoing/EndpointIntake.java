package processors.outgoing;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import hub.JsonText;
import hub.Traces;
import processors.events.LockUnrelayedEvents;
import store.OutgoingEndpoint;
import store.OutgoingMessage;
import store.OutgoingWebhookStore;
import store.Timestamps;

/**
 * One event from the events topic becomes one message per enabled endpoint of its tenant that asks for its type (and,
 * for events about a shard, its shard type), all in one database transaction; the message id ({@code webhook-id}) comes
 * from the event and the endpoint, so the same event heard again (the relay re-sends a batch after a crash, the broker
 * redelivers) adds nothing. The payload is Standard Webhooks' {@code {"type", "timestamp", "data"}}. Hub-wide events
 * (no tenant) go to no endpoint. A message keeps the trace the event came in (its consumer's span, a child of the events
 * relay's), which its delivery continues.
 */
@Component
public class EndpointIntake implements Processor {

    public static final String ID = "write-endpoint-messages";

    private final OutgoingWebhookStore store;
    private final ObjectMapper json;
    private final TransactionTemplate transaction;
    private final DispatchNudge nudge;
    private final Traces traces;

    public EndpointIntake(OutgoingWebhookStore store, ObjectMapper json, TransactionTemplate transaction, DispatchNudge nudge,
                          Traces traces) {
        this.traces = traces;
        this.store = store;
        this.json = json;
        this.transaction = transaction;
        this.nudge = nudge;
    }

    @Override
    public void process(Exchange exchange) throws JsonProcessingException {
        String tenantId = exchange.getMessage().getHeader(LockUnrelayedEvents.TENANT_HEADER, String.class);
        if (tenantId == null) {
            return;
        }
        // most events are of tenants with no endpoint for them: read without a transaction, and the event (a synced
        // shard's data) parsed only when some endpoint wants its type; written in one transaction only then
        String headerType = exchange.getMessage().getHeader(LockUnrelayedEvents.TYPE_HEADER, String.class);
        List<OutgoingEndpoint> enabled = store.enabledOf(tenantId);
        if (enabled.isEmpty() || headerType != null && enabled.stream().noneMatch(e -> EventTypePatterns.anyMatches(e.eventTypes(), headerType))) {
            return;
        }
        JsonNode event = json.readTree(exchange.getMessage().getBody(String.class));
        String type = event.path("type").asText();
        String eventId = event.path("id").asText();
        JsonNode data = event.path("data");
        String shardType = data.path("shardType").isTextual() ? data.path("shardType").asText() : null;
        List<OutgoingEndpoint> wanting = enabled.stream()
                .filter(endpoint -> EventTypePatterns.anyMatches(endpoint.eventTypes(), type)
                        && (shardType == null || endpoint.shardTypes() == null || endpoint.shardTypes().contains(shardType)))
                .toList();
        if (wanting.isEmpty()) {
            return;
        }
        String traceParent = traces.currentParent();
        Boolean added = transaction.execute(status -> {
            boolean any = false;
            for (OutgoingEndpoint endpoint : wanting) {
                var now = Timestamps.now();
                any |= store.insertIfAbsent(new OutgoingMessage(WebhookSignature.messageId(eventId, endpoint.id()), tenantId, endpoint.id(),
                        eventId, type, payload(type, event.path("time").asText(), data), OutgoingMessage.Status.PENDING, 0, now, null, now, now, traceParent));
            }
            return any;
        });
        if (Boolean.TRUE.equals(added)) {
            nudge.nudge();
        }
    }

    private String payload(String type, String timestamp, JsonNode data) {
        ObjectNode payload = json.createObjectNode();
        payload.put("type", type);
        payload.put("timestamp", timestamp);
        payload.set("data", data.isMissingNode() ? json.createObjectNode() : data);
        return JsonText.write(json, payload);
    }
}
