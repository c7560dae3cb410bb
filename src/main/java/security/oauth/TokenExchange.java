package security.oauth;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import hub.ApiException;

/**
 * POSTs a form to an authorization server's token endpoint and returns its JSON answer. A refusal
 * becomes a 502 naming the server's error code only: the form and the body hold secrets.
 */
@Component
public class TokenExchange {

    private static final Logger LOG = LoggerFactory.getLogger(TokenExchange.class);
    // OAuth error codes are short ASCII words; anything else is not echoed
    private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final HttpClient http;
    private final Duration timeout;
    private final ObjectMapper json;

    public TokenExchange(@Value("${hub.oauth.token-timeout:30s}") Duration timeout, ObjectMapper json) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.timeout = timeout;
        this.json = json;
    }

    /** The token endpoint's 200 answer, or a 502 {@link ApiException} with its error code. */
    public JsonNode post(String tokenUrl, Map<String, String> form) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenUrl)).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form))).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            LOG.warn("Token endpoint {} unreachable: {}", tokenUrl, e.getClass().getSimpleName());
            throw new ApiException(HttpStatus.BAD_GATEWAY, "token endpoint unreachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(HttpStatus.BAD_GATEWAY, "token exchange interrupted");
        }
        JsonNode body = parsed(response.body());
        if (response.statusCode() != 200 || body == null || !body.isObject()) {
            String code = errorCode(body);
            LOG.warn("Token endpoint {} refused the authorization code: HTTP {} {}", tokenUrl, response.statusCode(), code);
            throw new ApiException(HttpStatus.BAD_GATEWAY, "token endpoint refused the authorization code: " + code);
        }
        return body;
    }

    private JsonNode parsed(String body) {
        try {
            return body == null || body.isBlank() ? null : json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String errorCode(JsonNode body) {
        String code = body == null ? null : body.path("error").asText(null);
        return code != null && ERROR_CODE.matcher(code).matches() ? code : "no error code";
    }

    private static String encode(Map<String, String> form) {
        return form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }
}
