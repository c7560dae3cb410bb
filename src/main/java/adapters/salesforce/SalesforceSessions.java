package adapters.salesforce;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.CamelContext;
import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.SalesforceEndpointConfig;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import adapters.ConnectionContext;

/**
 * One camel-salesforce component per connection, registered under its own scheme
 * ({@code sf-<integration>-<n>}) so each tenant's org has its own login session.
 * A component is replaced when the connection's credentials change.
 */
@Component
class SalesforceSessions {

    private record Session(String scheme, String fingerprint, SalesforceComponent component) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceSessions.class);

    private final CamelContext camel;
    private final String apiVersion;
    private final long requestTimeoutMs;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    SalesforceSessions(CamelContext camel,
                       @Value("${hub.providers.salesforce.api-version}") String apiVersion,
                       @Value("${hub.providers.salesforce.request-timeout-ms}") long requestTimeoutMs) {
        this.camel = camel;
        this.apiVersion = apiVersion;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    String apiVersion() {
        return apiVersion;
    }

    /** The scheme of a logged-in component for this connection, logging in on first use. */
    String schemeFor(ConnectionContext connection) {
        Session current = sessions.get(connection.integrationId());
        String fingerprint = connection.fingerprint();
        if (current != null && current.fingerprint().equals(fingerprint)) {
            return current.scheme();
        }
        synchronized (this) {
            current = sessions.get(connection.integrationId());
            if (current != null && current.fingerprint().equals(fingerprint)) {
                return current.scheme();
            }
            if (current != null) {
                close(connection.integrationId());
            }
            Session session = open(connection, fingerprint);
            sessions.put(connection.integrationId(), session);
            return session.scheme();
        }
    }

    synchronized void close(String integrationId) {
        Session session = sessions.remove(integrationId);
        if (session != null) {
            try {
                camel.removeEndpoints(session.scheme() + ":*");
            } catch (Exception e) {
                // endpoints are only cached; the component is removed either way
            }
            camel.removeComponent(session.scheme());
            try {
                ServiceHelper.stopAndShutdownService(session.component());
            } catch (RuntimeException e) {
                LOG.debug("Salesforce session of integration {} did not log out cleanly: {}", integrationId, e.getMessage());
            }
        }
    }

    private Session open(ConnectionContext connection, String fingerprint) {
        SalesforceComponent component = new SalesforceComponent();
        component.setAuthenticationType(AuthenticationType.USERNAME_PASSWORD);
        component.setLoginUrl(connection.credential(SalesforceAdapter.LOGIN_URL));
        component.setClientId(connection.credential(SalesforceAdapter.CLIENT_ID));
        component.setClientSecret(connection.credential(SalesforceAdapter.CLIENT_SECRET));
        component.setUserName(connection.credential(SalesforceAdapter.USERNAME));
        component.setPassword(connection.credential(SalesforceAdapter.PASSWORD));
        component.setLazyLogin(false);
        component.setHttpRequestTimeout(requestTimeoutMs);
        component.setWorkerPoolSize(2);
        component.setWorkerPoolMaxSize(8);
        SalesforceEndpointConfig config = new SalesforceEndpointConfig();
        config.setApiVersion(apiVersion);
        config.setRawPayload(true);
        component.setConfig(config);
        String scheme = "sf-" + connection.integrationId() + "-" + generation.incrementAndGet();
        try {
            camel.addComponent(scheme, component);
            component.start();
        } catch (RuntimeException e) {
            camel.removeComponent(scheme);
            ServiceHelper.stopAndShutdownService(component);
            throw SalesforceErrors.classify("login", e);
        }
        return new Session(scheme, fingerprint, component);
    }

    /**
     * Logs out of every org when the hub starts closing, while the network (and a local sandbox) is
     * still there. Not a SmartLifecycle: one that depends on the CamelContext would start Camel
     * before its routes are collected.
     */
    @EventListener(ContextClosedEvent.class)
    public void closeAll() {
        sessions.keySet().forEach(this::close);
    }
}
