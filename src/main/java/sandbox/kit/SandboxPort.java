package sandbox.kit;

import java.util.Optional;

import org.apache.catalina.connector.Connector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * A second port of the hub, plain HTTP on loopback only, where chosen sandboxes answer at the host's root, for clients
 * that can only be given an origin (the egit client under camel-github calls {@code /api/v3/...}, Google's Node client
 * drops a root URL's path). {@code hub.sandbox.port} (0: a free port, see {@link #localPort()}) and
 * {@code hub.sandbox.port-routes[/root-prefix]=/sandbox/...} say which; {@link SandboxPortFilter} serves them.
 */
@Component
@ConditionalOnExpression("${hub.sandbox.enabled:false} and '${hub.sandbox.port:}' != ''")
public class SandboxPort implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    static final String LOOPBACK = "127.0.0.1";
    private static final Logger LOG = LoggerFactory.getLogger(SandboxPort.class);

    private final int port;
    private final PortRoutes routes;
    private final Connector connector;

    public SandboxPort(@Value("${hub.sandbox.port}") int port, Environment environment) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("hub.sandbox.port must be 0 (a free port) to 65535, was " + port);
        }
        this.port = port;
        this.routes = PortRoutes.of(environment, "hub.sandbox.port-routes");
        this.connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
        connector.setPort(port);
        connector.setProperty("address", LOOPBACK);
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addAdditionalTomcatConnectors(connector);
    }

    @EventListener
    public void onWebServer(WebServerInitializedEvent event) {
        LOG.info("Sandbox port {} on {} serves {}", localPort(), LOOPBACK, routes);
    }

    /** The port the connector listens on once the web server is up (the chosen one when {@code hub.sandbox.port=0}). */
    public int localPort() {
        int local = connector.getLocalPort();
        return local > 0 ? local : port;
    }

    /** The sandbox path a root path on this port is answered as, when a route's prefix covers it. */
    Optional<String> sandboxPath(String path) {
        return routes.sandboxPath(path);
    }
}
