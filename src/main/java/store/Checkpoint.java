package store;

import java.time.OffsetDateTime;

/**
 * Sync position for one integration and provider entity. {@code highWaterMark} is the change
 * marker reached by the last completed pass; {@code passMode}/{@code passCursor} describe a pass in
 * progress (interrupted, or stopped at maxRecordsPerSync) that the next run continues.
 */
public record Checkpoint(
        String integrationId,
        String entity,
        String highWaterMark,
        String passMode,
        String passCursor,
        OffsetDateTime deletesCheckedAt,
        String leaseExecutionId,
        OffsetDateTime leaseUntil) {

    public boolean passInProgress() {
        return passMode != null;
    }
}
