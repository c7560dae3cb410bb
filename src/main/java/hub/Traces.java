package hub;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.SynchronizationAdapter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The hub's own spans, and the trace context it carries where Camel's tracing cannot: a webhook delivery handed to the
 * intake's writer threads, and a shard write or an event that waits in its outbox until the relay sends it. Micrometer Tracing's
 * tracer and propagator (Spring Boot's, on OpenTelemetry): W3C {@code traceparent}. With tracing off (the default,
 * {@code management.tracing.enabled=false}) spans are not sampled, nothing is recorded or exported, and no context is
 * written anywhere ({@link #currentParent()} is null).
 */
@Component
public class Traces {

    /** The W3C trace context header (and outbox column) a trace continues from. */
    public static final String TRACEPARENT = "traceparent";

    private final Tracer tracer;
    private final Propagator propagator;

    public Traces(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        this.tracer = tracer.getIfAvailable(() -> Tracer.NOOP);
        this.propagator = propagator.getIfAvailable(() -> Propagator.NOOP);
    }

    /** The current span's context, to continue its trace on another thread; null when none. */
    public TraceContext current() {
        Span span = tracer.currentSpan();
        return span == null ? null : span.context();
    }

    /** The current span's context as a W3C {@code traceparent}, to store with work done later; null when not traced. */
    public String currentParent() {
        TraceContext context = current();
        return context == null || !Boolean.TRUE.equals(context.sampled()) ? null : headers(context).get(TRACEPARENT);
    }

    /**
     * A new span, child of the first of {@code parents} that is not null and linked to the others (a batch of work many
     * traces handed over); with none, child of the current span or a trace of its own.
     */
    public Span start(String name, List<TraceContext> parents) {
        List<TraceContext> known = parents.stream().filter(Objects::nonNull).distinct().toList();
        if (known.isEmpty()) {
            return tracer.nextSpan().name(name).start();
        }
        Span.Builder builder = tracer.spanBuilder().setParent(known.get(0)).name(name);
        known.stream().skip(1).forEach(link -> builder.addLink(new Link(link)));
        return builder.start();
    }

    /** A new span in the trace {@code traceParent} (a W3C {@code traceparent}) continues; null when it is null. */
    public Span start(String name, String traceParent) {
        if (traceParent == null) {
            return null;
        }
        return propagator.extract(Map.of(TRACEPARENT, traceParent), Map::get).name(name).start();
    }

    /**
     * A relayed outbox row's message continues the trace the row kept ({@code traceParent}), through a span of the relay
     * that ends with the relay's exchange (marked failed when it failed): the message's {@code traceparent} header is that
     * span's. Nothing when the row kept no trace. The relay's own send must not be traced
     * ({@code hub.tracing.route-exclude-patterns}): it would replace the header with the relay's (a timer's) trace.
     */
    public void continueOn(Message message, String name, String traceParent, Exchange relay) {
        Span span = start(name, traceParent);
        if (span == null) {
            return;
        }
        headers(span).forEach(message::setHeader);
        relay.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                if (done.getException() != null) {
                    span.error(done.getException());
                }
                span.end();
            }
        });
    }

    /**
     * A span of its own, child of the current one and ended at once, linked to the trace {@code traceParent} continues:
     * this trace's work was handed to one already under way there (a change that joins a queued sync run). Nothing when
     * not traced.
     */
    public void handedOver(String name, String traceParent, Map<String, String> tags) {
        TraceContext current = current();
        if (current == null || !Boolean.TRUE.equals(current.sampled())) {
            return;
        }
        Span.Builder builder = tracer.spanBuilder().setParent(current).name(name);
        TraceContext linked = context(traceParent);
        if (linked != null) {
            builder.addLink(new Link(linked));
        }
        tags.forEach((key, value) -> {
            if (value != null) {
                builder.tag(key, value);
            }
        });
        builder.start().end();
    }

    /** The context a W3C {@code traceparent} names ({@code 00-<trace id>-<span id>-<flags>}); null when none or malformed. */
    private TraceContext context(String traceParent) {
        String[] parts = traceParent == null ? new String[0] : traceParent.split("-");
        if (parts.length != 4 || parts[1].length() != 32 || parts[2].length() != 16 || parts[3].length() != 2) {
            return null;
        }
        return tracer.traceContextBuilder().traceId(parts[1]).spanId(parts[2])
                .sampled((Integer.parseInt(parts[3], 16) & 1) == 1).build();
    }

    /** The headers that carry the span's context to whoever continues its trace ({@code traceparent}). */
    public Map<String, String> headers(Span span) {
        return headers(span.context());
    }

    private Map<String, String> headers(TraceContext context) {
        Map<String, String> headers = new HashMap<>();
        propagator.inject(context, headers, Map::put);
        return headers;
    }

    /** Runs {@code work} with {@code span} current (its child spans and log lines carry it), then ends the span. */
    public <T> T within(Span span, Supplier<T> work) {
        try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
            return work.get();
        } catch (RuntimeException | Error e) {
            span.error(e);
            throw e;
        } finally {
            span.end();
        }
    }

    /** A span of its own around {@code work}, child of the current span, with tags (the ids that find the work again). */
    public void within(String name, Map<String, String> tags, Runnable work) {
        Span span = tracer.nextSpan().name(name);
        tags.forEach((key, value) -> {
            if (value != null) {
                span.tag(key, value);
            }
        });
        within(span.start(), () -> {
            work.run();
            return null;
        });
    }
}
