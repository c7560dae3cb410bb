package store;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One event for one endpoint: {@code id} is its {@code webhook-id} (the same for every attempt and every replay),
 * {@code payload} the body every attempt sends. Pending while {@code nextAttemptAt} is set. {@code traceParent}: the W3C
 * traceparent of the event's trace (null when not traced), which every attempt's delivery continues.
 */
public record OutgoingMessage(String id, String tenantId, String endpointId, String eventId, String eventType, String payload,
                              Status status, int attempts, OffsetDateTime nextAttemptAt, Integer lastStatus, OffsetDateTime createdAt,
                              OffsetDateTime updatedAt, @JsonIgnore String traceParent) {

    public enum Status implements WireValue {
        PENDING, DELIVERED, FAILED;

        @Override
        public String toString() {
            return value();
        }
    }
}
