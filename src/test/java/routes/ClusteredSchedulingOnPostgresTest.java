package routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.listeners.TriggerListenerSupport;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import hub.PostgresHubTest;

/**
 * Two hub instances on one PostgreSQL are one Quartz cluster: a trigger's fire happens on one of them, never on both,
 * and the job of an instance that died mid-run is run again by a live one.
 */
class ClusteredSchedulingOnPostgresTest extends PostgresHubTest {

    private static final String SCHEDULER = "hub/sync-scheduler";

    @Autowired
    Scheduler scheduler;

    @Autowired
    JdbcClient jdbc;

    /** Every fire the scheduler began: the instance, the trigger and job, and the time it was scheduled for. */
    record Fire(String instance, String trigger, String job, long scheduledFor) {
    }

    static final class Fires extends TriggerListenerSupport {
        final List<Fire> seen = new CopyOnWriteArrayList<>();
        private final String instance;

        Fires(String instance) {
            this.instance = instance;
        }

        @Override
        public String getName() {
            return "fires-" + instance;
        }

        @Override
        public void triggerFired(org.quartz.Trigger trigger, JobExecutionContext context) {
            seen.add(new Fire(instance, trigger.getKey().toString(), trigger.getJobKey().toString(),
                    context.getScheduledFireTime().getTime()));
        }
    }

    @Test
    void eachFireOfATriggerRunsOnOneInstanceAndADeadInstancesJobIsRecovered() throws Exception {
        assertThat(scheduler.getMetaData().isJobStoreClustered()).as("the postgres profile clusters Quartz").isTrue();
        try (ConfigurableApplicationContext second = secondInstance()) {
            Scheduler other = second.getBean(Scheduler.class);
            assertThat(other.getSchedulerInstanceId()).isNotEqualTo(scheduler.getSchedulerInstanceId());
            Fires here = new Fires("first");
            Fires there = new Fires("second");
            scheduler.getListenerManager().addTriggerListener(here);
            other.getListenerManager().addTriggerListener(there);

            // the sync scheduler fires every second (PostgresHubTest's cron): watch eight of its fires
            await().atMost(Duration.ofSeconds(60)).until(() -> fires(here, there, SCHEDULER).size() >= 8);
            Map<Long, List<String>> byTime = new ConcurrentHashMap<>();
            for (Fire f : fires(here, there, SCHEDULER)) {
                byTime.computeIfAbsent(f.scheduledFor(), t -> new CopyOnWriteArrayList<>()).add(f.instance());
            }
            assertThat(byTime.values()).as("instances per scheduled fire").allSatisfy(instances -> assertThat(instances).hasSize(1));

            // an instance that stopped checking in while running the webhook retention job (a killed process leaves
            // exactly these rows): a live instance notices it and runs the job again
            String name = scheduler.getSchedulerName();
            long longAgo = System.currentTimeMillis() - 600_000;
            jdbc.sql("INSERT INTO qrtz_scheduler_state (sched_name, instance_name, last_checkin_time, checkin_interval) VALUES (?, 'killed-instance', ?, 5000)")
                    .params(name, longAgo).update();
            jdbc.sql("""
                    INSERT INTO qrtz_fired_triggers (sched_name, entry_id, trigger_name, trigger_group, instance_name, fired_time, sched_time,
                        priority, state, job_name, job_group, is_nonconcurrent, requests_recovery)
                    VALUES (?, 'killed-1', 'webhook-retention', 'hub', 'killed-instance', ?, ?, 5, 'EXECUTING', 'webhook-retention', 'hub', true, true)""")
                    .params(name, longAgo, longAgo).update();

            await().atMost(Duration.ofSeconds(60)).until(() -> fires(here, there, null).stream()
                    .anyMatch(f -> f.job().equals("hub.webhook-retention") && f.trigger().startsWith("RECOVERING_JOBS.")));
            assertThat(jdbc.sql("SELECT count(*) FROM qrtz_scheduler_state WHERE instance_name = 'killed-instance'").query(Long.class).single())
                    .as("the dead instance is forgotten").isZero();
            assertThat(fires(here, there, null).stream().filter(f -> f.trigger().startsWith("RECOVERING_JOBS.")).count())
                    .as("recovered once").isEqualTo(1);
        }
    }

    private static List<Fire> fires(Fires here, Fires there, String trigger) {
        return java.util.stream.Stream.concat(here.seen.stream(), there.seen.stream())
                .filter(f -> trigger == null || f.trigger().equals(trigger.replace('/', '.'))).toList();
    }
}
