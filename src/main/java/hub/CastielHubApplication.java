package hub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The Castiel Integration Hub: Camel routes that keep tenants' external systems and Castiel shards in sync. */
@SpringBootApplication(scanBasePackages = {"hub", "routes", "processors", "adapters", "store", "sync", "webhooks", "api", "security", "connections", "sandbox", "writeback", "deadletters", "ratelimits", "integrator"})
@ConfigurationPropertiesScan(basePackages = {"hub", "routes", "processors", "adapters", "store", "sync", "webhooks", "api", "security", "connections", "sandbox"})
public class CastielHubApplication {

    public static void main(String[] args) {
        SpringApplication.run(CastielHubApplication.class, args);
    }
}
