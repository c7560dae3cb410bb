package providers.github;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import providers.PermanentProviderException;

/**
 * Where a pass over the selected repositories stands, as the page cursor and the resume marker carry it. Each repository is
 * read from its own {@code since} (the newest {@code updated_at} the last pass saw there, inclusive), so a repository
 * where nothing changed asks the same URL again and GitHub answers 304 from its ETag, at no rate cost. The resume
 * marker is that per-repository map ({@code github:v1:<base64url JSON>}); a plain instant as {@code since} applies to
 * every repository.
 *
 * @param from  where each repository's pass starts (absent: from the beginning)
 * @param seen  the newest {@code updated_at} read so far per repository, this pass
 * @param index the repository being read
 * @param next  the next page GitHub linked, or null for the repository's first page
 */
record GitHubPass(Map<String, String> from, String fromAll, Map<String, String> seen, int index, String next) {

    static final String MARKER = "github:v1:";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A pass from the marker or instant a request gives (null: a full pass). */
    static GitHubPass start(String since) {
        if (since == null || since.isBlank()) {
            return new GitHubPass(Map.of(), null, Map.of(), 0, null);
        }
        if (since.startsWith(MARKER)) {
            return new GitHubPass(map(decode(since.substring(MARKER.length())).path("from")), null, Map.of(), 0, null);
        }
        Instant at = instant(since);
        if (at == null) {
            throw new PermanentProviderException("GitHub sync: the change marker '" + abbreviate(since) + "' is no time and no GitHub marker");
        }
        return new GitHubPass(Map.of(), at.toString(), Map.of(), 0, null);
    }

    static GitHubPass decodeCursor(String cursor) {
        JsonNode node = decode(cursor);
        return new GitHubPass(map(node.path("from")), node.path("fromAll").isTextual() ? node.path("fromAll").asText() : null,
                map(node.path("seen")), node.path("index").asInt(0), node.path("next").isTextual() ? node.path("next").asText() : null);
    }

    String encode() {
        ObjectNode node = JSON.createObjectNode();
        node.set("from", JSON.valueToTree(from));
        if (fromAll != null) {
            node.put("fromAll", fromAll);
        }
        node.set("seen", JSON.valueToTree(seen));
        node.put("index", index);
        if (next != null) {
            node.put("next", next);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Where the repository's pass starts: its own mark, else the one for all, else the beginning (null). */
    String since(String repository) {
        String own = from.get(repository.toLowerCase(java.util.Locale.ROOT));
        return own != null ? own : fromAll;
    }

    /** The pass after a page of the repository, having seen records up to {@code newest}. */
    GitHubPass after(String repository, String newest, String nextPage, int repositories) {
        Map<String, String> updated = new LinkedHashMap<>(seen);
        String key = repository.toLowerCase(java.util.Locale.ROOT);
        if (newest != null && (updated.get(key) == null || instant(newest).isAfter(instant(updated.get(key))))) {
            updated.put(key, newest);
        }
        return nextPage != null ? new GitHubPass(from, fromAll, updated, index, nextPage)
                : new GitHubPass(from, fromAll, updated, index + 1, null);
    }

    boolean done(int repositories) {
        return index >= repositories;
    }

    /** The marker the next pass starts from: per repository, the newest seen, else where this pass started. */
    String resumeMarker(List<String> repositories) {
        Map<String, String> marks = new LinkedHashMap<>();
        for (String repository : repositories) {
            String key = repository.toLowerCase(java.util.Locale.ROOT);
            String mark = seen.get(key) != null ? seen.get(key) : since(repository);
            if (mark != null) {
                marks.put(key, mark);
            }
        }
        ObjectNode node = JSON.createObjectNode();
        node.set("from", JSON.valueToTree(marks));
        return MARKER + Base64.getUrlEncoder().withoutPadding().encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
    }

    static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static JsonNode decode(String text) {
        try {
            JsonNode node = JSON.readTree(new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8));
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException();
            }
            return node;
        } catch (Exception e) {
            throw new PermanentProviderException("GitHub sync: unreadable page cursor or change marker '" + abbreviate(text) + "'");
        }
    }

    private static Map<String, String> map(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            if (e.getValue().isTextual() && instant(e.getValue().asText()) != null) {
                map.put(e.getKey(), e.getValue().asText());
            }
        });
        return map;
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
