package store;

import java.time.OffsetDateTime;

/**
 * One attempt to deliver a message: the status the endpoint answered (0: no answer, {@code error} says why), how long it
 * took, and the outcome ({@code succeeded} or {@code failed}).
 */
public record OutgoingAttempt(String id, String messageId, String eventType, int attempt, OffsetDateTime attemptedAt, int responseStatus,
                              String outcome, long durationMs, String error) {
}
