package processors.writeback;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

import store.Integration;
import store.IntegrationStore;
import store.OutboxEntry;
import store.OutboxStore;

/**
 * Checks that the integration still exists and still writes the entity back (its direction or
 * entity list may have changed since the shard was written); otherwise the row is skipped.
 */
@Component
public class CheckStillWanted implements Processor {

    public static final String ID = "check-still-wanted";

    private final IntegrationStore integrations;
    private final OutboxStore outbox;

    public CheckStillWanted(IntegrationStore integrations, OutboxStore outbox) {
        this.integrations = integrations;
        this.outbox = outbox;
    }

    @Override
    public void process(Exchange exchange) {
        WriteBackJob job = WriteBackJob.at(exchange, ID);
        OutboxEntry entry = job.entry();
        Integration integration = integrations.findById(entry.integrationId()).orElse(null);
        if (integration == null || !integration.writesBack(entry.entity())) {
            outbox.finish(entry.id(), OutboxEntry.Status.SKIPPED, integration == null ? "the integration no longer exists"
                    : "the integration does not write " + entry.entity() + " back (syncDirection " + integration.syncDirection() + ")");
            exchange.setRouteStop(true);
            return;
        }
        job.integration(integration);
    }
}
