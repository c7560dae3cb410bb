package processors.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import messaging.DeadLetters;
import messaging.QueueHeaders;
import processors.mapping.EntityMapping;
import processors.mapping.MappingCatalog;
import providers.AdapterRegistry;
import providers.IntegrationAdapter;
import store.Connection;
import store.ConnectionStore;
import store.Integration;
import store.IntegrationStore;
import store.SyncExecution;
import store.SyncExecutionStore;
import store.Timestamps;

/**
 * load-run, the first step of a sync run: reads the queued request, loads its execution (ignoring one already
 * finished, reopening a replayed dead letter's), and what the run needs (the integration, its connection, adapter
 * and mapping); refuses the run when one of them is missing. Sets {@link SyncStart#PROPERTY} for the next steps
 * (open-connection, claim-lease, start-pass); leaves it unset when there is nothing to run.
 */
@Component
public class SyncRunLoader implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(SyncRunLoader.class);

    /** Exchange property with the execution id, set before anything can fail. */
    public static final String EXECUTION_ID = "hub.executionId";

    private final ObjectMapper json;
    private final SyncExecutionStore executions;
    private final IntegrationStore integrations;
    private final ConnectionStore connections;
    private final AdapterRegistry adapters;
    private final MappingCatalog mappings;
    private final SyncRefusal refusal;

    public SyncRunLoader(ObjectMapper json, SyncExecutionStore executions, IntegrationStore integrations, ConnectionStore connections,
                         AdapterRegistry adapters, MappingCatalog mappings, SyncRefusal refusal) {
        this.json = json;
        this.executions = executions;
        this.integrations = integrations;
        this.connections = connections;
        this.adapters = adapters;
        this.mappings = mappings;
        this.refusal = refusal;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        exchange.removeProperty(SyncStart.PROPERTY);
        SyncRequest request = request(exchange.getMessage().getBody(String.class));
        if (request == null) {
            LOG.warn("Dropped an inbound sync message that is not a sync request");
            return;
        }
        exchange.setProperty(EXECUTION_ID, request.executionId());
        SyncExecution execution = executions.findById(request.executionId()).orElseGet(() -> recreate(request));
        if (execution == null) {
            return;
        }
        if (exchange.getMessage().getHeader(DeadLetters.REPLAY_OF) != null) {
            // a replayed dead letter runs its failed execution again, once however often it is replayed
            if (!executions.reopen(execution.id())) {
                LOG.info("Execution {} is {}, not failed; replayed request ignored", execution.id(), execution.status());
                return;
            }
            execution = executions.findById(execution.id()).orElseThrow();
            LOG.info("Execution {} replayed from the dead letter", execution.id());
        }
        if (execution.finished()) {
            LOG.info("Execution {} already {}; redelivered request ignored", execution.id(), execution.status());
            return;
        }
        Long waitingSince = exchange.getMessage().getHeader(QueueHeaders.WAITING_SINCE, Long.class);
        String waitingFor = exchange.getMessage().getHeader(SyncDispatcher.WAITING_FOR, String.class);
        Integer waitsInRow = exchange.getMessage().getHeader(SyncDispatcher.WAITS_IN_ROW, Integer.class);

        Integration integration = integrations.findById(execution.integrationId()).orElse(null);
        if (integration == null) {
            refusal.refuse(exchange, execution, "integration no longer exists");
            return;
        }
        if (!integration.syncEnabled()) {
            refusal.refuse(exchange, execution, "sync is disabled for this integration");
            return;
        }
        Connection connection = connections.find(integration.id()).orElse(null);
        if (connection == null || connection.status() != Connection.Status.CONNECTED) {
            refusal.refuse(exchange, execution,
                    "integration is not connected" + (connection != null && connection.lastError() != null ? ": " + connection.lastError() : ""));
            return;
        }
        IntegrationAdapter adapter = adapters.find(integration.providerId()).orElse(null);
        if (adapter == null) {
            refusal.refuse(exchange, execution, "no adapter for provider " + integration.providerId());
            return;
        }
        EntityMapping mapping = mappings.find(integration.providerId(), execution.entity(), integration.settings().fieldMappings())
                .orElse(null);
        if (mapping == null) {
            refusal.refuse(exchange, execution, "no mapping for " + integration.providerId() + " entity " + execution.entity());
            return;
        }
        exchange.setProperty(SyncStart.PROPERTY, new SyncStart(execution, integration, connection, adapter, mapping, waitingSince,
                waitingFor, waitsInRow == null ? 0 : waitsInRow));
    }

    /**
     * The queued request outlived its execution row (an embedded store can lose its last commits in a
     * hard crash): the message carries enough to record the execution again and run it.
     */
    private SyncExecution recreate(SyncRequest r) {
        if (r.tenantId() == null || r.integrationId() == null || r.entity() == null || r.mode() == null || r.trigger() == null
                || integrations.findById(r.integrationId()).isEmpty()) {
            LOG.warn("Dropped sync request for unknown execution {}", r.executionId());
            return null;
        }
        SyncExecution execution = new SyncExecution(r.executionId(), r.tenantId(), r.integrationId(), r.taskId(), r.entity(), r.mode(),
                r.trigger(), SyncExecution.Status.PENDING, "queued", SyncExecution.Counts.ZERO, false, null, Timestamps.now(), null, null, null);
        executions.insert(execution);
        LOG.warn("Execution {} was missing from the store; recorded again from its queued request", r.executionId());
        return execution;
    }

    private SyncRequest request(String body) {
        try {
            JsonNode data = json.readTree(body).path("data");
            return data.path("executionId").isTextual() ? json.treeToValue(data, SyncRequest.class) : null;
        } catch (Exception e) {
            return null;
        }
    }
}
