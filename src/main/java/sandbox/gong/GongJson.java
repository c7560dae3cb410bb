package sandbox.gong;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.http.MediaType;

/**
 * The sandbox's Gong JSON: {@code CallBasicData} ({@code metaData}), the extensive call with the sections its content
 * selector asks for, transcripts, and the {@code records} of a page with its cursor (present only when more pages exist).
 * Its own ObjectMapper, so the hub's Jackson settings never change the wire format.
 */
final class GongJson {

    static final MediaType CONTENT_TYPE = MediaType.parseMediaType("application/json; charset=utf-8");
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** One page of calls: the page, its number, the total and the cursor of the next page (null at the end). */
    record Page(List<GongCompany.Call> calls, int number, int total, String cursor) {
    }

    private GongJson() {
    }

    static byte[] bytes(Object body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** A time of a request: ISO-8601 with {@code Z} or an offset; null when absent; 400 naming the field otherwise. */
    static Instant time(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw GongApiException.badRequest(field + ": not an ISO-8601 date-time with an offset (e.g. 2024-05-01T00:00:00Z): '"
                    + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "'");
        }
    }

    /**
     * The page a cursor points to in the calls of a filter: a cursor is only good for the filter it came with (Gong: "all
     * other inputs unchanged"), else 400.
     */
    static Page page(List<GongCompany.Call> all, String filterKey, String cursor, int pageSize) {
        int offset = 0;
        if (cursor != null && !cursor.isBlank()) {
            String decoded;
            try {
                decoded = new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw GongApiException.badRequest("cursor: not a cursor this API gave");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0 || !decoded.substring(colon + 1).equals(filterKey)) {
                throw GongApiException.badRequest("cursor: does not belong to this request's filter; send the other inputs unchanged");
            }
            try {
                offset = Integer.parseInt(decoded.substring(0, colon));
            } catch (NumberFormatException e) {
                throw GongApiException.badRequest("cursor: not a cursor this API gave");
            }
        }
        int end = Math.min(all.size(), offset + pageSize);
        List<GongCompany.Call> calls = offset >= all.size() ? List.of() : List.copyOf(all.subList(offset, end));
        String next = end < all.size() ? Base64.getUrlEncoder().withoutPadding()
                .encodeToString((end + ":" + filterKey).getBytes(StandardCharsets.UTF_8)) : null;
        return new Page(calls, offset / pageSize, all.size(), next);
    }

    static Map<String, Object> records(Page page) {
        Map<String, Object> records = new LinkedHashMap<>();
        records.put("totalRecords", page.total());
        records.put("currentPageSize", page.calls().size());
        records.put("currentPageNumber", page.number());
        if (page.cursor() != null) {
            records.put("cursor", page.cursor());
        }
        return records;
    }

    static Map<String, Object> metaData(GongCompany.Call call, String workspaceId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", call.id);
        m.put("url", "https://app.gong.io/call?id=" + call.id);
        m.put("title", call.title);
        m.put("scheduled", call.scheduled == null ? null : call.scheduled.toString());
        m.put("started", call.started.toString());
        m.put("duration", call.duration);
        m.put("primaryUserId", call.primaryUserId);
        m.put("direction", call.direction);
        m.put("system", call.system);
        m.put("scope", call.scope);
        m.put("media", call.media);
        m.put("language", "eng");
        m.put("workspaceId", workspaceId);
        m.put("sdrDisposition", null);
        m.put("clientUniqueId", null);
        m.put("customData", null);
        m.put("purpose", call.purpose);
        m.put("meetingUrl", "Zoom".equals(call.system) ? "https://zoom.us/j/" + call.id.substring(0, 11) : null);
        m.put("isPrivate", false);
        m.put("calendarEventId", call.scheduled == null ? null : call.id + "@calendar.sandbox-sales.test");
        return m;
    }

    /** An extensive call: metaData, and the parties, content, interaction and context sections the selector asks for. */
    static Map<String, Object> extensive(GongCompany.Call call, String workspaceId, JsonNode selector) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("metaData", metaData(call, workspaceId));
        JsonNode exposed = selector.path("exposedFields");
        String context = selector.path("context").asText("None");
        if (!"None".equals(context)) {
            c.put("context", List.of());
        }
        if (exposed.path("parties").asBoolean(false)) {
            List<Map<String, Object>> parties = new ArrayList<>();
            for (GongCompany.Party p : call.parties) {
                Map<String, Object> party = new LinkedHashMap<>();
                party.put("id", p.id());
                party.put("emailAddress", p.email());
                party.put("name", p.name());
                party.put("title", p.title());
                if (p.userId() != null) {
                    party.put("userId", p.userId());
                }
                party.put("speakerId", p.speakerId());
                party.put("affiliation", p.affiliation());
                party.put("methods", p.methods());
                party.put("phoneNumber", null);
                if (!"None".equals(context)) {
                    // the CRM objects Gong links an external party to: the account they work at, by name
                    party.put("context", p.companyName() == null ? List.of() : List.of(Map.of("system", "Generic", "objects",
                            List.of(Map.of("objectType", "Account", "objectId", p.companyEntityId(), "fields",
                                    List.of(Map.of("name", "Name", "value", p.companyName())))))));
                }
                parties.add(party);
            }
            c.put("parties", parties);
        }
        JsonNode content = exposed.path("content");
        if (content.isObject()) {
            Map<String, Object> section = new LinkedHashMap<>();
            if (content.path("brief").asBoolean(false)) {
                section.put("brief", call.brief);
            }
            if (content.path("topics").asBoolean(false)) {
                section.put("topics", call.topics.stream().map(t -> Map.of("name", t, "duration", call.duration / 3)).toList());
            }
            if (content.path("trackers").asBoolean(false)) {
                section.put("trackers", List.of());
            }
            if (content.path("keyPoints").asBoolean(false)) {
                section.put("keyPoints", List.of(Map.of("text", call.brief)));
            }
            if (content.path("highlights").asBoolean(false)) {
                section.put("highlights", List.of());
            }
            if (content.path("outline").asBoolean(false)) {
                section.put("outline", List.of());
            }
            if (content.path("callOutcome").asBoolean(false)) {
                section.put("callOutcome", null);
            }
            if (!section.isEmpty()) {
                c.put("content", section);
            }
        }
        if (exposed.path("interaction").path("speakers").asBoolean(false)) {
            List<Map<String, Object>> speakers = new ArrayList<>();
            for (GongCompany.Party p : call.parties) {
                double talk = call.transcript.stream().filter(m -> m.speakerId().equals(p.speakerId()))
                        .flatMap(m -> m.sentences().stream()).mapToLong(s -> s.end() - s.start()).sum() / 1000.0;
                Map<String, Object> speaker = new LinkedHashMap<>();
                speaker.put("id", p.id());
                speaker.put("userId", p.userId());
                speaker.put("talkTime", talk);
                speakers.add(speaker);
            }
            c.put("interaction", Map.of("speakers", speakers));
        }
        if (exposed.path("media").asBoolean(false)) {
            Map<String, Object> media = new LinkedHashMap<>();
            media.put("audioUrl", null);
            media.put("videoUrl", null);
            c.put("media", media);
        }
        return c;
    }

    static Map<String, Object> transcript(GongCompany.Call call) {
        List<Map<String, Object>> monologues = new ArrayList<>();
        for (GongCompany.Monologue m : call.transcript) {
            Map<String, Object> monologue = new LinkedHashMap<>();
            monologue.put("speakerId", m.speakerId());
            monologue.put("topic", m.topic());
            monologue.put("sentences", m.sentences().stream().map(s -> Map.of("start", s.start(), "end", s.end(), "text", s.text())).toList());
            monologues.add(monologue);
        }
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("callId", call.id);
        t.put("transcript", monologues);
        return t;
    }
}
