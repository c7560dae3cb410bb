package sandbox.kit;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import javax.net.ssl.SSLContext;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sandbox's webhook deliveries: queues (one per subscription, app or outbound message) whose items go out in
 * batches on a small executor of the sender's own, never on the API call's thread. The first item queued opens a
 * batch window; the items queued while it is open go out with it, at most {@code maxBatch} per request. A request the
 * receiver does not acknowledge is retried with exponential backoff until its items have had their attempts or are
 * too old. One request is in flight per queue at a time. Queues live in memory only.
 *
 * <p>The sandbox gives each queue its wire dialect ({@link Format}): the body of a batch, built when the request
 * goes (so it can carry records as they are then, and the attempt number), its headers with the provider's
 * signature, and what counts as an acknowledgement. Destinations given over HTTP pass {@link #destination} first:
 * only the hub's own origin, or the hosts the sandbox's setting lists.
 */
public final class WebhookSender {

    /** Largest response body read from a receiver. */
    private static final int MAX_RESPONSE_BYTES = 1 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);

    /**
     * How a sandbox's queues deliver.
     *
     * @param batchWindow how long the first item waits for others to go with it
     * @param maxBatch items per request at most
     * @param maxPending undelivered items a queue holds; more are dropped (memory is all there is)
     * @param retryInitial wait before the first retry; doubled on every further failure
     * @param retryMax longest wait between retries
     * @param maxAttempts attempts per item before it is dropped; 0: no bound
     * @param giveUpAfter age at which an undelivered item is dropped; null: no bound
     * @param timeout connect and response timeout of one request
     * @param allowedHosts where {@link #destination} lets webhooks go besides the hub's own origin ({@link WebhookDestinations})
     * @param allowedHostsSetting the setting that lists them, for refusals
     */
    public record Policy(Duration batchWindow, int maxBatch, int maxPending, Duration retryInitial, Duration retryMax,
            int maxAttempts, Duration giveUpAfter, Duration timeout, List<String> allowedHosts, String allowedHostsSetting) {

        public Policy {
            allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
        }

        /** The wait after {@code failedAttempts} failures: the initial wait, doubled per further failure, capped. */
        public Duration backoff(int failedAttempts) {
            Duration wait = retryInitial;
            for (int i = 1; i < failedAttempts && wait.compareTo(retryMax) < 0; i++) {
                wait = wait.multipliedBy(2);
            }
            return wait.compareTo(retryMax) > 0 ? retryMax : wait;
        }
    }

    /** One item of a batch as it goes: the item and how many attempts it has had before this one. */
    public record Attempt<T>(T item, int previousAttempts) {
    }

    /** A queue's wire dialect: what one request of a batch says, how it is signed, what acknowledges it. */
    public interface Format<T> {

        /** The request body for the batch, in queue order; runs on the sender's thread when the request goes. */
        byte[] body(List<Attempt<T>> batch);

        /** The request's headers (content type, signature...): {@code sentAt} is the time of this attempt. */
        Map<String, String> headers(URI url, byte[] body, Instant sentAt);

        /** Null when the receiver's answer acknowledges the batch, else why not; by default any 2xx does. */
        default String refusal(int status, byte[] body) {
            return status >= 200 && status < 300 ? null : "HTTP " + status;
        }
    }

    /** An item waiting for delivery, as a status shows it. */
    public record Pending<T>(T item, Instant queuedAt, int attempts, Instant nextAttemptAt, boolean inFlight,
            String lastError, Integer lastStatusCode, Instant lastAttemptAt) {
    }

    /** A queue's counters, its last request's outcome and what it holds. */
    public record Status<T>(long delivered, long dropped, long requests, long failedRequests, Integer lastStatusCode,
            String lastError, Instant lastAttemptAt, List<Pending<T>> pending) {
    }

    /** The outcome of one request: acknowledged, or why not. */
    private record Outcome(boolean acknowledged, Integer statusCode, String error) {
    }

    private final String name;
    private final Policy policy;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor executor;
    /** Open queues, held weakly: a queue its sandbox forgets (an evicted workspace's) goes with it. */
    private final Set<Queue<?>> queues = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private final SSLContext tls;
    private volatile HttpClient http;
    private volatile boolean stopped;

    /** {@code name} names the sender's threads and its log lines ("sandbox-hubspot-webhooks"). */
    public WebhookSender(String name, int threads, Policy policy, Clock clock) {
        this(name, threads, policy, clock, null);
    }

    /**
     * A sender whose https requests trust {@code tls} (null: the JDK's trust), as the Graph sandbox's, which reaches the
     * hub's receiver on the sandbox TLS port with {@link SandboxCertificate#trustingContext()}.
     */
    public WebhookSender(String name, int threads, Policy policy, Clock clock, SSLContext tls) {
        this.tls = tls;
        this.name = name;
        this.policy = policy;
        this.clock = clock;
        AtomicInteger count = new AtomicInteger();
        this.executor = new ScheduledThreadPoolExecutor(threads, r -> {
            Thread t = new Thread(r, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.executor.setRemoveOnCancelPolicy(true);
        this.executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    public Policy policy() {
        return policy;
    }

    /**
     * The URL a setup request names, when this sandbox may send to it (served on {@code ownPort}).
     *
     * @throws WebhookDestinations.Refused otherwise
     */
    public URI destination(String url, int ownPort) {
        return WebhookDestinations.check(url, policy.allowedHosts(), ownPort, policy.allowedHostsSetting());
    }

    /** A new queue to the URL ({@code label} names it in log lines); the URL is trusted: see {@link #destination}. */
    public <T> Queue<T> open(String label, URI url, Format<T> format) {
        Queue<T> queue = new Queue<>(label, url, format);
        queues.add(queue);
        return queue;
    }

    public boolean stopped() {
        return stopped;
    }

    /** Stops sending; whatever is still queued is lost (memory only). Answers how many items that was. */
    public int shutdown() {
        if (stopped) {
            return 0;
        }
        stopped = true;
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("{} did not stop within 5 s", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http = null; // Java 17's HttpClient cannot be closed; its selector thread ends once it is unreachable
        int pending;
        synchronized (queues) {
            pending = queues.stream().mapToInt(Queue::pendingCount).sum();
        }
        if (pending > 0) {
            LOG.info("{} stopped; {} undelivered items dropped", name, pending);
        }
        return pending;
    }

    /** Made on first use: a sandbox runs whether or not anyone sets up a webhook. */
    private HttpClient http() {
        HttpClient client = http;
        if (client == null) {
            synchronized (this) {
                client = http;
                if (client == null) {
                    HttpClient.Builder builder = HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(policy.timeout())
                            .followRedirects(HttpClient.Redirect.NEVER);
                    client = (tls == null ? builder : builder.sslContext(tls)).build();
                    http = client;
                }
            }
        }
        return client;
    }

    /** A queued item; mutable, guarded by its queue. */
    private static final class Item<T> {
        final T item;
        final Instant queuedAt;
        Instant nextAttempt;
        int attempts;
        boolean inFlight;
        String lastError;
        Integer lastStatusCode;
        Instant lastAttemptAt;

        Item(T item, Instant queuedAt, Instant nextAttempt) {
            this.item = item;
            this.queuedAt = queuedAt;
            this.nextAttempt = nextAttempt;
        }
    }

    /** One destination's items, timer and counters; all state is guarded by the queue. */
    public final class Queue<T> {
        private final String label;
        private final URI url;
        private final Format<T> format;
        private final List<Item<T>> pending = new ArrayList<>();
        private long delivered;
        private long dropped;
        private long requests;
        private long failedRequests;
        private Integer lastStatusCode;
        private String lastError;
        private Instant lastAttemptAt;
        private boolean sending;
        private boolean closed;
        private boolean overflowing;
        private Instant windowCloses;
        private ScheduledFuture<?> timer;
        private Instant timerAt;

        private Queue(String label, URI url, Format<T> format) {
            this.label = label;
            this.url = url;
            this.format = format;
        }

        public URI url() {
            return url;
        }

        public void enqueue(T item) {
            enqueue(List.of(item));
        }

        /** Queues items to go with the batch window open now, or a new one; past maxPending they are dropped. */
        public synchronized void enqueue(List<T> items) {
            if (closed || stopped) {
                return;
            }
            Instant now = clock.instant();
            boolean added = false;
            for (T item : items) {
                if (pending.size() >= policy.maxPending()) {
                    dropped++;
                    if (!overflowing) {
                        overflowing = true;
                        LOG.warn("{} {} holds {} undelivered items; dropping new ones", name, label, policy.maxPending());
                    }
                    continue;
                }
                overflowing = false;
                // the first item opens a batch window; the ones queued while it is open go out with it
                if (windowCloses == null || !windowCloses.isAfter(now)) {
                    windowCloses = now.plus(policy.batchWindow());
                }
                pending.add(new Item<>(item, now, windowCloses));
                added = true;
            }
            if (added) {
                scheduleAt(windowCloses);
            }
        }

        /** Drops the pending items and stops the queue. */
        public synchronized void close() {
            closed = true;
            pending.clear();
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }

        public synchronized int pendingCount() {
            return pending.size();
        }

        public synchronized Status<T> status() {
            List<Pending<T>> views = pending.stream()
                    .map(p -> new Pending<>(p.item, p.queuedAt, p.attempts, p.nextAttempt, p.inFlight, p.lastError,
                            p.lastStatusCode, p.lastAttemptAt))
                    .toList();
            return new Status<>(delivered, dropped, requests, failedRequests, lastStatusCode, lastError, lastAttemptAt, views);
        }

        /** Wakes the queue at {@code at} unless it already wakes earlier. */
        private void scheduleAt(Instant at) {
            if (closed || stopped || (timer != null && !timer.isDone() && !timerAt.isAfter(at))) {
                return;
            }
            if (timer != null) {
                timer.cancel(false);
            }
            // rounded up, so the queue does not wake just before the item is due
            long delay = Math.max(0, (Duration.between(clock.instant(), at).toNanos() + 999_999) / 1_000_000);
            try {
                timer = executor.schedule(this::pump, delay, TimeUnit.MILLISECONDS);
                timerAt = at;
            } catch (RejectedExecutionException e) {
                timer = null; // shutting down
            }
        }

        private void scheduleNext() {
            pending.stream().filter(p -> !p.inFlight).map(p -> p.nextAttempt).min(Comparator.naturalOrder())
                    .ifPresent(this::scheduleAt);
        }

        /** Sends one request of due items. */
        private void pump() {
            List<Item<T>> batch = new ArrayList<>();
            List<Attempt<T>> attempts = new ArrayList<>();
            synchronized (this) {
                timer = null;
                if (closed || stopped || sending) {
                    return;
                }
                Instant now = clock.instant();
                dropExpired(now);
                // the executor's timer and the clock may disagree by a hair
                Instant horizon = now.plusMillis(1);
                for (Item<T> p : pending) {
                    if (!p.inFlight && !p.nextAttempt.isAfter(horizon)) {
                        batch.add(p);
                        attempts.add(new Attempt<>(p.item, p.attempts));
                        if (batch.size() == policy.maxBatch()) {
                            break;
                        }
                    }
                }
                if (batch.isEmpty()) {
                    scheduleNext();
                    return;
                }
                sending = true;
                batch.forEach(p -> p.inFlight = true);
            }
            Outcome outcome;
            try {
                outcome = send(attempts);
            } catch (RuntimeException e) {
                LOG.warn("{} {} could not send to {}", name, label, url, e);
                outcome = new Outcome(false, null, "sandbox error: " + e);
            }
            finish(batch, outcome);
        }

        private synchronized void finish(List<Item<T>> batch, Outcome outcome) {
            sending = false;
            if (closed) {
                return;
            }
            requests++;
            Instant now = clock.instant();
            lastAttemptAt = now;
            lastStatusCode = outcome.statusCode();
            lastError = outcome.error();
            if (outcome.acknowledged()) {
                pending.removeAll(batch);
                delivered += batch.size();
            } else {
                failedRequests++;
                for (Item<T> p : batch) {
                    p.inFlight = false;
                    p.attempts++;
                    p.lastError = outcome.error();
                    p.lastStatusCode = outcome.statusCode();
                    p.lastAttemptAt = now;
                    p.nextAttempt = now.plus(policy.backoff(p.attempts));
                }
                int before = pending.size();
                if (policy.maxAttempts() > 0) {
                    pending.removeIf(p -> p.attempts >= policy.maxAttempts());
                }
                int gone = before - pending.size();
                if (gone > 0) {
                    dropped += gone;
                    LOG.warn("{} {} dropped {} items after {} attempts ({})", name, label, gone, policy.maxAttempts(),
                            outcome.error());
                } else {
                    LOG.debug("{} {} to {} not acknowledged ({}); {} items retried", name, label, url, outcome.error(),
                            batch.size());
                }
            }
            scheduleNext();
        }

        private void dropExpired(Instant now) {
            if (policy.giveUpAfter() == null) {
                return;
            }
            int before = pending.size();
            pending.removeIf(p -> !p.inFlight && !now.isBefore(p.queuedAt.plus(policy.giveUpAfter())));
            int gone = before - pending.size();
            if (gone > 0) {
                dropped += gone;
                LOG.warn("{} {}: {} items dropped after {} undelivered", name, label, gone, policy.giveUpAfter());
            }
        }

        /** Builds the request from the batch and POSTs it; runs outside the queue's lock. */
        private Outcome send(List<Attempt<T>> batch) {
            byte[] body = format.body(batch);
            HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(policy.timeout())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            format.headers(url, body, clock.instant()).forEach(request::header);
            try {
                HttpResponse<InputStream> response = http().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
                byte[] answer;
                try (InputStream in = response.body()) {
                    answer = in.readNBytes(MAX_RESPONSE_BYTES);
                }
                int status = response.statusCode();
                String refusal = format.refusal(status, answer);
                return new Outcome(refusal == null, status, refusal);
            } catch (HttpTimeoutException e) {
                return new Outcome(false, null, "timed out: " + e.getMessage());
            } catch (IOException e) {
                return new Outcome(false, null, "connection failed: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(false, null, "interrupted");
            }
        }
    }
}
