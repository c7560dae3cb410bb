package routes.config;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

/**
 * Error policy of the housekeeping routes (quartz: webhook-retention, webhook-renewal, webhook-recovery,
 * token-refresher, sync-scheduler): a failed run is logged with its route and step, counted
 * ({@value FailureReport#COUNTER}, policy=maintenance) and handled, so the schedule goes on and the next run tries
 * again; each of these runs only does what is due, so a skipped run is made up by the next one.
 */
@Component
public class MaintenancePolicy extends RouteConfigurationBuilder {

    public static final String ID = "maintenance-policy";

    private final FailureReport report;

    public MaintenancePolicy(FailureReport report) {
        this.report = report;
    }

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(Exception.class)
                .handled(true)
                .process(report.of("maintenance", LoggingLevel.ERROR, "the next scheduled run tries again")).id("report-maintenance-failure");
    }
}
