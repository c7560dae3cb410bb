package processors.sync;

import java.time.OffsetDateTime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import store.Connection;
import store.ConnectionStore;
import store.Integration;
import store.IntegrationStore;
import store.SyncTask;
import store.SyncTaskStore;
import store.Timestamps;

/**
 * Finds tasks whose schedule is due and queues a run of each. Every due task is claimed with a
 * compare-and-set on its next run, so instances sharing the database never queue it twice.
 */
@Component
public class DueTasks {

    private static final Logger LOG = LoggerFactory.getLogger(DueTasks.class);
    private static final int BATCH = 200;

    private final SyncTaskStore tasks;
    private final IntegrationStore integrations;
    private final ConnectionStore connections;
    private final SyncDispatcher dispatcher;

    public DueTasks(SyncTaskStore tasks, IntegrationStore integrations, ConnectionStore connections, SyncDispatcher dispatcher) {
        this.tasks = tasks;
        this.integrations = integrations;
        this.connections = connections;
        this.dispatcher = dispatcher;
    }

    /** Queues every due task; returns how many runs were queued. */
    public int dispatchDue() {
        OffsetDateTime now = Timestamps.now();
        int queued = 0;
        for (SyncTask task : tasks.due(now, BATCH)) {
            Integration integration = integrations.findById(task.integrationId()).orElse(null);
            String schedule = integration == null ? null : TaskSchedules.effectiveSchedule(task, integration);
            OffsetDateTime next = schedule == null ? null : Schedules.next("schedule", schedule, now);
            if (!tasks.claim(task, next)) {
                continue;
            }
            if (integration == null || !integration.syncEnabled()
                    || connections.find(integration.id()).filter(c -> c.status() == Connection.Status.CONNECTED).isEmpty()) {
                LOG.debug("Task {} skipped: integration disabled or not connected", task.id());
                continue;
            }
            dispatcher.dispatch(task, SyncDispatcher.TRIGGER_SCHEDULED);
            queued++;
        }
        return queued;
    }
}
