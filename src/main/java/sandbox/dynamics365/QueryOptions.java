package sandbox.dynamics365;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A request's query string as Dataverse reads it: {@code $} options decoded ({@code %20} and {@code +} as spaces),
 * each at most once, unknown {@code $} options refused; the raw parts are kept so links can repeat them as sent.
 */
final class QueryOptions {

    private static final Set<String> KNOWN = Set.of("$select", "$filter", "$orderby", "$top", "$count", "$skiptoken",
            "$deltatoken", "$expand", "$skip", "$apply", "$search", "$format");

    private record Part(String key, String raw, String value) {
    }

    private final List<Part> parts;
    private final Map<String, String> options = new LinkedHashMap<>();

    private QueryOptions(List<Part> parts) {
        this.parts = parts;
        for (Part part : parts) {
            if (part.key.startsWith("$") && options.put(part.key, part.value) != null) {
                throw DataverseApiException.badQuery("Query option '" + part.key
                        + "' was specified more than once, but it must be specified at most once.");
            }
        }
    }

    static QueryOptions parse(String rawQuery) {
        List<Part> parts = new ArrayList<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                if (key.startsWith("$") && !KNOWN.contains(key)) {
                    throw DataverseApiException.badQuery("The query parameter '" + key + "' is not supported.");
                }
                parts.add(new Part(key, pair, value));
            }
        }
        return new QueryOptions(parts);
    }

    /** A decoded option, or null. */
    String get(String key) {
        return options.get(key);
    }

    boolean has(String key) {
        return options.containsKey(key);
    }

    /** The query string as sent, without some options (for next and delta links, which replace them). */
    String rawWithout(Set<String> keys) {
        return parts.stream().filter(p -> !keys.contains(p.key)).map(Part::raw).collect(Collectors.joining("&"));
    }

    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw DataverseApiException.badQuery("The query string is not valid URL encoding: " + e.getMessage());
        }
    }
}
