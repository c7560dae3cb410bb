package store;

import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One delivery as the log keeps it: when it came, whether it verified, what it said, what became
 * of it. {@code payload} is written for accepted deliveries (kept apart, for replay) and never listed.
 */
public record WebhookDelivery(
        String id,
        String registrationId,
        String tenantId,
        String deliveryKey,
        OffsetDateTime receivedAt,
        Verification verification,
        Status status,
        int httpStatus,
        List<Event> events,
        String reason,
        String outcome,
        @JsonIgnore String payload,
        Integer ackMs,
        OffsetDateTime processedAt,
        Long latencyMs) {

    /** Whether the delivery proved it came from the provider. {@link #value()} is its spelling in the column and the JSON. */
    public enum Verification implements WireValue {
        VERIFIED, FAILED, HANDSHAKE;

        @Override
        public String toString() {
            return value();
        }

        /** The constant spelled {@code value}; refuses an unknown spelling, naming the allowed ones. */
        public static Verification of(String value) {
            return WireValue.parse(Verification.class, value);
        }
    }

    /** What became of the delivery. {@link #value()} is its spelling in the column and the JSON. */
    public enum Status implements WireValue {
        ACCEPTED, DUPLICATE, REJECTED, PROCESSED, PROCESSING_FAILED;

        @Override
        public String toString() {
            return value();
        }

        /** The constant spelled {@code value}; refuses an unknown spelling, naming the allowed ones. */
        public static Status of(String value) {
            return WireValue.parse(Status.class, value);
        }
    }

    /**
     * A change the delivery announced: hub event type, provider entity and record id when the provider said, and the id of
     * the record it belongs to (a reply's thread) when there is one.
     */
    public record Event(String type, String entity, String externalId, @JsonInclude(JsonInclude.Include.NON_NULL) String parentId) {
    }

}
