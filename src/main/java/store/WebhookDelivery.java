package store;

import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;

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
        String verification,
        String status,
        int httpStatus,
        List<Event> events,
        String reason,
        String outcome,
        @JsonIgnore String payload,
        Integer ackMs,
        OffsetDateTime processedAt,
        Long latencyMs) {

    /** A change the delivery announced: hub event type, provider entity and record id when the provider said. */
    public record Event(String type, String entity, String externalId) {
    }

    public static final String VERIFIED = "verified";
    public static final String FAILED = "failed";
    public static final String HANDSHAKE = "handshake";

    public static final String ACCEPTED = "accepted";
    public static final String DUPLICATE = "duplicate";
    public static final String REJECTED = "rejected";
    public static final String PROCESSED = "processed";
    public static final String PROCESSING_FAILED = "processing_failed";
}
