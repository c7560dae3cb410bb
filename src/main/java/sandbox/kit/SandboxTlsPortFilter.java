package sandbox.kit;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriUtils;

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
        // the connector listens on loopback only; a proxy in front would make any caller look local
        Optional<String> target = SandboxLoopbackFilter.isLocalCaller(request) ? tlsPort.sandboxPath(path) : Optional.empty();
        if (target.isEmpty()) {
            SandboxPortFilter.notFound(response);
            return;
        }
        // the path is decoded and normalized (no "..") by now; the dispatcher wants it encoded, the query string stays
        request.getRequestDispatcher(UriUtils.encodePath(target.get(), StandardCharsets.UTF_8)).forward(request, response);
    }
}
