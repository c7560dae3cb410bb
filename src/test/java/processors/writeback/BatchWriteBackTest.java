package processors.writeback;

import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import hub.EmbeddedHubTest;

/**
 * What the batch write-back tests steer in the shared context: the relay (paused while the scenario's rows are queued,
 * and its batch size) and the hook between a batch's read and its write (where a test changes a record at the provider);
 * both are put back after each test.
 */
abstract class BatchWriteBackTest extends EmbeddedHubTest {

    /** More employees than the providers' 32-bit number fields hold: the hub takes the whole number, the provider refuses it. */
    static final long TOO_MANY = 3_000_000_000L;

    @Autowired
    LockPendingRows relay;

    @Autowired
    MergeFields merge;

    @Autowired
    OutboxRelay nudge;

    @Value("${hub.writeback.batch-size}")
    int batchSize;

    @AfterEach
    void restoreRelay() {
        relay.paused(false);
        relay.writeBackBatchSize(batchSize);
        merge.afterRead(null);
    }
}
