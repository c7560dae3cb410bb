package sandbox.kit;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.apache.catalina.connector.Connector;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.stereotype.Component;

/**
 * The hub's TLS port for clients that speak only https (Microsoft's clients send a token only over https, Graph sends
 * change notifications only to https URLs): on 127.0.0.1 only, it serves the sandboxes under {@code /sandbox/**}, the
 * webhook receiver under {@code /webhooks/**}, and the root prefixes {@code hub.sandbox.tls-port-routes[/prefix]=/sandbox/...}
 * names ({@link SandboxTlsPortFilter}); everything else there is 404. {@code hub.sandbox.tls-port} (0: a free port,
 * logged and published as {@value #LOCAL_PORT_PROPERTY}; empty: no TLS port).
 * <p>
 * Its certificate is self-signed, made on first start in {@code hub.sandbox.tls-dir} ({@code ${hub.data-dir}/sandbox-tls})
 * and kept across restarts ({@link SandboxCertificate}); the start-up log says how to trust it.
 */
@Component
@ConditionalOnExpression("${hub.sandbox.enabled:false} and '${hub.sandbox.tls-port:}' != ''")
public class SandboxTlsPort implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    /** Where the port's number is published once it listens (as Spring Boot does {@code local.server.port}). */
    public static final String LOCAL_PORT_PROPERTY = "local.sandbox.tls-port";
    private static final Logger LOG = LoggerFactory.getLogger(SandboxTlsPort.class);

    private final int port;
    private final PortRoutes routes;
    private final SandboxCertificate certificate;
    private final Connector connector;
    private final ConfigurableEnvironment environment;

    public SandboxTlsPort(@Value("${hub.sandbox.tls-port}") int port,
            @Value("${hub.sandbox.tls-dir:${hub.data-dir}/sandbox-tls}") String directory, ConfigurableEnvironment environment) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("hub.sandbox.tls-port must be 0 (a free port) to 65535, was " + port);
        }
        this.port = port;
        this.environment = environment;
        this.routes = PortRoutes.of(environment, "hub.sandbox.tls-port-routes");
        this.certificate = SandboxCertificate.loadOrCreate(Path.of(directory).toAbsolutePath().normalize());
        this.connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
        connector.setPort(port);
        connector.setProperty("address", SandboxPort.LOOPBACK);
        connector.setScheme("https");
        connector.setSecure(true);
        connector.setProperty("SSLEnabled", "true");
        SSLHostConfig host = new SSLHostConfig();
        SSLHostConfigCertificate key = new SSLHostConfigCertificate(host, SSLHostConfigCertificate.Type.UNDEFINED);
        key.setCertificateKeystoreFile(certificate.keyStorePath().toString());
        key.setCertificateKeystorePassword(certificate.password());
        key.setCertificateKeystoreType("PKCS12");
        key.setCertificateKeyAlias(SandboxCertificate.ALIAS);
        host.addCertificate(key);
        connector.addSslHostConfig(host);
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addAdditionalTomcatConnectors(connector);
    }

    @EventListener
    public void onWebServer(WebServerInitializedEvent event) {
        int local = localPort();
        environment.getPropertySources().addFirst(new MapPropertySource("sandbox-tls-port", Map.of(LOCAL_PORT_PROPERTY, local)));
        String pem = certificate.pemPath().toString();
        LOG.info("Sandbox TLS port {} on {} (https://localhost:{}) serves /sandbox/**, /webhooks/** and {}, with the hub's"
                        + " self-signed certificate {}. Trust it: curl --cacert {} https://localhost:{}/sandbox/...;"
                        + " Node: NODE_EXTRA_CA_CERTS={}; Java: keytool -importcert -noprompt -alias castiel-sandbox -file {}"
                        + " -keystore <truststore> (then -Djavax.net.ssl.trustStore=<truststore>; the hub's own adapters"
                        + " trust it already)", local, SandboxPort.LOOPBACK, local, routes, pem, pem, local, pem, pem);
    }

    /** The port the connector listens on once the web server is up (the chosen one when {@code hub.sandbox.tls-port=0}). */
    public int localPort() {
        int local = connector.getLocalPort();
        return local > 0 ? local : port;
    }

    public SandboxCertificate certificate() {
        return certificate;
    }

    /** The sandbox path a root path on this port is answered as, when a route's prefix covers it. */
    Optional<String> sandboxPath(String path) {
        return routes.sandboxPath(path);
    }
}
