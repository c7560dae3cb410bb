package routes.config;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What the error policies do with a failure besides handling it: log it with its route and step, and count it in
 * {@value #COUNTER} (tags policy, route, step), which operators see at /actuator/metrics and in Prometheus.
 */
@Component
public class FailureReport {

    public static final String COUNTER = "hub.route.failures";
    private static final Logger LOG = LoggerFactory.getLogger(FailureReport.class);

    private final MeterRegistry meters;

    public FailureReport(MeterRegistry meters) {
        this.meters = meters;
    }

    /** The step that logs and counts a failure under {@code policy}; {@code then} says what happens next, for the log. */
    Processor of(String policy, LoggingLevel level, String then) {
        return exchange -> {
            String route = exchange.getProperty(ExchangePropertyKey.FAILURE_ROUTE_ID, exchange.getFromRouteId(), String.class);
            String step = FailedStep.of(exchange);
            Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
            meters.counter(COUNTER, "policy", policy, "route", String.valueOf(route), "step", step).increment();
            String reason = cause == null ? "unknown failure" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
            if (level == LoggingLevel.ERROR) {
                LOG.error("Route {} failed at step {}; {}: {}", route, step, then, reason, cause);
            } else {
                LOG.warn("Route {} failed at step {}; {}: {}", route, step, then, reason);
            }
        };
    }
}
