package processors.writeback;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import messaging.DeadLetters;
import store.OutboxEntry;
import store.OutboxStore;
import store.ShardStore;

/**
 * A write-back given up: the row ends failed and the shard's link shows the error, together; the
 * original message is stamped for the dead letter (source queue, failed stage and step id, reason,
 * attempts: what {@link DeadLetters#record} reads).
 */
@Component
public class SettleFailed implements Processor {

    public static final String ID = "settle-failed";
    private static final Logger LOG = LoggerFactory.getLogger(SettleFailed.class);

    private final OutboxStore outbox;
    private final ShardStore shards;
    private final TransactionTemplate transaction;
    private final String queue;

    public SettleFailed(OutboxStore outbox, ShardStore shards, TransactionTemplate transaction,
                        @Value("${hub.queue.sync-outbound}") String queue) {
        this.outbox = outbox;
        this.shards = shards;
        this.transaction = transaction;
        this.queue = queue;
    }

    @Override
    public void process(Exchange exchange) {
        WriteBackJob job = WriteBackJob.of(exchange);
        String reason = exchange.getProperty(CountAttempt.GIVE_UP, String.class);
        int attempts = exchange.getProperty(CountAttempt.ATTEMPTS, 1, Integer.class);
        String stage = job == null ? "load" : job.stage();
        String step = job == null ? LoadRequest.ID : job.step();
        if (job != null) {
            OutboxEntry entry = job.entry();
            transaction.executeWithoutResult(status -> {
                outbox.finish(entry.id(), OutboxEntry.Status.FAILED, stage + ": " + reason);
                shards.recordSyncError(entry.shardId(), entry.integrationId(), "write-back failed at " + stage + ": " + reason);
            });
        }
        exchange.getMessage().getHeaders().putAll(DeadLetters.stamp(queue, stage, step, reason, attempts));
        LOG.warn("Dead-lettering a write-back from {} at {} (step {}) after {} attempts: {}", queue, stage, step, attempts, reason);
    }
}
