package processors.writeback;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import messaging.QueueWriter;
import store.OutboxEntry;
import store.OutboxStore;

/**
 * Moves outbox rows to {@code sync-outbound} in outbox order. Under the relay lock (one relay at a
 * time across instances), a batch of pending rows is committed to the queue and then marked relayed
 * in the database transaction that held the lock. A crash between the two sends the rows again;
 * the write-back finds them finished and does nothing twice.
 *
 * <p>A shard write nudges the relay as soon as it commits (nudges that arrive while a relay is
 * queued are one relay), so a change leaves within milliseconds; the write-outbox-relay route runs
 * it on a timer as well, for rows another instance or a crash left behind.
 */
@Component
public class OutboxRelay {

    private final OutboxStore outbox;
    private final QueueWriter queues;
    private final TransactionTemplate transaction;
    private final ObjectMapper json;
    private final String queue;
    private final int batchSize;
    /** Write-back paused by the operator (a provider's maintenance window): changes wait in the outbox. */
    private final boolean paused;
    private final AtomicBoolean nudged = new AtomicBoolean();
    private final ExecutorService nudges = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "write-outbox-relay-nudge");
        t.setDaemon(true);
        return t;
    });
    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);

    public OutboxRelay(OutboxStore outbox, QueueWriter queues, TransactionTemplate transaction, ObjectMapper json,
                       @Value("${hub.queue.sync-outbound}") String queue, @Value("${hub.writeback.relay-batch-size}") int batchSize,
                       @Value("${hub.writeback.paused}") boolean paused) {
        this.outbox = outbox;
        this.queues = queues;
        this.transaction = transaction;
        this.json = json;
        this.queue = queue;
        this.batchSize = batchSize;
        this.paused = paused;
    }

    /** Has the rows relayed soon, on the relay's own thread; many nudges before it runs make one relay. */
    public void nudge() {
        if (nudged.compareAndSet(false, true)) {
            nudges.execute(() -> {
                nudged.set(false);
                try {
                    relay();
                } catch (RuntimeException e) {
                    LOG.warn("Outbox relay failed; the timer will try again: {}", e.getMessage());
                }
            });
        }
    }

    /** Relays pending rows until none is left; returns how many (none while write-back is paused). */
    public int relay() {
        if (paused) {
            return 0;
        }
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
