package api;

import java.io.IOException;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import connections.oauth.AuthorizationCodeFlow;
import hub.ErrorBody;
import security.AdminKey;
import security.ApiKeys;
import security.Caller;
import store.ApiKeyStore;

/**
 * Bearer-key authentication of {@code /api/**}: the admin key opens {@code /api/admin}, a tenant key
 * opens the rest ({@code /api/tenant}, {@code /api/webhooks}) for its own tenant only; the catalog
 * takes either. The OAuth callback takes none.
 */
@Component
public class ApiKeyFilter extends OncePerRequestFilter {

    public static final String CALLER = "hub.caller";
    /** Where providers send the user back with an authorization code: public, its single-use state authenticates it. */

    private final AdminKey adminKey;
    private final ApiKeyStore keys;
    private final ObjectMapper json;

    public ApiKeyFilter(AdminKey adminKey, ApiKeyStore keys, ObjectMapper json) {
        this.adminKey = adminKey;
        this.keys = keys;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = RequestPath.of(request);
        // the OAuth callback is reached by the user's browser, sent by the provider: its single-use state authenticates it
        return !path.startsWith("/api/") || path.startsWith("/api/openapi") || path.equals(AuthorizationCodeFlow.CALLBACK_PATH);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = RequestPath.of(request);
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
            refuse(response, HttpStatus.UNAUTHORIZED, "missing API key: send 'Authorization: Bearer <key>'");
            return;
        }
        Optional<Caller> caller = identify(header.substring(7).trim());
        if (caller.isEmpty()) {
            refuse(response, HttpStatus.UNAUTHORIZED, "invalid API key");
            return;
        }
        if (path.startsWith("/api/admin/") && !caller.get().admin()) {
            refuse(response, HttpStatus.FORBIDDEN, "this endpoint needs the admin key");
            return;
        }
        if (!path.startsWith("/api/admin/") && !path.equals("/api/integrations") && caller.get().admin()) {
            refuse(response, HttpStatus.FORBIDDEN, "this endpoint needs a tenant key");
            return;
        }
        request.setAttribute(CALLER, caller.get());
        chain.doFilter(request, response);
    }

    /** The caller a key stands for: the administrator, a tenant through an active key, or nobody. */
    public Optional<Caller> identify(String key) {
        if (adminKey.matches(key)) {
            return Optional.of(Caller.administrator());
        }
        return keys.findActive(ApiKeys.hash(key)).map(owner -> Caller.tenant(owner.tenantId(), owner.keyId()));
    }

    private void refuse(HttpServletResponse response, HttpStatus status, String message) throws IOException {
        response.setStatus(status.value());
        if (status == HttpStatus.UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        json.writeValue(response.getOutputStream(), new ErrorBody(status.value(), status.getReasonPhrase(), message, null));
    }
}
