package writeback;

import java.util.List;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import com.fasterxml.jackson.databind.ObjectMapper;

import hub.QueueWriter;
import store.OutboxEntry;
import store.OutboxStore;

/**
 * Moves outbox rows to {@code sync-outbound} in outbox order. Under the relay lock (one relay at a
 * time across instances), a batch of pending rows is committed to the queue and then marked relayed
 * in the database transaction that held the lock. A crash between the two sends the rows again;
 * the write-back finds them finished and does nothing twice.
 */
@Component
public class OutboxRelay {

    private final OutboxStore outbox;
    private final QueueWriter queues;
    private final TransactionTemplate transaction;
    private final ObjectMapper json;
    private final String queue;
    private final int batchSize;

    public OutboxRelay(OutboxStore outbox, QueueWriter queues, TransactionTemplate transaction, ObjectMapper json,
                       @Value("${hub.queue.sync-outbound}") String queue, @Value("${hub.writeback.relay-batch-size}") int batchSize) {
        this.outbox = outbox;
        this.queues = queues;
        this.transaction = transaction;
        this.json = json;
        this.queue = queue;
        this.batchSize = batchSize;
    }

    /** Relays pending rows until none is left; returns how many. */
    public int relay() {
        int total = 0;
        int relayed;
        do {
            relayed = transaction.execute(status -> {
                List<OutboxEntry> pending = outbox.lockPending(batchSize);
                queues.send(queue, pending.stream().map(e -> WriteBackRequest.of(e).message(json, e, 0)).toList());
                outbox.markRelayed(pending.stream().map(OutboxEntry::id).toList());
                return pending.size();
            });
            total += relayed;
        } while (relayed == batchSize);
        return total;
    }
}
