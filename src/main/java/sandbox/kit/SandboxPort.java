package sandbox.kit;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.catalina.connector.Connector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
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
    /** Root prefix to sandbox path, longest prefix first. */
    private final Map<String, String> routes;
    private final Connector connector;

    public SandboxPort(@Value("${hub.sandbox.port}") int port, Environment environment) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("hub.sandbox.port must be 0 (a free port) to 65535, was " + port);
        }
        this.port = port;
        this.routes = routes(Binder.get(environment).bind("hub.sandbox.port-routes", Bindable.mapOf(String.class, String.class))
                .orElse(Map.of()));
        this.connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
        connector.setPort(port);
        connector.setProperty("address", LOOPBACK);
    }

    private static Map<String, String> routes(Map<String, String> configured) {
        Map<String, String> sorted = new LinkedHashMap<>();
        configured.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed())
                .forEach(e -> {
                    String prefix = e.getKey().strip();
                    String target = e.getValue().strip();
                    if (!prefix.startsWith("/") || prefix.length() < 2) {
                        throw new IllegalArgumentException("hub.sandbox.port-routes: '" + prefix + "' is not a path prefix");
                    }
                    // the port reaches sandboxes and nothing else
                    if (!target.startsWith(SandboxLoopbackFilter.PREFIX) || target.contains("..")) {
                        throw new IllegalArgumentException("hub.sandbox.port-routes[" + prefix + "]: '" + target
                                + "' is not under " + SandboxLoopbackFilter.PREFIX);
                    }
                    sorted.put(prefix, target);
                });
        return sorted;
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
        for (Map.Entry<String, String> route : routes.entrySet()) {
            String prefix = route.getKey();
            boolean covered = prefix.endsWith("/") ? path.startsWith(prefix)
                    : path.equals(prefix) || path.startsWith(prefix + "/");
            if (covered) {
                return Optional.of(route.getValue() + path.substring(prefix.length()));
            }
        }
        return Optional.empty();
    }
}
