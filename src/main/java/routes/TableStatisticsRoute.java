package routes;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import routes.config.MaintenancePolicy;
import store.TableStatistics;

/**
 * table-statistics (PostgreSQL only; H2 analyses its tables itself): every {@code hub.store.analyze-period-ms}, each
 * instance analyses the tables grown enough since their last analysis ({@link TableStatistics}). Two instances doing it
 * at once only analyse a table twice.
 */
@Component
public class TableStatisticsRoute extends RouteBuilder {

    private final TableStatistics statistics;
    private final boolean postgres;

    public TableStatisticsRoute(TableStatistics statistics, @Value("${spring.datasource.url}") String url) {
        this.statistics = statistics;
        this.postgres = url.startsWith("jdbc:postgresql:");
    }

    @Override
    public void configure() {
        from("timer:table-statistics?period={{hub.store.analyze-period-ms}}&delay={{hub.store.analyze-period-ms}}")
                .routeId("table-statistics")
                .autoStartup(postgres)
                .routeConfigurationId(MaintenancePolicy.ID)
                .process(exchange -> statistics.analyzeGrown()).id("analyze-grown-tables");
    }
}
