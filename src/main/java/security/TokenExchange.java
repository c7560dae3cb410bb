package security;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import hub.InvalidInputException;
import hub.UpstreamFailureException;

/**
 * POSTs a form (or, for a provider that wants it, JSON; see {@link OAuthServer.TokenRequestStyle}) to an authorization
 * server's token endpoint (code exchange, refresh) and returns its JSON answer. Errors name the server's error code only: the form and the body hold secrets.
 * The endpoint passes the {@link OutboundGuard} before every call and redirects are never followed;
 * the JDK client resolves the name again when it connects (a DNS answer changed in between is not seen).
 */
@Component
public class TokenExchange {

    private static final Logger LOG = LoggerFactory.getLogger(TokenExchange.class);
    // OAuth error codes are short ASCII words; anything else is not echoed
    private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final Duration timeout;
    private final ObjectMapper json;
    private final OutboundGuard guard;
    private final SandboxTrust trust;
    private volatile HttpClient http;

    @Autowired
    public TokenExchange(@Value("${hub.oauth.token-timeout:30s}") Duration timeout, ObjectMapper json, OutboundGuard guard,
                         SandboxTrust trust) {
        this.guard = guard;
        this.timeout = timeout;
        this.json = json;
        this.trust = trust;
    }

    /** For tests and tools without the sandboxes: the JDK's trust only. */
    public TokenExchange(Duration timeout, ObjectMapper json, OutboundGuard guard) {
        this(timeout, json, guard, new SandboxTrust(false, "."));
    }

    /**
     * The client, trusting what {@link SandboxTrust} does (with the sandboxes on, the sandbox TLS port's certificate too,
     * so Entra's sandbox is reachable over https); made again once that trust changes (the certificate appears at start).
     */
    private HttpClient http() {
        javax.net.ssl.SSLContext context = trust.sslContext();
        HttpClient current = http;
        if (current == null || current.sslContext() != context) {
            current = HttpClient.newBuilder().sslContext(context).connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
            http = current;
        }
        return current;
    }

    /** What the token endpoint answered: its status and JSON body (an empty object when it sent none or no JSON). */
    public record Answer(int status, JsonNode body) {

        public boolean ok() {
            return status == 200 && body.hasNonNull("access_token");
        }

        /** The server's OAuth error code, when it is a plain code; never other text from the body. */
        public String errorCode() {
            String code = body.path("error").asText(null);
            return code != null && ERROR_CODE.matcher(code).matches() ? code : "no error code";
        }
    }

    /**
     * Sends the form and returns the answer, whatever its status.
     *
     * @throws RefusedAddressException when the guard refuses the endpoint (nothing was sent)
     * @throws IOException when the endpoint cannot be reached (or the call is interrupted)
     */
    public Answer send(String tokenUrl, Map<String, String> form) throws IOException {
        return send(tokenUrl, form, OAuthServer.TokenRequestStyle.FORM);
    }

    /**
     * Sends the parameters as the style says: with Basic client authentication, {@code client_id} and
     * {@code client_secret} leave the parameters for the {@code Authorization} header.
     */
    public Answer send(String tokenUrl, Map<String, String> parameters, OAuthServer.TokenRequestStyle style) throws IOException {
        URI endpoint = guard.check(tokenUrl);
        Map<String, String> sent = new LinkedHashMap<>(parameters);
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint).timeout(timeout).header("Accept", "application/json");
        if (style != OAuthServer.TokenRequestStyle.FORM) {
            String client = nonNull(sent.remove("client_id")) + ":" + nonNull(sent.remove("client_secret"));
            builder.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(client.getBytes(StandardCharsets.UTF_8)));
        }
        HttpRequest request = style == OAuthServer.TokenRequestStyle.JSON_WITH_BASIC
                ? builder.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(sent))).build()
                : builder.header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(encode(sent))).build();
        try {
            HttpResponse<String> response = http().send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = parsed(response.body());
            return new Answer(response.statusCode(), body != null && body.isObject() ? body : json.createObjectNode());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("token exchange interrupted");
        }
    }

    /** The token endpoint's successful answer to an authorization-code exchange, or a 502 {@link UpstreamFailureException} with its error code. */
    public JsonNode post(String tokenUrl, Map<String, String> form, OAuthServer.TokenRequestStyle style) {
        Answer answer;
        try {
            answer = send(tokenUrl, form, style);
        } catch (RefusedAddressException e) {
            throw new InvalidInputException("loginUrl", e.getMessage());
        } catch (IOException e) {
            LOG.warn("Token endpoint {} unreachable: {}", tokenUrl, e.getClass().getSimpleName());
            throw new UpstreamFailureException("token endpoint unreachable");
        }
        if (answer.status() != 200 || answer.body().isEmpty()) {
            LOG.warn("Token endpoint {} refused the authorization code: HTTP {} {}", tokenUrl, answer.status(), answer.errorCode());
            throw new UpstreamFailureException("token endpoint refused the authorization code: " + answer.errorCode());
        }
        return answer.body();
    }

    private JsonNode parsed(String body) {
        try {
            return body == null || body.isBlank() ? null : json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }

    private static String encode(Map<String, String> form) {
        return form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue() == null ? "" : e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }
}
