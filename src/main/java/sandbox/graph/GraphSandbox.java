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
 * <p>
 * Where {@code MSGRAPH_WIRE.md} marks a point UNVERIFIED, the sandbox keeps to the doc and chooses: deleted messages
 * come back in the delta with {@code deletedDateTime} set and an empty body; a new, edited or deleted reply brings its
 * root back in the next delta round (with its replies under {@code $expand=replies}), and {@code $filter=lastModifiedDateTime
 * gt} looks at the thread's last change; the 410's inner code is {@code resyncChangesApplyDifferences} with a
 * {@code Location}; an unknown or expired subscription is 404 {@code ResourceNotFound}; {@code reauthorize} answers 204;
 * drive notifications carry no {@code resourceData}; expired tokens are 401 {@code InvalidAuthenticationToken};
 * {@code /content} answers the bytes at once (Graph redirects to a download URL). {@code missed} can be sent from setup
 * (Graph sends it for Outlook resources only).
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
