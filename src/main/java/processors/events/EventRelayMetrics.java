package processors.events;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

import store.EventStore;

/** The gauge {@code hub.events.unrelayed}: events committed and not yet published to the events topic, all tenants. */
@Component
public class EventRelayMetrics implements MeterBinder {

    private final EventStore events;

    public EventRelayMetrics(EventStore events) {
        this.events = events;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("hub.events.unrelayed", events, EventStore::countUnrelayed)
                .description("events committed and not yet published to the events topic").register(registry);
    }
}
