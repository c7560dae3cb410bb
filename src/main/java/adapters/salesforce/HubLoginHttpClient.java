package adapters.salesforce;

import java.net.URI;
import java.util.concurrent.ExecutorService;

import org.apache.camel.CamelContext;
import org.apache.camel.component.salesforce.SalesforceHttpClient;
import org.eclipse.jetty.client.transport.HttpConversation;
import org.eclipse.jetty.client.transport.HttpRequest;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * camel-salesforce's HTTP client for a session whose tokens the hub manages: every OAuth request
 * ({@code /services/oauth2/token} and {@code /revoke}) goes to the hub's own token endpoint on
 * loopback, wherever camel aims it. camel logs in again at the org's instance URL once it has one
 * and revokes its old token there before every re-login and at logout; without this, the session's
 * handle would reach Salesforce and camel would revoke the hub's access token.
 */
final class HubLoginHttpClient extends SalesforceHttpClient {

    private static final String OAUTH = "/services/oauth2/";

    private final String hubLogin;

    /** {@code hubLogin}: the hub's token endpoint base for this integration, without a trailing slash. */
    HubLoginHttpClient(CamelContext camel, ExecutorService workerPool, String hubLogin) {
        super(camel, workerPool, new SslContextFactory.Client());
        this.hubLogin = hubLogin;
    }

    @Override
    public HttpRequest newHttpRequest(HttpConversation conversation, URI uri) {
        return super.newHttpRequest(conversation, toHub(uri));
    }

    URI toHub(URI uri) {
        String path = uri.getRawPath();
        int oauth = path == null ? -1 : path.indexOf(OAUTH);
        if (oauth < 0) {
            return uri;
        }
        return URI.create(hubLogin + path.substring(oauth) + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }
}
