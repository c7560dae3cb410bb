package ratelimits;

import java.time.Clock;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import store.EventStore;
import store.IntegrationStore;
import store.OutboxStore;
import store.RateLimitOverrideStore;
import store.SyncExecutionStore;

/** Provider protection: buckets in this process or in PostgreSQL ({@code hub.rate-limits.store}), breakers, the gate. */
@Configuration
@EnableConfigurationProperties(RateLimitSettings.class)
public class RateLimitConfiguration {

    @Bean
    ProviderGate providerGate(RateLimitSettings settings, DataSource dataSource, RateLimitOverrideStore store, ObjectMapper json,
                              MeterRegistry meters, ProviderRateHeaders rateHeaders, IntegrationStore integrations, EventStore events,
                              PlatformTransactionManager transactions) {
        Buckets buckets = switch (settings.store()) {
            case "local" -> new LocalBuckets();
            case "postgres" -> new ReservedBuckets(new PostgresBuckets(dataSource));
            default -> throw new IllegalArgumentException("hub.rate-limits.store must be local or postgres, not " + settings.store());
        };
        Clock clock = Clock.systemUTC();
        return new ProviderGate(settings, buckets, new CircuitBreakers(settings.circuit(), clock, meters,
                new CircuitEvents(integrations, events, transactions)), store, json, clock, meters, rateHeaders);
    }

    /** Queued work as gauges: sync runs pending (queued, throttled or behind busy work) and write-backs not yet made. */
    @Bean
    MeterBinder queuedWorkMetrics(SyncExecutionStore executions, OutboxStore outbox) {
        return registry -> {
            Gauge.builder("hub.sync.queued", executions, SyncExecutionStore::countAllPending)
                    .description("sync runs queued or waiting: throttled, or behind busy work").register(registry);
            Gauge.builder("hub.writeback.queued", outbox, OutboxStore::countAllOpen)
                    .description("write-backs waiting in the outbox or on the queue").register(registry);
        };
    }

    /** Circuit states in the health endpoint: an open circuit is one provider down, not the hub, so the hub stays UP. */
    @Bean
    HealthIndicator circuitBreakersHealthIndicator(ProviderGate gate) {
        return () -> {
            Map<String, String> states = gate.circuitStates();
            long open = states.values().stream().filter(s -> !"CLOSED".equals(s)).count();
            return Health.up().withDetail("notClosed", open).withDetail("integrations", states).build();
        };
    }
}
