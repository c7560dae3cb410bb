package processors.writeback;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

import connections.Connections;
import processors.conflicts.ConflictPolicy;
import processors.mapping.EntityMapping;
import processors.mapping.MappingCatalog;
import providers.AdapterRegistry;
import providers.ConnectionContext;
import store.Integration;
import store.OutboxEntry;

/**
 * Gets what the provider calls need: the adapter, the entity's mapping (none is a permanent failure),
 * the connection (not connected is retried: the integration may be reconnected meanwhile) and the
 * entity's conflict policy.
 */
@Component
public class ConnectIntegration implements Processor {

    public static final String ID = "connect-integration";

    private final AdapterRegistry adapters;
    private final MappingCatalog mappings;
    private final Connections connections;

    public ConnectIntegration(AdapterRegistry adapters, MappingCatalog mappings, Connections connections) {
        this.adapters = adapters;
        this.mappings = mappings;
        this.connections = connections;
    }

    @Override
    public void process(Exchange exchange) {
        WriteBackJob job = WriteBackJob.at(exchange, ID);
        OutboxEntry entry = job.entry();
        Integration integration = job.integration();
        job.stage("connect");
        var adapter = adapters.get(integration.providerId());
        EntityMapping mapping = mappings.find(integration.providerId(), entry.entity(), integration.settings().fieldMappings())
                .orElseThrow(() -> new WriteBackFailure("map", "no mapping for " + integration.providerId() + " " + entry.entity(), true));
        ConnectionContext connection = connections.context(integration, "write back " + entry.id())
                .orElseThrow(() -> new WriteBackFailure("connect", "the integration is not connected", false));
        job.connected(adapter, mapping, connection, policyOf(integration, entry.entity()));
    }

    /** The conflict policy for an entity of the integration: its per-entity settings over the integration's. */
    public static ConflictPolicy policyOf(Integration integration, String entity) {
        Integration.WriteBack writeBack = integration.settings().writeBack();
        Integration.ConflictPolicy own = writeBack.conflicts().get(entity);
        String strategy = own != null && own.strategy() != null ? own.strategy()
                : integration.conflictResolution() != null ? integration.conflictResolution() : ConflictPolicy.LAST_WRITE_WINS;
        String fallback = own != null && own.fallback() != null ? own.fallback() : writeBack.fallback();
        Map<String, String> priority = own != null && own.fieldPriority() != null ? own.fieldPriority() : writeBack.fieldPriority();
        return new ConflictPolicy(strategy, fallback, priority);
    }
}
