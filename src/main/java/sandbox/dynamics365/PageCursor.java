package sandbox.dynamics365;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Where the next page starts, carried in a next link's {@code $skiptoken} (Dataverse's is a paging cookie; the
 * sandbox's is opaque, URL-safe base64 of JSON): for a query, the sort values and id of the last row sent (keyset
 * paging, so rows written meanwhile neither shift nor repeat pages); with change tracking, the version the delta
 * link will count from; for a delta, the version of the last change sent and the phase (changed rows, then deletes).
 */
record PageCursor(List<Object> lastKey, Long trackingVersion, String phase, Long after, Long upTo) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static PageCursor afterRow(List<Object> lastKey, Long trackingVersion) {
        return new PageCursor(lastKey, trackingVersion, null, null, null);
    }

    static PageCursor delta(String phase, long after, long upTo) {
        return new PageCursor(null, null, phase, after, upTo);
    }

    boolean isDelta() {
        return phase != null;
    }

    String encode() {
        ObjectNode node = JSON.createObjectNode();
        if (lastKey != null) {
            ArrayNode key = node.putArray("k");
            for (Object value : lastKey) {
                if (value == null) {
                    key.addNull();
                } else if (value instanceof Instant instant) {
                    key.add(instant.toEpochMilli());
                } else if (value instanceof Integer || value instanceof Long) {
                    key.add(((Number) value).longValue());
                } else if (value instanceof EntityReference ref) {
                    key.add(ref.id());
                } else {
                    key.add(value.toString());
                }
            }
        }
        if (trackingVersion != null) {
            node.put("t", trackingVersion);
        }
        if (phase != null) {
            node.put("p", phase).put("a", after).put("u", upTo);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a skiptoken; {@code keyColumns} are the sort columns then the primary key, to restore the values' types.
     */
    static PageCursor decode(String token, List<Column> keyColumns) {
        try {
            JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(token));
            if (node == null || !node.isObject()) {
                throw new IOException("not an object");
            }
            if (node.has("p")) {
                return delta(node.get("p").asText(), node.get("a").asLong(), node.get("u").asLong());
            }
            JsonNode key = node.get("k");
            if (key == null || !key.isArray() || key.size() != keyColumns.size()) {
                throw new IOException("the order of the query changed");
            }
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < key.size(); i++) {
                values.add(restore(key.get(i), keyColumns.get(i)));
            }
            return afterRow(values, node.has("t") ? node.get("t").asLong() : null);
        } catch (IOException | RuntimeException e) {
            throw DataverseApiException.badQuery("The $skiptoken is not valid for this query: use the @odata.nextLink"
                    + " of the previous page as it is.");
        }
    }

    private static Object restore(JsonNode value, Column column) throws IOException {
        if (value.isNull()) {
            return null;
        }
        boolean whole = value.isIntegralNumber();
        return switch (column.type()) {
            case DATETIME -> Instant.ofEpochMilli(require(whole, value).asLong());
            case DATEONLY -> LocalDate.parse(require(value.isTextual(), value).asText());
            case MONEY -> new BigDecimal(require(value.isTextual(), value).asText());
            case INTEGER, PICKLIST, STATE, STATUS -> (int) require(whole && value.canConvertToInt(), value).asLong();
            case BIGINT -> require(whole, value).asLong();
            default -> require(value.isTextual(), value).asText();
        };
    }

    private static JsonNode require(boolean ok, JsonNode value) throws IOException {
        if (!ok) {
            throw new IOException("unexpected cursor value " + value);
        }
        return value;
    }
}
