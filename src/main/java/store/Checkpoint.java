package store;

import java.time.OffsetDateTime;

/**
 * Sync position for one integration and provider entity. {@code highWaterMark} is the change
 * marker reached by the last completed pass; {@code passMode}/{@code passCursor} describe a pass in
 * progress (interrupted, or stopped at maxRecordsPerSync) that the next run continues: from {@code passCursor}, or, for
 * providers whose records come in no order of their change markers, from the page {@code passPageCursor} points at in
 * the pass that started from {@code passCursor}.
 */
public record Checkpoint(
        String integrationId,
        String entity,
        String highWaterMark,
        String passMode,
        String passCursor,
        String passPageCursor,
        OffsetDateTime deletesCheckedAt,
        String leaseExecutionId,
        OffsetDateTime leaseUntil) {

    public boolean passInProgress() {
        return passMode != null;
    }
}
