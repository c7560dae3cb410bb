package processors.sync;

import java.time.Duration;
import java.time.OffsetDateTime;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Component;

import store.Integration;
import store.SyncTask;
import store.SyncTaskStore;
import store.Timestamps;

/** When tasks run: a task's own schedule, else its integration's sync frequency, else only on demand. */
@Component
public class TaskSchedules {

    private final SyncTaskStore tasks;
    private final Duration minInterval;

    public TaskSchedules(SyncTaskStore tasks, @Value("${hub.sync.min-interval}") String minInterval) {
        this.tasks = tasks;
        this.minInterval = DurationStyle.detectAndParse(minInterval);
    }

    /** 400 naming the field when the schedule is malformed or runs more often than allowed. */
    public void validate(String field, String schedule) {
        Schedules.validate(field, schedule, minInterval);
    }

    public static String effectiveSchedule(SyncTask task, Integration integration) {
        if (task.schedule() != null && !task.schedule().isBlank()) {
            return task.schedule();
        }
        String frequency = integration.syncFrequency();
        return frequency == null || frequency.isBlank() || "manual".equalsIgnoreCase(frequency) ? null : frequency;
    }

    /** Next run from now, or null when the task runs only on demand. */
    public OffsetDateTime nextRun(SyncTask task, Integration integration) {
        String schedule = effectiveSchedule(task, integration);
        return schedule == null || !task.enabled() ? null : Schedules.next("schedule", schedule, Timestamps.now());
    }

    /** After an integration's frequency changes, tasks that follow it move to their new next run. */
    public void rescheduleAll(Integration integration) {
        for (SyncTask task : tasks.forIntegration(integration.id())) {
            tasks.reschedule(task.id(), nextRun(task, integration));
        }
    }
}
