package sandbox.graph;

import java.time.Clock;
import java.util.function.IntSupplier;
import javax.net.ssl.SSLContext;

import sandbox.kit.CallAdmission;
import sandbox.kit.Population;
import sandbox.kit.TakenTokens;

/**
 * The Graph sandbox's one tenant (the Entra sandbox's {@code sandbox-tenant}): its Teams and OneDrive content, its
 * subscriptions, the calls it admits (per token: Graph throttles per app and tenant) and the Entra tokens it has taken
 * (so setup can expire them).
 */
final class GraphSandbox {

    /** The admission window of API calls. */
    static final String CALLS = "graph";
    /** The audience of Graph's tokens: the resource of the {@code https://graph.microsoft.com/.default} scope. */
    static final String AUDIENCE = "https://graph.microsoft.com";

    final GraphSandboxProperties properties;
    final GraphTenant tenant;
    final GraphSeed seed;
    final GraphSubscriptions subscriptions;
    final CallAdmission calls;
    final TakenTokens taken;

    GraphSandbox(GraphSandboxProperties properties, Population population, Clock clock, SSLContext tls, IntSupplier tlsPort) {
        this.properties = properties;
        this.subscriptions = new GraphSubscriptions(properties, clock, tls, tlsPort);
        this.tenant = new GraphTenant(clock, subscriptions::changed);
        this.seed = new GraphSeed(population);
        this.calls = new CallAdmission(clock, properties.latencyMs()).window(CALLS, properties.rateLimit(), properties.rateWindow());
        this.taken = new TakenTokens(clock);
        seed.fill(tenant, properties);
    }

    int shutdown() {
        return subscriptions.shutdown();
    }
}
