package routes;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import processors.sync.DueTasks;
import routes.config.MaintenancePolicy;

/** sync-scheduler: on a Quartz cron, queues a run of every task whose schedule is due. */
@Component
public class SyncSchedulerRoute extends RouteBuilder {

    private final DueTasks dueTasks;

    public SyncSchedulerRoute(DueTasks dueTasks) {
        this.dueTasks = dueTasks;
    }

    @Override
    public void configure() {
        from("quartz:hub/sync-scheduler?cron=RAW({{hub.scheduler.cron}})&stateful=true&recoverableJob=true")
                .routeId("sync-scheduler")
                .routeConfigurationId(MaintenancePolicy.ID)
                .bean(dueTasks, "dispatchDue").id("dispatch-due-tasks")
                .filter(body().isGreaterThan(0))
                    .log("Queued ${body} scheduled sync runs").id("log-queued");
    }
}
