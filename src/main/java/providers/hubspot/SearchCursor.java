package providers.hubspot;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import providers.PermanentProviderException;

/**
 * Where a pass through HubSpot's search API stands, as the page cursor the hub hands back. HubSpot pages a search
 * by offset and refuses to go past 10,000 results, and an offset skips records when one modified meanwhile moves
 * to the end. So every page is a new query anchored on the modification date the previous page ended at ({@code GTE}
 * the anchor, sorted ascending): it never gets near the cap, and a record changed meanwhile comes again later.
 * Records sharing the anchor's timestamp that a page already took are carried here by id and dropped when the next
 * query returns them again. When a whole page shares one timestamp (a bulk import), offsets cannot get past it:
 * that timestamp's records are then walked by id ({@code EQ} the anchor, {@code hs_object_id GT} the last id, sorted
 * by id), and the pass goes on after it ({@code GT} the anchor). No record is skipped or taken twice.
 */
final class SearchCursor {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Epoch ms of the anchor, null for none (a full pass from the start). */
    private final Long anchor;
    /** The anchor's own timestamp is done: records strictly after it. */
    private final boolean exclusive;
    /** Ids already taken whose modification date is the anchor. */
    private final Set<String> taken;
    /** Walking the anchor's timestamp by id. */
    private final boolean byId;
    /** In that walk, the last id taken (null: from the first). */
    private final String afterId;

    private SearchCursor(Long anchor, boolean exclusive, Set<String> taken, boolean byId, String afterId) {
        this.anchor = anchor;
        this.exclusive = exclusive;
        this.taken = taken;
        this.byId = byId;
        this.afterId = afterId;
    }

    /** The first query of a pass: records modified at or after {@code since} (a change marker; null: all). */
    static SearchCursor from(String since) {
        Instant start = since == null ? null : instant(since);
        if (since != null && start == null) {
            throw new PermanentProviderException("HubSpot sync cannot start from '" + since + "': not a date-time");
        }
        return new SearchCursor(start == null ? null : start.toEpochMilli(), false, Set.of(), false, null);
    }

    /** The query this cursor stands for, with the tenant's filters ANDed in. */
    ObjectNode query(String modifiedProperty, List<ObjectNode> filters, List<String> properties, int limit) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode group = JSON.createArrayNode();
        if (byId) {
            group.add(filter(modifiedProperty, "EQ", Long.toString(anchor)));
            if (afterId != null) {
                group.add(filter(HubSpotObject.OBJECT_ID_PROPERTY, "GT", afterId));
            }
        } else if (anchor != null) {
            group.add(filter(modifiedProperty, exclusive ? "GT" : "GTE", Long.toString(anchor)));
        }
        filters.forEach(group::add);
        ArrayNode groups = body.putArray("filterGroups");
        if (!group.isEmpty()) {
            groups.addObject().set("filters", group);
        }
        body.putArray("sorts").addObject().put("propertyName", byId ? HubSpotObject.OBJECT_ID_PROPERTY : modifiedProperty)
                .put("direction", "ASCENDING");
        ArrayNode names = body.putArray("properties");
        properties.forEach(names::add);
        body.put("limit", limit);
        return body;
    }

    /** What a query's results give: the records to hand on, and the cursor of the next query (null: the pass is done). */
    record Step(List<JsonNode> records, SearchCursor next) {
    }

    /**
     * The records of a page this cursor's query returned, less those taken before, and where the next query starts.
     *
     * @param results      the page, in the query's order
     * @param more         whether HubSpot said there is more after it ({@code paging.next})
     * @param modified     the modification date of a result (epoch ms), null when it has none
     */
    Step next(List<JsonNode> results, boolean more, java.util.function.Function<JsonNode, Long> modified) {
        List<JsonNode> fresh = new ArrayList<>(results.size());
        for (JsonNode record : results) {
            String id = id(record);
            Long at = modified.apply(record);
            if (id != null && anchor != null && taken.contains(id) && anchor.equals(at)) {
                continue;
            }
            fresh.add(record);
        }
        if (byId) {
            if (!more || results.isEmpty()) {
                return new Step(fresh, new SearchCursor(anchor, true, Set.of(), false, null));
            }
            String last = id(results.get(results.size() - 1));
            if (last == null || last.equals(afterId)) {
                throw new PermanentProviderException("HubSpot search results without ids, or not after the last one: the pass cannot go on");
            }
            return new Step(fresh, new SearchCursor(anchor, false, taken, true, last));
        }
        if (!more || results.isEmpty()) {
            return new Step(fresh, null);
        }
        Long last = null;
        for (int i = results.size() - 1; i >= 0 && last == null; i--) {
            last = modified.apply(results.get(i));
        }
        if (last == null) {
            throw new PermanentProviderException("HubSpot search results without a modification date: the pass cannot page by it");
        }
        if (anchor != null && last < anchor) {
            throw new PermanentProviderException("HubSpot search results came out of order: the pass cannot go on");
        }
        if (anchor == null || last > anchor) {
            Set<String> atLast = new LinkedHashSet<>();
            for (JsonNode record : results) {
                String id = id(record);
                if (id != null && last.equals(modified.apply(record))) {
                    atLast.add(id);
                }
            }
            return new Step(fresh, new SearchCursor(last, false, atLast, false, null));
        }
        // the whole page shares the anchor's timestamp: walk it by id
        Set<String> all = new LinkedHashSet<>(taken);
        for (JsonNode record : results) {
            String id = id(record);
            if (id != null) {
                all.add(id);
            }
        }
        return new Step(fresh, new SearchCursor(anchor, false, all, true, null));
    }

    String encode() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("a", anchor);
        state.put("x", exclusive);
        state.put("t", taken);
        state.put("b", byId);
        state.put("i", afterId);
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(state));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static SearchCursor decode(String cursor) {
        try {
            JsonNode state = JSON.readTree(Base64.getUrlDecoder().decode(cursor));
            Set<String> taken = new LinkedHashSet<>();
            state.path("t").forEach(id -> taken.add(id.asText()));
            JsonNode anchor = state.path("a");
            return new SearchCursor(anchor.isNumber() ? anchor.asLong() : null, state.path("x").asBoolean(), taken, state.path("b").asBoolean(),
                    state.path("i").isTextual() ? state.path("i").asText() : null);
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw new PermanentProviderException("not a HubSpot page cursor");
        }
    }

    /** A change marker (HubSpot's ISO-8601 date-time, or epoch ms) as an instant; null when it is neither. */
    static Instant instant(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        if (text.length() <= 15 && text.chars().allMatch(Character::isDigit)) {
            return Instant.ofEpochMilli(Long.parseLong(text));
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }

    private static ObjectNode filter(String property, String operator, String value) {
        ObjectNode filter = JSON.createObjectNode();
        filter.put("propertyName", property).put("operator", operator).put("value", value);
        return filter;
    }

    private static String id(JsonNode record) {
        JsonNode id = record.path("id");
        return id.isTextual() || id.isNumber() ? id.asText() : null;
    }

    @Override
    public String toString() {
        return "SearchCursor[anchor=" + anchor + ", exclusive=" + exclusive + ", taken=" + taken.size() + ", byId=" + byId + ", afterId="
                + afterId + "]";
    }
}
