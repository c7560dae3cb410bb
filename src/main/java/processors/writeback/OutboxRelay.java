package processors.writeback;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Has the outbox relayed soon after a shard write commits. The relay itself is the
 * {@code relay-outbox} route (rows in outbox order to {@code sync-outbound}, one JMS transaction per
 * batch inside the database transaction that marks the rows); the write-outbox-relay route runs it on
 * a timer as well, for rows another instance or a crash left behind.
 */
@Component
public class OutboxRelay {

    /** The relay route's endpoint. */
    public static final String ENDPOINT = "direct:relay-outbox";
    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);

    private final ProducerTemplate producer;
    private final AtomicBoolean nudged = new AtomicBoolean();
    private final ExecutorService nudges = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "write-outbox-relay-nudge");
        t.setDaemon(true);
        return t;
    });

    public OutboxRelay(ProducerTemplate producer) {
        this.producer = producer;
    }

    /** Has the rows relayed soon, on the relay's own thread; many nudges before it runs make one relay. */
    public void nudge() {
        if (nudged.compareAndSet(false, true)) {
            nudges.execute(() -> {
                nudged.set(false);
                try {
                    producer.sendBody(ENDPOINT, null);
                } catch (RuntimeException e) {
                    LOG.warn("Outbox relay failed; the timer will try again: {}", e.getMessage());
                }
            });
        }
    }
}
