package sandbox.webhook_receiver;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The test receivers for outgoing webhooks, by name (made on first use; the least recently used forgotten past
 * {@code maxReceivers}): each records what it received (the last {@code keep} requests, and a count of all) and answers
 * as it was told: 2xx, a failure status for the next K requests, slowly, or 410 Gone.
 */
final class WebhookReceivers {

    /** One request as received: when, its headers (names in lower case), its body, and the status answered. */
    record Received(Instant receivedAt, Map<String, String> headers, String body, int status) {
    }

    /**
     * How a receiver answers: {@code failStatus} for the next {@code failCount} requests, after {@code delayMs}; 410 to every
     * request while {@code gone}; else {@code status} (200).
     */
    record Behaviour(int status, int failStatus, int failCount, long delayMs, boolean gone) {
        static final Behaviour NORMAL = new Behaviour(200, 500, 0, 0, false);
    }

    static final class Receiver {
        private final Deque<Received> kept = new ArrayDeque<>();
        private final int keep;
        private Behaviour behaviour = Behaviour.NORMAL;
        private long count;

        Receiver(int keep) {
            this.keep = keep;
        }

        /** The status to answer this request with, and how long to wait first; the request is recorded with it. */
        synchronized Received receive(Instant at, Map<String, String> headers, String body) {
            int status;
            if (behaviour.gone()) {
                status = 410;
            } else if (behaviour.failCount() > 0) {
                status = behaviour.failStatus();
                behaviour = new Behaviour(behaviour.status(), behaviour.failStatus(), behaviour.failCount() - 1, behaviour.delayMs(), false);
            } else {
                status = behaviour.status();
            }
            Received received = new Received(at, headers, body, status);
            kept.addLast(received);
            if (kept.size() > keep) {
                kept.removeFirst();
            }
            count++;
            return received;
        }

        synchronized long delayMs() {
            return behaviour.delayMs();
        }

        synchronized void behave(Behaviour next) {
            behaviour = next;
        }

        synchronized Behaviour behaviour() {
            return behaviour;
        }

        synchronized long count() {
            return count;
        }

        /** The last {@code limit} requests kept, oldest first. */
        synchronized List<Received> received(int limit) {
            List<Received> all = new ArrayList<>(kept);
            return all.subList(Math.max(0, all.size() - limit), all.size());
        }
    }

    private final Clock clock;
    private final int keep;
    private final Map<String, Receiver> receivers;

    WebhookReceivers(Clock clock, int maxReceivers, int keep) {
        this.clock = clock;
        this.keep = keep;
        this.receivers = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Receiver> eldest) {
                return size() > maxReceivers;
            }
        };
    }

    synchronized Receiver receiver(String name) {
        return receivers.computeIfAbsent(name, n -> new Receiver(keep));
    }

    synchronized void reset(String name) {
        receivers.remove(name);
    }

    Instant now() {
        return clock.instant();
    }
}
