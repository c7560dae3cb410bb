package processors.writeback;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** A batch that holds a record twice writes it in order: its later rows go in later passes, after the earlier one settled. */
class WriteBatchPassesTest {

    private static WriteBackRequest update(String outboxId, String shardId) {
        return new WriteBackRequest(outboxId, "t", "i", shardId, "Account", "update");
    }

    @Test
    void aBatchOfDistinctRecordsIsOnePass() {
        assertThat(WriteBatch.passes(List.of(update("1", "a"), update("2", "b"), update("3", "c")))).containsExactly(List.of(0, 1, 2));
    }

    @Test
    void aRecordsLaterRowsGoInLaterPassesInTheirOrder() {
        List<WriteBackRequest> batch = List.of(update("1", "a"), update("2", "b"), update("3", "a"), update("4", "c"), update("5", "a"),
                update("6", "b"));
        assertThat(WriteBatch.passes(batch)).containsExactly(List.of(0, 1, 3), List.of(2, 5), List.of(4));
    }

    @Test
    void theSameShardOfAnotherIntegrationIsAnotherRecord() {
        List<WriteBackRequest> batch = List.of(update("1", "a"), new WriteBackRequest("2", "t", "other", "a", "Account", "update"));
        assertThat(WriteBatch.passes(batch)).containsExactly(List.of(0, 1));
    }

    @Test
    void anEmptyBatchHasNoPass() {
        assertThat(WriteBatch.passes(List.of())).isEmpty();
    }
}
