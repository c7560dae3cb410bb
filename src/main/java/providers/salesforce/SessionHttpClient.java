package providers.salesforce;

import java.net.URI;
import java.util.concurrent.ExecutorService;

import org.apache.camel.CamelContext;
import org.apache.camel.component.salesforce.SalesforceHttpClient;
import org.eclipse.jetty.client.transport.HttpConversation;
import org.eclipse.jetty.client.transport.HttpRequest;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import providers.ProviderResponses;
import security.OutboundGuard;

/**
 * camel-salesforce's HTTP client for one session. Every REST API response's status and headers go to
 * {@link ProviderResponses} (camel-salesforce itself keeps only the {@code Sforce-*} ones), so the hub
 * paces the integration by its budget and honours Retry-After.
 *
 * <p>For a session whose tokens the hub manages ({@code hubLogin} set), every OAuth request
 * ({@code /services/oauth2/token} and {@code /revoke}) goes to the hub's own token endpoint on
 * loopback, wherever camel aims it. camel logs in again at the org's instance URL once it has one and
 * revokes its old token there before every re-login and at logout; without this, the session's handle
 * would reach Salesforce and camel would revoke the hub's access token.
 *
 * <p>Every connection, redirect hops included, goes to addresses the {@link OutboundGuard} checked at
 * that moment: the login URL and the instance URL a login answer names are the tenant's to choose.
 * The hub's own token endpoint is the one internal address a session may reach whatever the list says.
 */
final class SessionHttpClient extends SalesforceHttpClient {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SessionHttpClient.class);
    private static final String OAUTH = "/services/oauth2/";
    private static final String API = "/services/data/";

    private final String hubLogin;
    private final String loginOrigin;
    private final String integrationId;
    private final ProviderResponses responses;
    /** Where this session's API calls went: the org's instance, where camel also logs in again and revokes. */
    private final java.util.Set<String> instanceOrigins = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * {@code hubLogin}: the hub's token endpoint base for this integration, without a trailing slash; null when the
     * provider's is used. {@code loginUrl}: the integration's login URL (or the hub's); OAuth requests go there or to
     * the org's instance, nowhere else.
     */
    SessionHttpClient(CamelContext camel, ExecutorService workerPool, String hubLogin, String loginUrl, String integrationId,
                      ProviderResponses responses, OutboundGuard guard) {
        super(camel, workerPool, new SslContextFactory.Client());
        setSocketAddressResolver(guard.resolver(hubLogin == null ? null : URI.create(hubLogin)));
        this.hubLogin = hubLogin;
        this.loginOrigin = origin(URI.create(loginUrl));
        this.integrationId = integrationId;
        this.responses = responses;
    }

    @Override
    public HttpRequest newHttpRequest(HttpConversation conversation, URI uri) {
        URI target = toHub(uri);
        HttpRequest request = super.newHttpRequest(conversation, target);
        String path = uri.getRawPath();
        if (path != null && path.contains(API)) {
            instanceOrigins.add(origin(target));
            request.onResponseHeaders(response -> responses.received(SalesforceAdapter.PROVIDER_ID, integrationId, response.getStatus(),
                    response.getHeaders()::get));
        } else if (path != null && path.contains(OAUTH) && !allowedForLogin(target)) {
            // never post the integration's credentials (or its tokens) to a login it was not configured with
            LOG.warn("Refused a Salesforce login request of integration {} to {}: not its login URL", integrationId, origin(target));
            request.abort(new IllegalStateException("Salesforce login refused: " + origin(target) + " is not the integration's login URL"));
        }
        return request;
    }

    /** Whether an OAuth request may go to this address: the integration's login origin, or an instance its API calls went to. */
    boolean allowedForLogin(URI target) {
        String origin = origin(target);
        return origin.equals(loginOrigin) || instanceOrigins.contains(origin);
    }

    private static String origin(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
        return scheme + "://" + (uri.getHost() == null ? "" : uri.getHost().toLowerCase(java.util.Locale.ROOT)) + ":" + port;
    }

    URI toHub(URI uri) {
        String path = uri.getRawPath();
        int oauth = path == null || hubLogin == null ? -1 : path.indexOf(OAUTH);
        if (oauth < 0) {
            return uri;
        }
        return URI.create(hubLogin + path.substring(oauth) + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }
}
