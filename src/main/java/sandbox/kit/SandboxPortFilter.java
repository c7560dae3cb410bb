package sandbox.kit;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriUtils;

/**
 * Requests that arrive on the {@link SandboxPort} are answered by the sandbox their route names (forwarded inside the
 * hub, so {@code /api/v3/repos} is served as {@code /sandbox/github/api/v3/repos}); everything else there, the API,
 * the actuator and the console included, is 404. Requests on the main port pass untouched. Runs before every other
 * filter, so nothing but a sandbox ever sees a request from that port.
 */
@Component
@ConditionalOnExpression("${hub.sandbox.enabled:false} and '${hub.sandbox.port:}' != ''")
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
public class SandboxPortFilter extends OncePerRequestFilter {

    private final SandboxPort sandboxPort;

    public SandboxPortFilter(SandboxPort sandboxPort) {
        this.sandboxPort = sandboxPort;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getLocalPort() != sandboxPort.localPort();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        forwardOrNotFound(request, response, sandboxPort::sandboxPath);
    }

    /**
     * A sandbox port's answer to a root path: forwarded to the sandbox path its routes give, for a local caller not
     * behind a proxy; else 404.
     */
    static void forwardOrNotFound(HttpServletRequest request, HttpServletResponse response,
            Function<String, Optional<String>> routes) throws ServletException, IOException {
        // the connector listens on loopback only; a proxy in front would make any caller look local
        Optional<String> target = SandboxLoopbackFilter.isLocalCaller(request)
                ? routes.apply(SandboxLoopbackFilter.path(request)) : Optional.empty();
        if (target.isEmpty()) {
            notFound(response);
            return;
        }
        // the path is decoded and normalized (no "..") by now; the dispatcher wants it encoded, the query string stays
        request.getRequestDispatcher(UriUtils.encodePath(target.get(), StandardCharsets.UTF_8)).forward(request, response);
    }

    /** What a sandbox port answers for anything it does not serve. */
    static void notFound(HttpServletResponse response) throws IOException {
        response.setStatus(HttpStatus.NOT_FOUND.value());
        response.setContentType("application/json");
        response.getWriter().write("{\"message\":\"Not Found\"}");
    }
}
