package hub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The Castiel Integration Hub: Camel routes that keep tenants' external systems and Castiel shards in sync. */
@SpringBootApplication(scanBasePackages = {"hub", "routes", "processors", "providers", "store", "messaging", "api", "security", "connections", "sandbox", "ratelimits"})
@ConfigurationPropertiesScan(basePackages = {"hub", "routes", "processors", "providers", "store", "messaging", "api", "security", "connections", "sandbox", "ratelimits"})
public class CastielHubApplication {

    /**
     * JVM system property: when set to a number, Spring Boot records that many start-up steps (bean creations,
     * post-processors, context phases) for {@code /actuator/startup} (expose it with
     * {@code management.endpoints.web.exposure.include}); bench/startup.py reads its phases from there.
     */
    public static final String STARTUP_STEPS = "hub.startup.steps";

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(CastielHubApplication.class);
        Integer steps = Integer.getInteger(STARTUP_STEPS);
        if (steps != null) {
            application.setApplicationStartup(new BufferingApplicationStartup(steps));
        }
        application.run(args);
    }
}
