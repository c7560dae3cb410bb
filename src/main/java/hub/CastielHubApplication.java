package hub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The Castiel Integration Hub: Camel routes that keep tenants' external systems and Castiel shards in sync. */
@SpringBootApplication(scanBasePackages = {"hub", "routes", "processors", "providers", "store", "messaging", "api", "security", "connections", "sandbox", "ratelimits"})
@ConfigurationPropertiesScan(basePackages = {"hub", "routes", "processors", "providers", "store", "messaging", "api", "security", "connections", "sandbox", "ratelimits"})
public class CastielHubApplication {

    public static void main(String[] args) {
        SpringApplication.run(CastielHubApplication.class, args);
    }
}
