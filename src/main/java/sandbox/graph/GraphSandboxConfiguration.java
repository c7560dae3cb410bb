package sandbox.graph;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import sandbox.kit.Population;
import sandbox.kit.SandboxTlsPort;

/**
 * Wires the Graph sandbox when {@code hub.sandbox.enabled} and {@code hub.sandbox.graph.enabled}; its controllers carry
 * the same condition. Its handshakes and notifications trust the hub's sandbox TLS certificate (when the TLS port is on)
 * and may go to that port on loopback.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("${hub.sandbox.enabled:false} and ${hub.sandbox.graph.enabled:true}")
@EnableConfigurationProperties(GraphSandboxProperties.class)
public class GraphSandboxConfiguration {

    /** Notifications stop with the context. */
    @Bean(destroyMethod = "shutdown")
    GraphSandbox graphSandbox(GraphSandboxProperties properties, ObjectProvider<SandboxTlsPort> tlsPort, Environment environment) {
        SandboxTlsPort port = tlsPort.getIfAvailable();
        return new GraphSandbox(properties, new Population(), Clock.systemUTC(),
                port == null ? null : port.certificate().trustingContext(),
                () -> environment.getProperty(SandboxTlsPort.LOCAL_PORT_PROPERTY, Integer.class, 0));
    }
}
