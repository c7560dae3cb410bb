package processors.sync;

import java.util.HashMap;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.StartupListener;
import org.apache.camel.spi.CamelEvent.RouteEvent;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.springframework.stereotype.Component;

/**
 * The integrator routes the sync pipeline hands work to (record filters, shard change listeners), found by the
 * endpoint they consume from and kept up to date from route events (started, stopped, removed), so the pipeline
 * never searches the routes per record: with none installed its hooks read an empty map.
 */
@Component
public class HookRoutes extends EventNotifierSupport implements StartupListener {

    /** Endpoint prefix of record-filter routes; then provider id, '-', entity. */
    static final String RECORD_FILTER = "direct://record-filter-";
    /** Endpoint prefix of shard change listeners. */
    static final String SHARD_CHANGES = "seda://shard-changes";

    private volatile Map<String, Route> recordFilters = Map.of();
    private volatile boolean shardChangeListeners;
    private final CamelContext camel;

    public HookRoutes(CamelContext camel) throws Exception {
        this.camel = camel;
        setIgnoreCamelContextEvents(true);
        setIgnoreExchangeEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        camel.getManagementStrategy().addEventNotifier(this);
        camel.addStartupListener(this);
    }

    /** Running record-filter routes by {@code <provider>-<entity>}. */
    Map<String, Route> recordFilters() {
        return recordFilters;
    }

    /** Whether a running route listens for shard changes. */
    boolean shardChangeListeners() {
        return shardChangeListeners;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof RouteEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        index((RouteEvent) event);
    }

    /** The route of a started event counts as started (its status may still say starting), of a stopped or removed one not. */
    private synchronized void index(RouteEvent event) {
        Map<String, Route> filters = new HashMap<>();
        boolean listeners = false;
        for (Route route : camel.getRoutes()) {
            String uri = route.getEndpoint().getEndpointUri();
            boolean started = event != null && event.getRoute() == route
                    ? event instanceof CamelEvent.RouteStartedEvent
                    : camel.getRouteController().getRouteStatus(route.getRouteId()) == ServiceStatus.Started;
            if (!started) {
                continue;
            }
            if (uri.startsWith(RECORD_FILTER)) {
                filters.put(uri.substring(RECORD_FILTER.length()), route);
            } else if (uri.startsWith(SHARD_CHANGES)) {
                listeners = true;
            }
        }
        recordFilters = Map.copyOf(filters);
        shardChangeListeners = listeners;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        index(null);
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        index(null);
    }
}
