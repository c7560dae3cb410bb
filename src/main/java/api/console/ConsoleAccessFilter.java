package api.console;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import api.RequestPath;

/**
 * The console's door ({@code /console/**}): a session signed in with the admin key or a tenant key (see
 * {@link ConsoleLoginController}), and a CSRF token on every request that changes something (a form's {@code _csrf}
 * field or htmx's {@code X-CSRF-Token} header), else 403. Without a session a page goes to the sign-in and comes back
 * after it; an htmx request is told to go there ({@code HX-Redirect}). The REST API's bearer keys
 * ({@code /api/**}) and the operations endpoints ({@code /actuator/**}) have their own filters and never see this one.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 40)
public class ConsoleAccessFilter extends OncePerRequestFilter {

    static final String PREFIX = "/console";
    static final String LOGIN = PREFIX + "/login";
    static final String CSRF_ATTRIBUTE = "console.csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";
    static final String CSRF_PARAMETER = "_csrf";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = RequestPath.of(request);
        return !path.equals(PREFIX) && !path.startsWith(PREFIX + "/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = RequestPath.of(request);
        HttpSession session = request.getSession(false);
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "same-origin");
        response.setHeader("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
        if (!SAFE.contains(request.getMethod()) && !csrfMatches(request, session)) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "missing or wrong CSRF token: reload the page");
            return;
        }
        if (path.startsWith(PREFIX + "/vendor/") || path.startsWith(PREFIX + "/assets/") || path.equals(LOGIN)) {
            chain.doFilter(request, response);
            return;
        }
        ConsoleUser user = session == null ? null : (ConsoleUser) session.getAttribute(ConsoleUser.SESSION_ATTRIBUTE);
        if (user == null) {
            String back = request.getHeader("HX-Request") != null ? currentPage(request) : pathAndQuery(request);
            String login = LOGIN + (back == null || !SAFE.contains(request.getMethod()) && request.getHeader("HX-Request") == null
                    ? "" : "?next=" + URLEncoder.encode(back, StandardCharsets.UTF_8));
            if (request.getHeader("HX-Request") != null) {
                response.setHeader("HX-Redirect", login);
                response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            } else if (SAFE.contains(request.getMethod())) {
                response.sendRedirect(login);
            } else {
                response.sendError(HttpServletResponse.SC_UNAUTHORIZED, "signed out: sign in again");
            }
            return;
        }
        request.setAttribute(ConsoleUser.SESSION_ATTRIBUTE, user);
        chain.doFilter(request, response);
    }

    /** The session's CSRF token, made when the session first needs one. */
    static String csrfToken(HttpSession session) {
        Object token = session.getAttribute(CSRF_ATTRIBUTE);
        if (token == null) {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            session.setAttribute(CSRF_ATTRIBUTE, token);
        }
        return (String) token;
    }

    /** A path inside the console to go back to after signing in; anything else (another site, a scheme) is refused. */
    static String safeNext(String next) {
        return next != null && next.startsWith(PREFIX) && !next.startsWith("//") && !next.contains("\\") && !next.contains("://")
                && (next.length() == PREFIX.length() || next.charAt(PREFIX.length()) == '/' || next.charAt(PREFIX.length()) == '?')
                ? next : PREFIX;
    }

    private static boolean csrfMatches(HttpServletRequest request, HttpSession session) {
        Object expected = session == null ? null : session.getAttribute(CSRF_ATTRIBUTE);
        String given = request.getHeader(CSRF_HEADER);
        if (given == null) {
            given = request.getParameter(CSRF_PARAMETER);
        }
        return expected != null && given != null
                && MessageDigest.isEqual(expected.toString().getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    private static String pathAndQuery(HttpServletRequest request) {
        String path = RequestPath.of(request);
        return request.getQueryString() == null ? path : path + "?" + request.getQueryString();
    }

    /** The page an htmx request came from (its {@code HX-Current-URL}), as a path. */
    private static String currentPage(HttpServletRequest request) {
        String url = request.getHeader("HX-Current-URL");
        if (url == null) {
            return null;
        }
        int path = url.indexOf('/', url.indexOf("://") + 3);
        return path < 0 ? null : url.substring(path);
    }
}
