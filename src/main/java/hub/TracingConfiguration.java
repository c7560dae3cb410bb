package hub;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingAwareMeterObservationHandler;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.observation.MicrometerObservationTracer;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.processor.DelegateAsyncProcessor;
import org.apache.camel.tracing.ActiveSpanManager;
import org.apache.camel.tracing.SpanAdapter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.autoconfigure.observation.ObservationProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tracing (README, "Tracing"), on with {@code management.tracing.enabled=true}: Spring Boot makes the tracer, its
 * exporter and the W3C propagation; this adds the Camel routes' spans (camel-observation: a span per route and per send,
 * the trace carried in a message's {@code traceparent} header across the broker). camel-observation-starter is not
 * used: its auto-configuration stands aside whenever Spring Boot's actuator is present.
 *
 * <p>Off (the default) samples nothing: Spring Boot still makes the tracer, without an exporter or propagation, and
 * {@link #tracingOff()} keeps it from recording spans no one will see; the routes make no spans at all.
 */
@Configuration(proxyBeanMethods = false)
public class TracingConfiguration {

    @Bean
    @ConditionalOnProperty(name = "management.tracing.enabled", havingValue = "false")
    Sampler tracingOff() {
        return Sampler.alwaysOff();
    }

    /** The routes' spans, but for the endpoints {@code hub.tracing.route-exclude-patterns} names (Camel's endpoint patterns). */
    @Bean
    @ConditionalOnProperty(name = "management.tracing.enabled", havingValue = "true")
    MicrometerObservationTracer routeTracing(CamelContext camel, Tracer tracer, ObservationRegistry observations,
                                             @Value("${hub.tracing.route-exclude-patterns:}") String excluded) {
        MicrometerObservationTracer routes = new MicrometerObservationTracer();
        routes.setTracer(tracer);
        routes.setObservationRegistry(observations);
        routes.setExcludePatterns(excluded.isBlank() ? null : excluded);
        routes.setTracingStrategy(new RouteSpanScope());
        routes.init(camel);
        return routes;
    }

    /**
     * Spring Boot's meters of observations (the web server's {@code http.server.requests} among them), but none of the
     * routes' spans: Camel names its observations after routes and queues, which would add a timer per route and queue
     * beside the hub's own meters. Otherwise as Spring Boot's own handler, which this one replaces.
     */
    @Bean
    TracingAwareMeterObservationHandler<Observation.Context> meterObservations(MeterRegistry meters, Tracer tracer,
                                                                               ObservationProperties properties) {
        DefaultMeterObservationHandler timers = properties.getLongTaskTimer().isEnabled() ? new DefaultMeterObservationHandler(meters)
                : new DefaultMeterObservationHandler(meters, DefaultMeterObservationHandler.IgnoredMeters.LONG_TASK_TIMER);
        return new TracingAwareMeterObservationHandler<>(timers, tracer) {
            @Override
            public boolean supportsContext(Observation.Context context) {
                return !routeSpan(context) && super.supportsContext(context);
            }
        };
    }

    /** An observation of camel-observation's: a route's (it marks them) or a send's (it names them all alike). */
    private static boolean routeSpan(Observation.Context context) {
        return context.containsKey(ROUTE_SPAN_MARK) || SEND_SPAN_NAME.equals(context.getName());
    }

    /**
     * Makes the exchange's route span current around each step of a route: camel-observation makes it current when the
     * route begins but closes that scope as soon as Camel hands the exchange on, so without this a step's own spans (the
     * shard upsert), its sends through a producer template (a sync queued for a webhook's changes, a provider's HTTP call)
     * and its log lines' trace ids would start traces of their own.
     */
    static final class RouteSpanScope implements InterceptStrategy {

        @Override
        public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target, Processor nextTarget) {
            return new DelegateAsyncProcessor(target) {
                @Override
                public boolean process(Exchange exchange, AsyncCallback callback) {
                    SpanAdapter span = ActiveSpanManager.getSpan(exchange);
                    if (span == null) {
                        return super.process(exchange, callback);
                    }
                    try (AutoCloseable scope = span.makeCurrent()) {
                        return super.process(exchange, callback);
                    } catch (RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        // closing a scope throws nothing; the step's own failures are on the exchange
                        throw new IllegalStateException(e);
                    }
                }
            };
        }
    }

    /** What camel-observation puts on the context of a route's observation, and names every send's. */
    private static final String ROUTE_SPAN_MARK = "camel.micrometer.abstract-internal";
    private static final String SEND_SPAN_NAME = "camel.component";
}
