package sandbox.kit;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * On the {@link SandboxTlsPort}: {@code /sandbox/**} and the webhook receiver {@code /webhooks/**} pass as on the main
 * port, a routed root path is answered by its sandbox (forwarded inside the hub, so {@code /v1.0/teams} is served as
 * {@code /sandbox/graph/v1.0/teams}), everything else (the API, the actuator, the console) is 404. Requests on other
 * ports pass untouched.
 */
@Component
@ConditionalOnExpression("${hub.sandbox.enabled:false} and '${hub.sandbox.tls-port:}' != ''")
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
public class SandboxTlsPortFilter extends OncePerRequestFilter {

    private static final String WEBHOOKS = "/webhooks/";

    private final SandboxTlsPort tlsPort;

    public SandboxTlsPortFilter(SandboxTlsPort tlsPort) {
        this.tlsPort = tlsPort;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getLocalPort() != tlsPort.localPort();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = SandboxLoopbackFilter.path(request);
        if (path.startsWith(SandboxLoopbackFilter.PREFIX) || path.startsWith(WEBHOOKS)) {
            chain.doFilter(request, response);
            return;
        }
        SandboxPortFilter.forwardOrNotFound(request, response, tlsPort::sandboxPath);
    }
}
