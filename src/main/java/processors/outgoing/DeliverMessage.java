package processors.outgoing;

import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import io.micrometer.tracing.Span;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ServiceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import hub.ShutdownSignal;
import hub.Traces;
import providers.GuardedHttpEndpoint;
import security.OutboundGuard;
import security.RefusedAddressException;
import store.EventStore;
import store.OutgoingAttempt;
import store.OutgoingEndpoint;
import store.OutgoingMessage;
import store.OutgoingWebhookStore;
import store.Timestamps;

/**
 * One attempt of one claimed message: a Standard Webhooks POST ({@code webhook-id}, {@code webhook-timestamp},
 * {@code webhook-signature} with every signing secret) through the guarded pool (no redirects: a 3xx is a failure),
 * then, in one transaction, the attempt recorded and the message settled: 2xx delivered; {@code 410 Gone} fails it and
 * disables the endpoint at once; anything else (no answer included) waits for the next attempt of the
 * {@link RetrySchedule}, or fails after the last. An endpoint failing continuously for
 * {@code hub.webhooks-out.disable-after} is disabled. Disabling records {@value #DISABLED_EVENT}, so the tenant hears of it
 * (its event stream, its other endpoints, its notification channels). The sender's slot is freed whatever happened.
 *
 * <p>Traced, each attempt is a {@value #SPAN} span in the trace of the event (the message's {@code traceparent}), and
 * the POST a client span in it whose context the endpoint gets in a W3C {@code traceparent} header.
 */
@Component
public class DeliverMessage implements Processor, DisposableBean {

    public static final String ID = "deliver-message";
    public static final String DISABLED_EVENT = "webhook_endpoint.disabled";
    /** The span of one attempt, in the trace of the event the message carries. */
    public static final String SPAN = "webhook-out delivery";
    private static final Logger LOG = LoggerFactory.getLogger(DeliverMessage.class);
    private static final int MAX_ERROR = 300;

    private final OutgoingWebhookStore store;
    private final SigningSecrets secrets;
    private final RetrySchedule schedule;
    private final OutboundGuard guard;
    private final EventStore events;
    private final TransactionTemplate transaction;
    private final DeliverySlots slots;
    private final DispatchNudge nudge;
    private final ClaimDueMessages claims;
    private final ShutdownSignal shutdown;
    private final ProducerTemplate producer;
    private final GuardedHttpEndpoint http;
    private final Duration disableAfter;
    private final Traces traces;

    public DeliverMessage(OutgoingWebhookStore store, SigningSecrets secrets, RetrySchedule schedule, OutboundGuard guard, EventStore events,
                          TransactionTemplate transaction, DeliverySlots slots, DispatchNudge nudge, ClaimDueMessages claims,
                          ShutdownSignal shutdown, CamelContext camel,
                          ProducerTemplate producer, @Value("${hub.webhooks-out.disable-after}") String disableAfter,
                          @Value("${hub.webhooks-out.request-timeout}") String requestTimeout,
                          @Value("${hub.webhooks-out.connect-timeout}") String connectTimeout, Traces traces) {
        this.traces = traces;
        this.store = store;
        this.secrets = secrets;
        this.schedule = schedule;
        this.guard = guard;
        this.events = events;
        this.transaction = transaction;
        this.slots = slots;
        this.nudge = nudge;
        this.claims = claims;
        this.shutdown = shutdown;
        this.producer = producer;
        this.disableAfter = DurationStyle.detectAndParse(disableAfter);
        this.http = new GuardedHttpEndpoint(camel, guard, "webhooks-out-http", "https://localhost",
                DurationStyle.detectAndParse(requestTimeout).toMillis(), DurationStyle.detectAndParse(connectTimeout).toMillis(),
                slots.senders(), slots.senders());
    }

    /** What one attempt got: the status (0: no answer), how long it took, and why it got no answer. */
    record Outcome(int status, long durationMs, String error) {
        boolean delivered() {
            return status >= 200 && status < 300;
        }
    }

    /**
     * Delivers the claimed message, then, on the same sender slot, the endpoint's next due messages one by one while
     * there are any (a backlog drains without a dispatcher pass per message), until the hub or this route stops.
     */
    @Override
    public void process(Exchange exchange) {
        OutgoingMessage message = exchange.getMessage().getBody(OutgoingMessage.class);
        String endpointId = message.endpointId();
        try {
            while (message != null) {
                message = deliver(message, running(exchange));
            }
        } finally {
            slots.release(endpointId, 1);
            nudge.nudge();
        }
    }

    private boolean running(Exchange exchange) {
        ServiceStatus route = exchange.getContext().getRouteController().getRouteStatus(exchange.getFromRouteId());
        return !shutdown.isStopping() && route != null && route.isStarted();
    }

    /**
     * One attempt of the message, settled in the transaction that claims the endpoint's next due message when
     * {@code claimNext} (one commit a delivery: the database's commits bound the throughput); returns that message.
     */
    private OutgoingMessage deliver(OutgoingMessage message, boolean claimNext) {
        Optional<OutgoingEndpoint> found = store.findById(message.endpointId());
        if (found.isEmpty()) {
            return null;
        }
        OutgoingEndpoint endpoint = found.get();
        if (!endpoint.enabled()) {
            store.settle(message.id(), OutgoingMessage.Status.FAILED, message.attempts(), null,
                    message.lastStatus() == null ? 0 : message.lastStatus(), Timestamps.now());
            return null;
        }
        OffsetDateTime now = Timestamps.now();
        Outcome outcome = traces.within(attemptSpan(endpoint, message), () -> send(endpoint, message, now));
        return transaction.execute(s -> {
            settle(endpoint, message, now, outcome);
            return claimNext ? claims.claim(endpoint.id(), 1).stream().findFirst().orElse(null) : null;
        });
    }

    /** The attempt's span: in the event's trace, or one of its own when the event was recorded outside any. */
    private Span attemptSpan(OutgoingEndpoint endpoint, OutgoingMessage message) {
        Span span = message.traceParent() == null ? traces.start(SPAN, List.of()) : traces.start(SPAN, message.traceParent());
        return span.tag("hub.endpoint", endpoint.id()).tag("hub.webhook-id", message.id()).tag("hub.event-type", message.eventType());
    }

    Outcome send(OutgoingEndpoint endpoint, OutgoingMessage message, OffsetDateTime now) {
        if (!endpoint.url().startsWith("https:") && !guard.listed(URI.create(endpoint.url()))) {
            return new Outcome(0, 0, "refused: plain http to a host not listed in hub.outbound.allowed-hosts");
        }
        long timestamp = now.toEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("webhook-id", message.id());
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", WebhookSignature.header(secrets.signing(endpoint, now), message.id(), timestamp, message.payload()));
        headers.put("User-Agent", "Castiel-Hub-Webhooks/1");
        long start = System.nanoTime();
        GuardedHttpEndpoint.Reply reply = http.request(producer, "POST", endpoint.url(), headers, "application/json", message.payload());
        long durationMs = (System.nanoTime() - start) / 1_000_000;
        return new Outcome(reply.status(), durationMs, reply.failure() == null ? null : describe(reply.failure()));
    }

    private void settle(OutgoingEndpoint endpoint, OutgoingMessage message, OffsetDateTime now, Outcome outcome) {
        int attempt = message.attempts() + 1;
        store.recordAttempt(endpoint.tenantId(), endpoint.id(), new OutgoingAttempt(null, message.id(), message.eventType(), attempt, now,
                outcome.status(), outcome.delivered() ? "succeeded" : "failed", outcome.durationMs(),
                outcome.error() != null ? outcome.error() : outcome.delivered() ? null : "answered " + outcome.status()));
        OffsetDateTime settled = Timestamps.now();
        if (outcome.delivered()) {
            store.settle(message.id(), OutgoingMessage.Status.DELIVERED, attempt, null, outcome.status(), settled);
            if (endpoint.failingSince() != null) {
                store.succeeding(endpoint.id());
            }
            return;
        }
        if (outcome.status() == 410) {
            store.settle(message.id(), OutgoingMessage.Status.FAILED, attempt, null, outcome.status(), settled);
            disable(endpoint, "gone", "the endpoint answered 410 Gone", null, outcome.status(), settled);
            return;
        }
        Optional<OffsetDateTime> next = schedule.next(attempt, settled, () -> ThreadLocalRandom.current().nextDouble());
        store.settle(message.id(), next.isPresent() ? OutgoingMessage.Status.PENDING : OutgoingMessage.Status.FAILED, attempt,
                next.orElse(null), outcome.status(), settled);
        OffsetDateTime since = store.failing(endpoint.id(), now);
        if (!since.isAfter(settled.minus(disableAfter))) {
            disable(endpoint, "failing", "the endpoint has failed every attempt since " + since, since, outcome.status(), settled);
        }
    }

    private void disable(OutgoingEndpoint endpoint, String reason, String text, OffsetDateTime failingSince, int lastStatus, OffsetDateTime now) {
        if (store.disable(endpoint.id(), text, now)) {
            LOG.warn("Webhook endpoint {} of tenant {} disabled: {}", endpoint.id(), endpoint.tenantId(), text);
            events.append(endpoint.tenantId(), DISABLED_EVENT, endpoint.id(), EventStore.data("endpointId", endpoint.id(), "url", endpoint.url(),
                    "reason", reason, "message", text, "failingSince", failingSince == null ? null : failingSince.toString(),
                    "lastStatus", lastStatus));
        }
    }

    /** Why no answer came, without the request's headers: the guard's refusal, or the I/O failure's kind and message. */
    private static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RefusedAddressException refused) {
                return "refused: " + refused.getMessage() + " (" + refused.kind() + ")";
            }
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        return text.length() > MAX_ERROR ? text.substring(0, MAX_ERROR) : text;
    }

    @Override
    public void destroy() {
        http.close();
    }
}
