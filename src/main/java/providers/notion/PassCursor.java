package providers.notion;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import providers.PermanentProviderException;

/**
 * Where a pass over an entity's databases stands, as the hub keeps it between pages: the database being read (by its
 * place in the selection), Notion's {@code next_cursor} in it, the latest {@code last_edited_time} seen in each
 * database so far, and when the pass began. A pass reads the databases one after the other, so records are not in
 * change-marker order across databases; the pass's resume marker is the earliest of the databases' latest markers,
 * so the next incremental pass misses nothing edited in any of them meanwhile.
 */
record PassCursor(int database, String notionCursor, List<String> latest, String passStart) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static PassCursor start(int databases, Instant now) {
        List<String> latest = new ArrayList<>();
        for (int i = 0; i < databases; i++) {
            latest.add(null);
        }
        // Notion's times are to the minute: a page edited in this minute may show its start
        return new PassCursor(0, null, latest, now.truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString());
    }

    String encode() {
        ObjectNode node = JSON.createObjectNode().put("d", database).put("c", notionCursor).put("s", passStart);
        latest.forEach(m -> node.withArray("m").add(m));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
    }

    static PassCursor decode(String text, int databases) {
        try {
            JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(text));
            List<String> latest = new ArrayList<>();
            node.path("m").forEach(m -> latest.add(m.isNull() ? null : m.asText()));
            if (latest.size() != databases || node.path("d").asInt(-1) < 0 || node.path("d").asInt() >= databases) {
                throw new IllegalArgumentException("selection changed");
            }
            return new PassCursor(node.path("d").asInt(), node.path("c").isNull() ? null : node.path("c").asText(null), latest,
                    node.path("s").asText());
        } catch (RuntimeException | java.io.IOException e) {
            throw new PermanentProviderException("Notion page cursor no longer applies (the selected databases changed or it is not"
                    + " the adapter's); the pass starts again");
        }
    }

    /** The same database at Notion's next cursor, with the latest marker of this page. */
    PassCursor next(String cursor, String pageLatest) {
        return new PassCursor(database, cursor, withLatest(pageLatest), passStart);
    }

    /** The next database from its start, with the latest marker of this page; null past the last. */
    PassCursor nextDatabase(String pageLatest) {
        List<String> updated = withLatest(pageLatest);
        return database + 1 >= latest.size() ? null : new PassCursor(database + 1, null, updated, passStart);
    }

    /** The latest markers with this page's. */
    List<String> withLatest(String pageLatest) {
        List<String> updated = new ArrayList<>(latest);
        String current = updated.get(database);
        if (pageLatest != null && (current == null || Instant.parse(pageLatest).isAfter(Instant.parse(current)))) {
            updated.set(database, pageLatest);
        }
        return updated;
    }

    /**
     * Where the next pass starts: the earliest database's latest marker; a database that had none gives the pass's
     * {@code since}, or (a full pass) the time the pass began.
     */
    static String resumeMarker(List<String> latest, String since, String passStart) {
        Instant earliest = null;
        for (String marker : latest) {
            Instant at = Instant.parse(marker != null ? marker : since != null ? since : passStart);
            earliest = earliest == null || at.isBefore(earliest) ? at : earliest;
        }
        return earliest == null ? passStart : earliest.toString();
    }
}
