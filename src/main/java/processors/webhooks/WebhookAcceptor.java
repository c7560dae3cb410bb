package processors.webhooks;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.tracing.TraceContext;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import hub.CloudEvents;
import hub.Traces;
import store.Timestamps;
import store.WebhookDelivery;
import store.WebhookDeliveryStore;

/**
 * Makes accepted deliveries durable before they are acknowledged, many at a time: writer threads
 * commit each batch to the delivery log (one transaction) and then hand it to the queue-webhook-deliveries
 * route ({@link #QUEUE_ROUTE}: one persistent message, on the broker's disk when the send returns), and only
 * then complete the callers' futures. A delivery whose key the log already holds is recorded as a duplicate
 * and not queued again.
 */
@Component
public class WebhookAcceptor implements SmartLifecycle {

    public static final String EVENT_TYPE = "Castiel.Integration.WebhookReceived";
    /** The route that puts a batch of accepted deliveries on the webhook-deliveries queue. */
    public static final String QUEUE_ROUTE = "direct:queue-webhook-deliveries";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookAcceptor.class);

    /** How a delivery ended up: accepted (queued) or a duplicate of one already accepted. */
    public enum Outcome { ACCEPTED, DUPLICATE }

    /** A delivery waiting for its batch, with the trace of the request that brought it (null when not traced). */
    private record Pending(WebhookDelivery delivery, String integrationId, CompletableFuture<Outcome> done, TraceContext trace) {
    }

    /** The span of one batch made durable and queued (README, "Tracing"). */
    public static final String SPAN = "webhook intake";

    /** Deliveries made durable, by outcome (accepted, duplicate); refusals are {@link DeliveryLog#REJECTED}. */
    public static final String RECEIVED = "hub.webhooks.received";

    private final WebhookDeliveryStore deliveries;
    private final io.micrometer.core.instrument.Counter accepted;
    private final io.micrometer.core.instrument.Counter duplicates;
    private final TransactionTemplate transaction;
    private final ProducerTemplate producer;
    private final ObjectMapper json;
    private final int batchSize;
    private final BlockingQueue<Pending> pending;
    private final int writers;
    private final Traces traces;
    private final List<Thread> writerThreads = new ArrayList<>();
    private volatile boolean running;

    public WebhookAcceptor(WebhookDeliveryStore deliveries, TransactionTemplate transaction, ProducerTemplate producer,
                           ObjectMapper json, WebhookSettings settings, io.micrometer.core.instrument.MeterRegistry meters,
                           Traces traces) {
        this.traces = traces;
        this.accepted = meters.counter(RECEIVED, "outcome", "accepted");
        this.duplicates = meters.counter(RECEIVED, "outcome", "duplicate");
        this.deliveries = deliveries;
        this.transaction = transaction;
        this.json = json;
        this.batchSize = settings.batchSize();
        this.writers = settings.writers();
        this.pending = new ArrayBlockingQueue<>(settings.batchSize() * 64);
        this.producer = producer;
    }

    /** Queues the delivery for the next batch; the future completes once it is durable (or failed). */
    public CompletableFuture<Outcome> accept(WebhookDelivery delivery, String integrationId) {
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        if (!running || !pending.offer(new Pending(delivery, integrationId, done, traces.current()))) {
            done.completeExceptionally(new IllegalStateException("webhook intake is not accepting deliveries"));
        }
        return done;
    }

    /** Puts accepted deliveries on the queue again (recovery after a crash between commit and send). */
    public void requeue(List<WebhookDelivery> deliveries, Map<String, String> integrationOfRegistration) {
        List<Pending> batch = new ArrayList<>();
        for (WebhookDelivery d : deliveries) {
            batch.add(new Pending(d, integrationOfRegistration.get(d.registrationId()), null, null));
        }
        send(batch);
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(batchSize);
        while (running || !pending.isEmpty()) {
            try {
                Pending first = pending.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                pending.drainTo(batch, batchSize - 1);
                // the batch's span continues the trace of its first delivery's request, linked to the others': the
                // queued message carries it to the webhook-delivery consumer
                traces.within(traces.start(SPAN, batch.stream().map(Pending::trace).toList()), () -> {
                    commit(batch);
                    return null;
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("Could not make {} webhook deliveries durable; they are refused", batch.size(), e);
                batch.forEach(p -> p.done().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Pending> batch) {
        // dedupe first, then commit the log, then the queue: a consumer always finds the rows a message names,
        // and a crash between the two commits leaves logged deliveries that the recovery sweep queues again
        Set<String> known = deliveries.knownKeys(batch.stream().map(Pending::delivery).toList());
        Set<String> seen = new HashSet<>();
        List<WebhookDelivery> rows = new ArrayList<>(batch.size());
        List<Pending> fresh = new ArrayList<>(batch.size());
        List<Outcome> outcomes = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            WebhookDelivery d = p.delivery();
            String key = d.registrationId() + "|" + d.deliveryKey();
            if (d.deliveryKey() != null && (known.contains(key) || !seen.add(key))) {
                rows.add(duplicate(d));
                outcomes.add(Outcome.DUPLICATE);
            } else {
                rows.add(d);
                fresh.add(p);
                outcomes.add(Outcome.ACCEPTED);
            }
        }
        transaction.executeWithoutResult(status -> deliveries.insert(rows));
        send(fresh);
        accepted.increment(fresh.size());
        duplicates.increment(batch.size() - fresh.size());
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done().complete(outcomes.get(i));
        }
    }

    /** One message for the whole batch: the queue carries one event per commit, not one per delivery. */
    private void send(List<Pending> fresh) {
        if (!fresh.isEmpty()) {
            // throws when the message is not on the queue: the batch is refused (and stays in the log for recovery)
            producer.sendBody(QUEUE_ROUTE, cloudEvent(fresh));
        }
    }

    private String cloudEvent(List<Pending> batch) {
        List<Map<String, String>> deliveries = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            deliveries.add(Map.of("deliveryId", p.delivery().id(), "registrationId", p.delivery().registrationId(),
                    "integrationId", p.integrationId(), "tenantId", p.delivery().tenantId()));
        }
        WebhookDelivery first = batch.get(0).delivery();
        return CloudEvents.write(json, EVENT_TYPE, "/webhooks", first.id(), first.receivedAt(), Map.of("deliveries", deliveries));
    }

    private static WebhookDelivery duplicate(WebhookDelivery d) {
        return new WebhookDelivery(d.id(), d.registrationId(), d.tenantId(), null, d.receivedAt(), d.verification(),
                WebhookDelivery.Status.DUPLICATE, d.httpStatus(), d.events(), "duplicate of delivery key " + d.deliveryKey(), null, null,
                d.ackMs(), Timestamps.now(), 0L);
    }

    @Override
    public void start() {
        running = true;
        for (int i = 0; i < writers; i++) {
            // several writers keep batches in flight while one waits for its commits to reach the disk
            Thread writer = new Thread(this::run, "webhook-intake-" + i);
            writer.setDaemon(true);
            writer.start();
            writerThreads.add(writer);
        }
    }

    @Override
    public void stop() {
        running = false;
        for (Thread writer : writerThreads) {
            try {
                writer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        writerThreads.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // below the web server's phase: started before it takes requests, stopped after it stops taking them; above the
        // Camel context's (Integer.MAX_VALUE - 2049): stopped before it, so the last batches still reach the queue route
        return Integer.MAX_VALUE - 2048;
    }
}
