package adapters.salesforce;

import java.net.URI;
import java.util.concurrent.ExecutorService;

import org.apache.camel.CamelContext;
import org.apache.camel.component.salesforce.SalesforceHttpClient;
import org.eclipse.jetty.client.transport.HttpConversation;
import org.eclipse.jetty.client.transport.HttpRequest;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import adapters.ProviderResponses;
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

    private static final String OAUTH = "/services/oauth2/";
    private static final String API = "/services/data/";

    private final String hubLogin;
    private final String integrationId;
    private final ProviderResponses responses;

    /** {@code hubLogin}: the hub's token endpoint base for this integration, without a trailing slash; null when the provider's is used. */
    SessionHttpClient(CamelContext camel, ExecutorService workerPool, String hubLogin, String integrationId, ProviderResponses responses,
                      OutboundGuard guard) {
        super(camel, workerPool, new SslContextFactory.Client());
        setSocketAddressResolver(guard.resolver(hubLogin == null ? null : URI.create(hubLogin)));
        this.hubLogin = hubLogin;
        this.integrationId = integrationId;
        this.responses = responses;
    }

    @Override
    public HttpRequest newHttpRequest(HttpConversation conversation, URI uri) {
        HttpRequest request = super.newHttpRequest(conversation, toHub(uri));
        String path = uri.getRawPath();
        if (path != null && path.contains(API)) {
            request.onResponseHeaders(response -> responses.received(integrationId, response.getStatus(), response.getHeaders()::get));
        }
        return request;
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
