package processors.sync;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.support.DefaultExchange;
import org.springframework.stereotype.Component;

import processors.mapping.MappedRecord;

/**
 * The record filter hook of sync-inbound: a mapped record whose provider and entity have a running
 * {@code record-filter} route (from {@code direct:record-filter-<provider>-<entity>}, see routes/templates.camel.yaml) is
 * sent to it, the shard's fields as the body; a route that sets the exchange property {@value #SKIP} skips the record,
 * counted as skipped (its version still moves the cursor on). An error in the route fails that record, with the reason.
 * With no filter installed a record costs the lookup of an empty map.
 */
@Component("recordFilters")
public class RecordFilters implements Processor {

    /** Exchange property a record-filter route sets to skip the record. */
    public static final String SKIP = "CastielSkipRecord";

    private final ProducerTemplate producer;
    private final HookRoutes hooks;

    public RecordFilters(ProducerTemplate producer, HookRoutes hooks) {
        this.producer = producer;
        this.hooks = hooks;
    }

    @Override
    public void process(Exchange exchange) {
        Map<String, Route> installed = hooks.recordFilters();
        if (installed.isEmpty() || !(exchange.getMessage().getBody() instanceof RecordOutcome outcome) || outcome.mapped() == null) {
            return;
        }
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        Route filter = installed.get(run.integration().providerId() + "-" + run.entity());
        if (filter == null) {
            return;
        }
        MappedRecord record = outcome.mapped();
        Exchange probe = new DefaultExchange(exchange.getContext());
        probe.getMessage().setBody(record.structuredData());
        probe.getMessage().setHeader("CastielTenantId", run.integration().tenantId());
        probe.getMessage().setHeader("CastielIntegrationId", run.integration().id());
        probe.getMessage().setHeader("CastielProvider", run.integration().providerId());
        probe.getMessage().setHeader("CastielEntity", run.entity());
        probe.getMessage().setHeader("CastielShardType", record.shardType());
        probe.getMessage().setHeader("CastielExternalId", record.externalId());
        producer.send(filter.getEndpoint(), probe);
        if (probe.getException() != null) {
            exchange.getMessage().setBody(RecordOutcome.failed(outcome.externalId(), outcome.version(),
                    "record filter " + filter.getRouteId() + " failed: " + probe.getException().getMessage()));
        } else if (probe.getProperty(SKIP, false, Boolean.class)) {
            exchange.getMessage().setBody(outcome.skipped(filter.getRouteId()));
        }
    }
}
