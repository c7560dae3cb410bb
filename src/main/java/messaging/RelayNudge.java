package messaging;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Has an outbox relay route run soon after rows commit, on a thread of its own: many nudges before it runs make one relay.
 * The relay routes also run on a timer, for rows another instance or a crash left behind, so a nudge that fails only
 * delays them.
 */
public class RelayNudge {

    /** Exchange property a relay's lock step sets: its batch was full, so more rows may wait. */
    public static final String FULL = "relayBatchFull";

    private static final Logger LOG = LoggerFactory.getLogger(RelayNudge.class);

    private final ProducerTemplate producer;
    private final String endpoint;
    private final AtomicBoolean nudged = new AtomicBoolean();
    private final ExecutorService nudges;

    protected RelayNudge(ProducerTemplate producer, String endpoint, String threadName) {
        this.producer = producer;
        this.endpoint = endpoint;
        this.nudges = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Loop predicate of a relay route: relay another batch (the first, or after a full one). */
    public static boolean moreToRelay(org.apache.camel.Exchange exchange) {
        return !Boolean.FALSE.equals(exchange.getProperty(FULL, Boolean.class));
    }

    /** Has the rows relayed soon, on the relay's own thread; many nudges before it runs make one relay. */
    public void nudge() {
        if (nudged.compareAndSet(false, true)) {
            nudges.execute(() -> {
                nudged.set(false);
                try {
                    producer.sendBody(endpoint, null);
                } catch (RuntimeException e) {
                    LOG.warn("Relay {} failed; its timer will try again: {}", endpoint, e.getMessage());
                }
            });
        }
    }
}
