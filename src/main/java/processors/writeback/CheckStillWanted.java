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
        check(exchange, integrations.findById(WriteBackJob.of(exchange).entry().integrationId()).orElse(null));
    }

    /** The check against the integration as read (a batch reads it once for all of its rows; null: gone). */
    void check(Exchange exchange, Integration integration) {
        WriteBackJob job = WriteBackJob.at(exchange, ID);
        OutboxEntry entry = job.entry();
        if (integration == null || !integration.writesBack(entry.entity())) {
            outbox.finish(entry.id(), OutboxEntry.Status.SKIPPED, integration == null ? "the integration no longer exists"
                    : "the integration does not write " + entry.entity() + " back (syncDirection " + integration.syncDirection() + ")");
            exchange.setRouteStop(true);
            return;
        }
        job.integration(integration);
    }
}
