package store;

import java.time.OffsetDateTime;

/** A message whose processing failed for good: where it came from, the step that failed, why, and the message itself. */
public record DeadLetter(
        String id,
        String tenantId,
        String integrationId,
        String sourceQueue,
        String messageType,
        String messageGroup,
        String failedStep,
        String reason,
        int attempts,
        String body,
        OffsetDateTime createdAt,
        OffsetDateTime replayedAt) {
}
