package sandbox.kit;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The sandboxes answer callers on this machine only: their credentials are published, so a request from
 * another address gets 404, as if there were no sandbox, unless {@code hub.sandbox.public=true}. (Behind a
 * reverse proxy on the same machine every caller looks local: keep the sandbox off there.)
 */
@Component
@ConditionalOnProperty(name = "hub.sandbox.enabled", havingValue = "true")
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class SandboxLoopbackFilter extends OncePerRequestFilter {

    static final String PREFIX = "/sandbox/";

    private final boolean open;

    public SandboxLoopbackFilter(@Value("${hub.sandbox.public:false}") boolean open) {
        this.open = open;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = path(request);
        return open || !(path.startsWith(PREFIX) || path.equals("/sandbox"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!isLocalCaller(request)) {
            response.setStatus(HttpStatus.NOT_FOUND.value());
            response.setContentType("application/json");
            response.getWriter().write("[{\"message\":\"The requested resource does not exist\",\"errorCode\":\"NOT_FOUND\"}]");
            return;
        }
        chain.doFilter(request, response);
    }

    /** The request's path in the hub, decoded and normalized. */
    static String path(HttpServletRequest request) {
        return (request.getServletPath() == null ? "" : request.getServletPath())
                + (request.getPathInfo() == null ? "" : request.getPathInfo());
    }

    /** A caller on this machine, not behind a proxy. */
    static boolean isLocalCaller(HttpServletRequest request) {
        // a proxy in front of the hub (or a valve that believes X-Forwarded-For) makes any caller look local
        boolean forwarded = request.getHeader("X-Forwarded-For") != null || request.getHeader("Forwarded") != null;
        return !forwarded && isLoopback(request.getRemoteAddr());
    }

    private static boolean isLoopback(String address) {
        try {
            // the container's remote address is a literal: nothing is looked up
            return address != null && InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
