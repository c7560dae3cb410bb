package api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import hub.ErrorBody;
import security.AdminKey;
import security.Operators;

/**
 * Authentication of everything under {@code /actuator} (Hawtio, Jolokia, metrics, route states): the
 * admin key as a bearer key, or a Basic login of {@code admin} with the admin key as password or of an
 * operator ({@link Operators}), which is what a browser asks for when it opens Hawtio. Only the health
 * probes stay open, and anonymous health shows no details (the authenticated caller becomes the
 * request's principal, which is what {@code show-details=when-authorized} looks for). Runs before
 * Hawtio's and Jolokia's own filters.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class OperationsAccessFilter extends OncePerRequestFilter {

    static final String PREFIX = "/actuator";
    private static final Set<String> OPEN = Set.of(PREFIX + "/health", PREFIX + "/health/liveness", PREFIX + "/health/readiness");
    private static final String REALM = "Basic realm=\"Castiel hub operations\", charset=\"UTF-8\"";

    private final AdminKey adminKey;
    private final Operators operators;
    private final ObjectMapper json;

    public OperationsAccessFilter(AdminKey adminKey, Operators operators, ObjectMapper json) {
        this.adminKey = adminKey;
        this.operators = operators;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = RequestPath.of(request);
        return !path.equals(PREFIX) && !path.startsWith(PREFIX + "/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        Optional<String> user = header == null ? Optional.empty() : authenticate(header);
        if (OPEN.contains(RequestPath.of(request))) {
            chain.doFilter(user.isPresent() ? authenticated(request, user.get()) : request, response);
            return;
        }
        if (user.isEmpty()) {
            response.setStatus(HttpStatus.UNAUTHORIZED.value());
            response.addHeader("WWW-Authenticate", REALM);
            response.addHeader("WWW-Authenticate", "Bearer");
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            String message = header == null
                    ? "operations endpoints need the admin key ('Authorization: Bearer <key>') or an operator login"
                    : "invalid credentials for the operations endpoints";
            json.writeValue(response.getOutputStream(), new ErrorBody(401, "Unauthorized", message, null));
            return;
        }
        if (crossSite(request)) {
            // a browser that holds an operator's login, sent by another site's page: Hawtio itself is same-origin
            response.setStatus(HttpStatus.FORBIDDEN.value());
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            json.writeValue(response.getOutputStream(), new ErrorBody(403, "Forbidden",
                    "operations endpoints answer requests from their own origin only", null));
            return;
        }
        chain.doFilter(authenticated(request, user.get()), response);
    }

    /**
     * True for a request another site's page made the browser send: {@code Sec-Fetch-Site: cross-site} or
     * {@code same-site}, or an {@code Origin} that is not this request's own scheme, host and port. Scripts and curl
     * send neither header.
     */
    static boolean crossSite(HttpServletRequest request) {
        String fetchSite = request.getHeader("Sec-Fetch-Site");
        if ("cross-site".equalsIgnoreCase(fetchSite) || "same-site".equalsIgnoreCase(fetchSite)) {
            return true;
        }
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return false;
        }
        String host = request.getHeader("Host");
        return host == null || !origin.equalsIgnoreCase(request.getScheme() + "://" + host);
    }

    /** The caller's name when the header carries the admin key or a valid operator login. */
    private Optional<String> authenticate(String header) {
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return adminKey.matches(header.substring(7).trim()) ? Optional.of(Operators.ADMIN) : Optional.empty();
        }
        if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            int colon = decoded.indexOf(':');
            if (colon > 0 && operators.matches(decoded.substring(0, colon), decoded.substring(colon + 1))) {
                return Optional.of(decoded.substring(0, colon));
            }
        }
        return Optional.empty();
    }

    private static HttpServletRequest authenticated(HttpServletRequest request, String name) {
        Principal principal = () -> name;
        return new HttpServletRequestWrapper(request) {
            @Override
            public Principal getUserPrincipal() {
                return principal;
            }

            @Override
            public String getRemoteUser() {
                return name;
            }
        };
    }
}
