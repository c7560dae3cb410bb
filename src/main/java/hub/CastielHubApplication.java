package hub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

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

    /**
     * Netty's pooled allocator (the embedded broker's message buffers) takes its heap in chunks of 2^maxOrder pages of
     * 8 KiB, one chunk per arena and two arenas per core. Its default, 4 MiB, is a humongous object to G1 that fills two
     * 4 MiB regions: four of them held 32 MiB of a hub at rest whose whole live heap is about 90 MiB. 1 MiB chunks
     * (order 7) are ordinary objects; a buffer larger than a chunk is allocated on its own, as before. Set the property
     * on the command line to choose otherwise.
     */
    static final String NETTY_CHUNK_ORDER = "io.netty.allocator.maxOrder";

    /**
     * Netty's heap arenas, two per core, each keep a chunk once used. A hub with a heap under 256 MB (-Xmx128m) keeps
     * one arena: three more chunks there crowd a sync's records and the collector runs all the time (bench/README.md,
     * the scale curve). Set the property on the command line to choose otherwise.
     */
    static final String NETTY_HEAP_ARENAS = "io.netty.allocator.numHeapArenas";

    /**
     * JVM system property: when true, the hub stops as soon as it is ready. The build's class data sharing training
     * run sets it, so that the archive holds every class a start loads up to ready: the routes' and the web server's
     * as well as the context's (Spring's {@code spring.context.exit=onRefresh} stops before either starts).
     */
    static final String TRAINING_RUN = "hub.training-run";

    public static void main(String[] args) {
        if (System.getProperty(NETTY_CHUNK_ORDER) == null) {
            System.setProperty(NETTY_CHUNK_ORDER, "7");
        }
        if (System.getProperty(NETTY_HEAP_ARENAS) == null && Runtime.getRuntime().maxMemory() < 256L << 20) {
            System.setProperty(NETTY_HEAP_ARENAS, "1");
        }
        SpringApplication application = new SpringApplication(CastielHubApplication.class);
        Integer steps = Integer.getInteger(STARTUP_STEPS);
        if (steps != null) {
            application.setApplicationStartup(new BufferingApplicationStartup(steps));
        }
        ConfigurableApplicationContext context = application.run(args);
        if (Boolean.getBoolean(TRAINING_RUN)) {
            System.exit(SpringApplication.exit(context));
        }
    }
}
