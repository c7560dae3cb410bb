package processors.sync;

import java.util.Comparator;
import java.util.Set;

import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import store.Connection;
import store.ConnectionStore;
import store.Integration;
import store.IntegrationStore;
import store.SyncExecution;
import store.SyncTask;
import store.SyncTaskStore;
import store.Timestamps;

/**
 * Queues the run an integrator's {@code scheduled-sync} route asks for, as the scheduler does ({@code scheduled} trigger,
 * coalesced with a run of the entity already queued): through the integration's task for the entity and mode when it
 * has one (the task's last run is recorded), else as a run of its own. A disabled or unconnected integration is
 * passed over, as the scheduler passes over its tasks.
 */
@Component("scheduledSyncTrigger")
public class ScheduledSyncTrigger {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledSyncTrigger.class);
    private static final Set<String> MODES = Set.of("full", "incremental");

    private final IntegrationStore integrations;
    private final ConnectionStore connections;
    private final SyncTaskStore tasks;
    private final SyncDispatcher dispatcher;

    public ScheduledSyncTrigger(IntegrationStore integrations, ConnectionStore connections, SyncTaskStore tasks,
                                SyncDispatcher dispatcher) {
        this.integrations = integrations;
        this.connections = connections;
        this.tasks = tasks;
        this.dispatcher = dispatcher;
    }

    /** Returns the id of the queued (or joined) execution, or null when the integration was passed over. */
    public String trigger(@Header("integrationId") String integrationId, @Header("entity") String entity, @Header("mode") String mode) {
        if (!MODES.contains(mode)) {
            throw new IllegalArgumentException("mode must be full or incremental, not '" + mode + "'");
        }
        Integration integration = integrations.findById(integrationId)
                .orElseThrow(() -> new IllegalArgumentException("no integration " + integrationId));
        if (!integration.syncEnabled()
                || connections.find(integrationId).filter(c -> c.status() == Connection.Status.CONNECTED).isEmpty()) {
            LOG.debug("Scheduled sync of {} {} passed over: integration disabled or not connected", integrationId, entity);
            return null;
        }
        SyncTask task = tasks.forIntegration(integrationId).stream()
                .filter(t -> t.entity().equalsIgnoreCase(entity) && t.mode().equals(mode))
                .min(Comparator.comparing(SyncTask::createdAt))
                .orElseGet(() -> new SyncTask(null, integration.tenantId(), integrationId, null, entity, mode, null, true, null, null,
                        null, Timestamps.now(), Timestamps.now()));
        SyncExecution execution = dispatcher.dispatch(task, SyncDispatcher.TRIGGER_SCHEDULED);
        return execution.id();
    }
}
