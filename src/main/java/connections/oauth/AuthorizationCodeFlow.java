package connections.oauth;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import connections.Connections;
import hub.InvalidInputException;
import hub.UpstreamFailureException;
import providers.AdapterRegistry;
import providers.ConnectionTestResult;
import providers.ProviderDescriptor;
import security.Caller;
import security.CredentialTypes;
import security.CredentialVault;
import security.InvalidCredentialsException;
import security.OAuthServer;
import security.OutboundGuard;
import security.SecretNames;
import security.TokenExchange;
import store.AuditLog;
import store.Connection;
import store.Integration;
import store.IntegrationStore;
import store.Timestamps;

/**
 * OAuth 2.0 authorization-code connect with PKCE, at the provider's {@link OAuthServer}: {@link #start} hands
 * out the provider's authorization URL and keeps a single-use state; {@link #complete} redeems the
 * code the provider sends back to {@link #CALLBACK_PATH} and connects the integration with the tokens.
 * The code verifier and the client's id and secret wait in the vault, never in a row, log or answer.
 */
@Component
public class AuthorizationCodeFlow {

    /** Where the provider sends the user's browser back; reachable without an API key. */
    public static final String CALLBACK_PATH = "/api/oauth/callback";
    static final String TYPE = CredentialTypes.OAUTH2_AUTHORIZATION_CODE;
    private static final String CLIENT_ID = "clientId";
    private static final String CLIENT_SECRET = "clientSecret";
    private static final String VERIFIER = "codeVerifier";
    private static final int MAX_TEXT = 1000;
    private static final int PURGE_BATCH = 100;
    /** A return target: a path inside the console, of plain segments (no scheme, host, "..", query or backslash). */
    static final Pattern RETURN_TO = Pattern.compile("/console(/[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,99}){0,5}");
    private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AdapterRegistry adapters;
    private final IntegrationStore integrations;
    private final OAuthStates states;
    private final CredentialVault vault;
    private final TokenExchange tokens;
    private final Connections connections;
    private final AuditLog audit;
    private final Duration stateTtl;
    private final Map<String, OAuthServer> servers;
    private final OutboundGuard guard;

    public AuthorizationCodeFlow(AdapterRegistry adapters, IntegrationStore integrations, OAuthStates states, CredentialVault vault,
                                 TokenExchange tokens, Connections connections, AuditLog audit, OutboundGuard guard,
                                 List<OAuthServer> servers, @Value("${hub.oauth.state-ttl:10m}") Duration stateTtl) {
        this.adapters = adapters;
        this.integrations = integrations;
        this.states = states;
        this.vault = vault;
        this.tokens = tokens;
        this.connections = connections;
        this.audit = audit;
        this.stateTtl = stateTtl;
        this.servers = servers.stream().collect(Collectors.toUnmodifiableMap(OAuthServer::providerId, server -> server));
        this.guard = guard;
    }

    /**
     * Keeps a new state for the integration and answers the authorization URL to send the user to.
     * {@code defaultRedirectUri}: the hub's callback as the provider reaches it, used when the request names none.
     * {@code returnTo}: the console page the browser goes back to after the callback (null: the callback answers JSON);
     * only a path inside the hub's console ({@link #RETURN_TO}), never another site.
     */
    public AuthorizationStart start(Caller caller, Integration integration, OAuthConnectRequest request, String defaultRedirectUri,
                                    String returnTo) {
        if (returnTo != null && (returnTo.length() > 300 || !RETURN_TO.matcher(returnTo).matches())) {
            throw new InvalidInputException("returnTo", "must be a path of the hub's console (/console/...)");
        }
        requireOAuthCapable(adapters.get(integration.providerId()).descriptor());
        OAuthServer server = server(integration.providerId());
        purgeExpired();
        String clientId = required("clientId", request.clientId());
        String clientSecret = required("clientSecret", request.clientSecret());
        String loginUrl = withoutTrailingSlash(url("loginUrl", optional("loginUrl", request.loginUrl()), server.defaultLoginUrl()));
        try {
            // the hub exchanges the code at this server: refused now rather than when the user comes back
            guard.checkField("loginUrl", loginUrl);
        } catch (InvalidCredentialsException e) {
            throw new InvalidInputException(e.field(), e.getMessage());
        }
        String redirectUri = url("redirectUri", optional("redirectUri", request.redirectUri()), defaultRedirectUri);
        String scope = optional("scope", request.scope());
        String loginHint = optional("loginHint", request.loginHint());

        String state = Pkce.randomToken();
        String verifier = Pkce.randomToken();
        String secretName = SecretNames.tenant(integration.tenantId(), integration.providerId(),
                integration.id() + "-" + HexFormat.of().formatHex(randomBytes(8)), "oauth-state");
        vault.put(secretName, integration.tenantId(), Map.of(CLIENT_ID, clientId, CLIENT_SECRET, clientSecret, VERIFIER, verifier));
        audit.record(integration.tenantId(), caller.actor(), "secret.write", "secret", secretName, "connect/oauth state");
        OffsetDateTime now = Timestamps.now();
        OffsetDateTime expiresAt = now.plus(stateTtl);
        states.insert(new OAuthState(state, integration.tenantId(), integration.id(), secretName, loginUrl, redirectUri,
                caller.actor(), expiresAt, false, now, returnTo));
        audit.record(integration.tenantId(), caller.actor(), "integration.connect.oauth", "integration", integration.id(), "authorization started");
        return new AuthorizationStart(authorizationUrl(server.authorizeUrl(loginUrl), server.authorizeParameters(), clientId, redirectUri, state,
                Pkce.challenge(verifier), scope, loginHint),
                state, expiresAt);
    }

    /**
     * The console page a flow started from the console goes back to once its callback is redeemed (read before
     * {@link #complete}, which uses the state up); empty for an unknown state or a flow started through the API.
     */
    public java.util.Optional<String> returnTo(String state) {
        return state == null || state.isBlank() ? java.util.Optional.empty()
                : states.find(state).map(OAuthState::returnTo).filter(path -> RETURN_TO.matcher(path).matches());
    }

    /**
     * Redeems a callback: the state must be known, unused and unexpired (it is used up either way);
     * a provider refusal ({@code error}) is a 400 naming it; otherwise the code is exchanged for tokens,
     * which are stored and tested as {@code oauth2_authorization_code} credentials.
     */
    public CallbackResult complete(String state, String code, String error) {
        OAuthState row = (state == null || state.isBlank() ? null : states.find(state).orElse(null));
        if (row == null) {
            throw new InvalidInputException("state", "unknown state");
        }
        if (!states.claim(row.state())) {
            throw new InvalidInputException("state", "already used");
        }
        try {
            if (row.expiredAt(Timestamps.now())) {
                throw new InvalidInputException("state", "expired; start the connection again");
            }
            if (error != null && !error.isBlank()) {
                audit.record(row.tenantId(), row.actor(), "integration.connect.oauth", "integration", row.integrationId(),
                        "refused by provider: " + errorCode(error));
                throw new InvalidInputException("error", "the provider refused authorization: " + errorCode(error));
            }
            if (code == null || code.isBlank()) {
                throw new InvalidInputException("code", "required");
            }
            return redeem(row, code);
        } finally {
            vault.delete(row.secretName());
            audit.record(row.tenantId(), "hub", "secret.delete", "secret", row.secretName(), "connect/oauth state used");
        }
    }

    /** Refuses providers that do not take authorization-code credentials. */
    static void requireOAuthCapable(ProviderDescriptor provider) {
        if (!provider.authTypes().contains(TYPE)) {
            throw new InvalidInputException("providerId", provider.name() + " does not take " + TYPE + " credentials; it takes "
                    + String.join(", ", provider.authTypes()));
        }
    }

    private CallbackResult redeem(OAuthState row, String code) {
        Integration integration = integrations.findById(row.integrationId())
                .orElseThrow(() -> new InvalidInputException("state", "the integration no longer exists"));
        Map<String, String> sealed = vault.get(row.secretName())
                .orElseThrow(() -> new InvalidInputException("state", "unknown state"));
        audit.record(row.tenantId(), "hub", "secret.read", "secret", row.secretName(), "connect/oauth code exchange");
        OAuthServer server = server(integration.providerId());
        String tokenUrl = row.loginUrl() + server.tokenPath();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("client_id", sealed.get(CLIENT_ID));
        form.put("client_secret", sealed.get(CLIENT_SECRET));
        form.put("redirect_uri", row.redirectUri());
        form.put("code_verifier", sealed.get(VERIFIER));
        JsonNode answer = tokens.post(tokenUrl, form, server.tokenRequestStyle());
        Map<String, String> credentials = credentials(answer, sealed, tokenUrl, server.tokenAnswerFields());
        ConnectionTestResult result = connections.store(row.actor(), integration, TYPE, credentials, "connect/oauth", null);
        return new CallbackResult(integration.id(), TYPE, result.ok() ? Connection.Status.CONNECTED : Connection.Status.ERROR, result.message());
    }

    /** The token answer as oauth2_authorization_code credentials; a malformed answer is the provider's fault (502). */
    static Map<String, String> credentials(JsonNode answer, Map<String, String> client, String tokenUrl, Map<String, String> answerFields) {
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("clientId", client.get(CLIENT_ID));
        given.put("clientSecret", client.get(CLIENT_SECRET));
        given.put("accessToken", text(answer, "access_token"));
        given.put("refreshToken", text(answer, "refresh_token"));
        given.put("expiresAt", expiresAt(answer));
        given.put("tokenUrl", tokenUrl);
        given.put("scope", text(answer, "scope"));
        answerFields.forEach((answerField, credentialField) -> given.put(credentialField, text(answer, answerField)));
        given.values().removeIf(Objects::isNull);
        try {
            return CredentialTypes.validate(TYPE, given);
        } catch (InvalidCredentialsException e) {
            throw new UpstreamFailureException("token endpoint answered without a usable " + e.field());
        }
    }

    /**
     * issued_at (ms) + expires_in (s) when the answer has expires_in; Salesforce's has issued_at only
     * (its tokens live as long as the session), and then the expiry stays unknown.
     */
    static String expiresAt(JsonNode answer) {
        JsonNode expiresIn = answer.path("expires_in");
        if (!expiresIn.canConvertToLong() && !expiresIn.isTextual()) {
            return null;
        }
        long seconds = expiresIn.asLong(-1);
        if (seconds <= 0) {
            return null;
        }
        long issuedAt = answer.path("issued_at").asLong(0);
        Instant from = issuedAt > 0 ? Instant.ofEpochMilli(issuedAt) : Instant.now();
        return from.plusSeconds(seconds).toString();
    }

    private void purgeExpired() {
        for (OAuthState old : states.expired(Timestamps.now(), PURGE_BATCH)) {
            vault.delete(old.secretName());
            states.delete(old.state());
        }
    }

    /** The provider's authorization server; a provider without one cannot connect by OAuth here. */
    private OAuthServer server(String providerId) {
        OAuthServer server = servers.get(providerId);
        if (server == null) {
            throw new InvalidInputException("providerId", providerId + " has no OAuth authorization server in this hub");
        }
        return server;
    }

    private static String authorizationUrl(String authorizeUrl, Map<String, String> providerParameters, String clientId, String redirectUri,
                                           String state, String challenge, String scope, String loginHint) {
        Map<String, String> query = new LinkedHashMap<>(providerParameters);
        query.put("response_type", "code");
        query.put("client_id", clientId);
        query.put("redirect_uri", redirectUri);
        query.put("state", state);
        query.put("code_challenge", challenge);
        query.put("code_challenge_method", Pkce.METHOD);
        if (scope != null) {
            query.put("scope", scope);
        }
        if (loginHint != null) {
            query.put("login_hint", loginHint);
        }
        return authorizeUrl + "?" + query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("&"));
    }

    private static String text(JsonNode answer, String field) {
        JsonNode value = answer.path(field);
        return value.isValueNode() && !value.asText().isBlank() ? value.asText() : null;
    }

    private static String errorCode(String error) {
        return ERROR_CODE.matcher(error).matches() ? error : "unrecognised error";
    }

    private static String required(String field, String value) {
        String text = optional(field, value);
        if (text == null) {
            throw new InvalidInputException(field, "required");
        }
        return text;
    }

    private static String optional(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > MAX_TEXT) {
            throw new InvalidInputException(field, "longer than " + MAX_TEXT + " characters");
        }
        return value.trim();
    }

    private static String url(String field, String given, String fallback) {
        String value = given == null ? fallback : given;
        try {
            URI uri = URI.create(value);
            if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null) {
                return value;
            }
        } catch (IllegalArgumentException e) {
            // refused below without echoing the value
        }
        throw new InvalidInputException(field, "must be an http(s) URL");
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
