package providers.webhooks;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A webhook request as received: header names lower-cased, query decoded, the raw body bytes.
 *
 * @param path the request path as the provider called it, not percent-decoded (HubSpot signs it)
 * @param rawQuery the query string as received, without the leading {@code ?}; null or empty when none
 * @param query the decoded query parameters (first value of each)
 */
public record InboundWebhook(String method, String path, String rawQuery, Map<String, String> query,
                             Map<String, String> headers, byte[] body, Instant receivedAt) {

    public InboundWebhook {
        method = method == null ? "POST" : method.toUpperCase(Locale.ROOT);
        path = path == null || path.isEmpty() ? "/" : path;
        query = query == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(query));
        headers = lowerCased(headers);
        body = body == null ? new byte[0] : body;
        receivedAt = receivedAt == null ? Instant.now() : receivedAt;
    }

    /** A request whose query map is decoded here from {@code rawQuery} (form rules, UTF-8, decoded once). */
    public static InboundWebhook of(String method, String path, String rawQuery, Map<String, String> headers,
                                    byte[] body) {
        return new InboundWebhook(method, path, rawQuery, decodeQuery(rawQuery), headers, body, Instant.now());
    }

    /** The header's value, or null when absent. */
    public String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Header values and the body can hold tokens and secrets, so only their names and size are shown. */
    @Override
    public String toString() {
        return "InboundWebhook[" + method + " " + path + ", headers=" + headers.keySet() + ", body=" + body.length
                + " bytes]";
    }

    static Map<String, String> decodeQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Map.of();
        }
        Map<String, String> decoded = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            decoded.putIfAbsent(name, value);
        }
        return decoded;
    }

    private static Map<String, String> lowerCased(Map<String, String> headers) {
        if (headers == null || headers.isEmpty()) {
            return Map.of();
        }
        Map<String, String> lower = new LinkedHashMap<>(headers.size() * 2);
        headers.forEach((name, value) -> {
            if (name != null && value != null) {
                lower.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
            }
        });
        return Collections.unmodifiableMap(lower);
    }
}
