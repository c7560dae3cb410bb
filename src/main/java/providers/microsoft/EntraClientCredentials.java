package providers.microsoft;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.stereotype.Component;

import providers.AuthProviderException;
import providers.PermanentProviderException;
import providers.TransientProviderException;
import security.RefusedAddressException;
import security.TokenExchange;

/**
 * App-only access tokens from Entra ID's v2.0 token endpoint (the client credentials grant, one
 * {@code <resource>/.default} scope), kept until shortly before they expire, one per connection. A refusal names
 * Entra's error code and its {@code AADSTS} reason, never the secret; the endpoint passes the outbound guard
 * ({@link TokenExchange}).
 */
@Component
public class EntraClientCredentials {

    /** A token is taken again this long before Entra says it expires. */
    static final Duration EARLY = Duration.ofMinutes(5);
    /** Entra's reason, as its first line: "AADSTS7000215: Invalid client secret provided." */
    private static final Pattern PLAIN_REASON = Pattern.compile("AADSTS[0-9]{1,9}: [\\p{L}\\p{N} .,:;'()/_#+-]{1,500}");

    /** An access token and when it stops being used. */
    public record AccessToken(String value, Instant renewAt) {
        @Override
        public String toString() {
            return "AccessToken[renewAt=" + renewAt + "]";
        }
    }

    /** What a token is for: a connection (its key changes with its credentials), at an authority, for a resource. */
    public record Request(String key, EntraAuthority authority, String clientId, String clientSecret, String scope) {
        @Override
        public String toString() {
            return "Request[key=" + key + ", scope=" + scope + "]";
        }
    }

    private final TokenExchange exchange;
    private final Map<String, AccessToken> tokens = new ConcurrentHashMap<>();

    public EntraClientCredentials(TokenExchange exchange) {
        this.exchange = exchange;
    }

    /** The connection's token, taken from Entra when there is none or it is about to expire. */
    public String token(Request request) {
        AccessToken current = tokens.get(request.key());
        if (current != null && current.renewAt().isAfter(Instant.now())) {
            return current.value();
        }
        AccessToken fresh = acquire(request);
        tokens.put(request.key(), fresh);
        return fresh.value();
    }

    /** Forgets the token (the resource refused it, or the connection is gone); the next call takes a new one. */
    public void forget(String key) {
        tokens.remove(key);
    }

    /** Forgets every token of keys starting with this prefix (a connection whose credentials changed). */
    public void forgetAll(String keyPrefix) {
        tokens.keySet().removeIf(k -> k.startsWith(keyPrefix));
    }

    private AccessToken acquire(Request request) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", request.clientId());
        form.put("client_secret", request.clientSecret());
        form.put("scope", request.scope());
        TokenExchange.Answer answer;
        try {
            answer = exchange.send(request.authority().tokenUrl(), form);
        } catch (RefusedAddressException e) {
            throw new PermanentProviderException("Entra ID token request not attempted: its authority URL " + e.getMessage(), 0, null);
        } catch (IOException e) {
            throw new TransientProviderException("Entra ID token request failed: the token endpoint could not be reached", 0, null);
        }
        if (answer.status() >= 500 || answer.status() == 429) {
            throw new TransientProviderException("Entra ID token request failed (HTTP " + answer.status() + ")", answer.status(), null);
        }
        if (!answer.ok()) {
            throw new AuthProviderException("Entra ID refused the token request (HTTP " + answer.status() + "): " + answer.errorCode()
                    + reason(answer.body(), request.clientSecret()), answer.status(), null);
        }
        JsonNode body = answer.body();
        long seconds = body.path("expires_in").asLong(3599);
        Instant renewAt = Instant.now().plusSeconds(Math.max(0, seconds)).minus(EARLY);
        return new AccessToken(body.path("access_token").asText(), renewAt);
    }

    /** Entra's AADSTS reason (the first line of its description) when it is plain text and holds no secret; else nothing. */
    static String reason(JsonNode body, String secret) {
        String description = body.path("error_description").asText("");
        String first = description.lines().findFirst().orElse("").strip();
        if (!PLAIN_REASON.matcher(first).matches() || (secret != null && !secret.isEmpty() && first.contains(secret))) {
            return "";
        }
        return " (" + first + ")";
    }
}
