package messaging;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import hub.CloudEvents;
import hub.Ids;
import store.DeadLetter;
import store.DeadLetterStore;
import store.Timestamps;

/**
 * The dead-letter channel: work that failed for good goes to {@code sync-deadletter} with the
 * reason, the failed step and the original message; the dead-letter route records each message for
 * operators ({@code /api/admin/deadletters}), who can replay it to the queue it came from or delete it.
 * Messages the broker itself parks there (delivery attempts exhausted) are recorded the same way.
 */
@Component
public class DeadLetters {

    public static final String SOURCE_QUEUE = "CastielSourceQueue";
    public static final String FAILED_STEP = "CastielFailedStep";
    /** The id of the route step that failed (as Hawtio and the route statistics name it), when a route says. */
    public static final String FAILED_STEP_ID = "CastielFailedStepId";
    public static final String REASON = "CastielReason";
    public static final String ATTEMPTS = "CastielAttempts";
    /** Set on a replayed message: the consumer may take up again work it had ended as failed. */
    public static final String REPLAY_OF = "CastielReplayOf";
    /** JMS priority of dead letters: below all live work. */
    public static final int PRIORITY = 4;
    /** Set by Artemis on messages it moves to the dead-letter address. */
    private static final String BROKER_ORIGINAL_QUEUE = "_AMQ_ORIG_QUEUE";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    /** The route that puts a dead letter on sync-deadletter. */
    public static final String SEND = "direct:dead-letter";
    /** The route that puts a replayed message back on its source queue, named in {@link #REPLAY_QUEUE}. */
    public static final String REPLAY = "direct:replay-dead-letter";
    public static final String REPLAY_QUEUE = "CastielReplayQueue";

    private final ProducerTemplate producer;
    private final DeadLetterStore store;
    private final ObjectMapper json;

    public DeadLetters(ProducerTemplate producer, DeadLetterStore store, ObjectMapper json) {
        this.producer = producer;
        this.store = store;
        this.json = json;
    }

    /**
     * The properties a dead letter carries (what {@link #record} reads), for a route that sends the
     * original message to the dead-letter queue itself: where it came from, the stage and the route
     * step where it failed, why, and after how many attempts.
     */
    public static Map<String, Object> stamp(String sourceQueue, String failedStep, String failedStepId, String reason, int attempts) {
        return Map.of(SOURCE_QUEUE, sourceQueue, FAILED_STEP, failedStep, FAILED_STEP_ID, failedStepId, REASON, reason,
                ATTEMPTS, Integer.toString(attempts));
    }

    /** Sends the original message to the dead-letter queue with why and where it failed. */
    public void send(String sourceQueue, String body, String type, String group, String failedStep, String reason, int attempts) {
        Map<String, Object> headers = new HashMap<>(Map.of("JMSType", type, "JMSPriority", PRIORITY,
                SOURCE_QUEUE, sourceQueue, FAILED_STEP, failedStep, REASON, reason, ATTEMPTS, Integer.toString(attempts)));
        if (group != null) {
            headers.put("JMSXGroupID", group);
        }
        producer.sendBodyAndHeaders(SEND, body, headers);
        LOG.warn("Dead-lettered a {} message from {} at step {} after {} attempts: {}", type, sourceQueue, failedStep, attempts, reason);
    }

    /** Records a message taken from the dead-letter queue (ours, or one the broker parked there). */
    public void record(String body, Map<String, Object> headers) {
        String source = text(headers.get(SOURCE_QUEUE));
        boolean fromBroker = source == null;
        if (fromBroker) {
            source = text(headers.get(BROKER_ORIGINAL_QUEUE));
        }
        JsonNode data = dataOf(body);
        String stepId = text(headers.get(FAILED_STEP_ID));
        String reason = stepId == null ? String.valueOf(headers.get(REASON)) : headers.get(REASON) + " (at step " + stepId + ")";
        store.insert(new DeadLetter(Ids.newId(), data.path("tenantId").asText(null), data.path("integrationId").asText(null),
                source == null ? "unknown" : source, text(headers.get("JMSType")), text(headers.get("JMSXGroupID")),
                fromBroker ? "broker redelivery" : text(headers.get(FAILED_STEP)),
                fromBroker ? "the broker gave up after its delivery attempts; see the log for the failures"
                        : reason,
                fromBroker ? number(headers.get("JMSXDeliveryCount")) : number(headers.get(ATTEMPTS)), body, Timestamps.now(), null));
    }

    /** Puts the dead letter's message back on the queue it came from. */
    public void replay(DeadLetter letter) {
        Map<String, Object> headers = new HashMap<>(Map.of(REPLAY_QUEUE, letter.sourceQueue(), "JMSPriority", 6, REPLAY_OF, letter.id()));
        if (letter.messageType() != null) {
            headers.put("JMSType", letter.messageType());
        }
        if (letter.messageGroup() != null) {
            headers.put("JMSXGroupID", letter.messageGroup());
        }
        producer.sendBodyAndHeaders(REPLAY, letter.body(), headers);
        store.markReplayed(letter.id());
    }

    private JsonNode dataOf(String body) {
        try {
            return CloudEvents.data(json, body);
        } catch (IllegalArgumentException e) {
            return json.createObjectNode();
        }
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static int number(Object value) {
        try {
            return value == null ? 0 : Integer.parseInt(value.toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
