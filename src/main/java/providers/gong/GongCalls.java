package providers.gong;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Gong's extensive calls and transcripts as the flat records the mapping reads ({@code mappings/gong/calls.yaml}): the
 * call's metadata, its host, its parties as text, its transcript as text ("Name: words" per monologue), its brief and
 * topics, and its external parties in slots {@code party1} ... {@code party8} (by email, so a call's slots stay put),
 * each {@code {name, firstName, lastName, email, title, company}}, from which the mapping derives the contacts.
 */
final class GongCalls {

    static final String ID = "id";
    static final String MARKER = "windowTime";
    static final int PARTY_SLOTS = 8;

    private GongCalls() {
    }

    /**
     * The time Gong's date filters compare: a web conference's scheduled time, else the actual start (ISO-8601 instant);
     * null when the call has neither.
     */
    static String windowTime(JsonNode metaData) {
        String scheduled = metaData.path("scheduled").asText(null);
        String started = metaData.path("started").asText(null);
        Instant at = "Conference".equals(metaData.path("direction").asText()) && instant(scheduled) != null ? instant(scheduled) : instant(started);
        return at == null ? null : at.toString();
    }

    static Instant instant(String text) {
        try {
            return text == null || text.isBlank() ? null : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** One call's record from its extensive entry and its transcript (null when Gong has none). */
    static Map<String, Object> record(JsonNode call, JsonNode transcript) {
        JsonNode meta = call.path("metaData");
        Map<String, Object> r = new LinkedHashMap<>();
        r.put(ID, meta.path("id").asText());
        r.put("title", text(meta, "title"));
        r.put("url", text(meta, "url"));
        r.put("scheduled", text(meta, "scheduled"));
        r.put("started", text(meta, "started"));
        r.put(MARKER, windowTime(meta));
        r.put("durationSeconds", meta.path("duration").isNumber() ? meta.path("duration").asLong() : null);
        for (String field : List.of("direction", "system", "scope", "media", "language", "purpose", "workspaceId", "primaryUserId",
                "meetingUrl")) {
            r.put(field, text(meta, field));
        }
        Map<String, String> speakers = new HashMap<>();
        List<String> parties = new ArrayList<>();
        List<JsonNode> external = new ArrayList<>();
        String host = null;
        for (JsonNode party : call.path("parties")) {
            String name = text(party, "name");
            String email = text(party, "emailAddress");
            String speaker = text(party, "speakerId");
            if (speaker != null) {
                speakers.put(speaker, name != null ? name : email != null ? email : "Speaker " + speaker);
            }
            if (party.path("userId").asText("").equals(r.get("primaryUserId")) && !party.path("userId").asText("").isEmpty()) {
                host = name;
            }
            parties.add((name == null ? "(no name)" : name) + (email == null ? "" : " <" + email + ">") + " ("
                    + party.path("affiliation").asText("Unknown") + (text(party, "title") == null ? "" : ", " + text(party, "title")) + ")");
            if (!"Internal".equals(party.path("affiliation").asText()) && email != null) {
                external.add(party);
            }
        }
        r.put("host", host);
        r.put("parties", String.join("\n", parties));
        r.put("partyCount", parties.size());
        external.sort(Comparator.comparing(p -> p.path("emailAddress").asText().toLowerCase(Locale.ROOT)));
        for (int i = 0; i < Math.min(PARTY_SLOTS, external.size()); i++) {
            r.put("party" + (i + 1), party(external.get(i)));
        }
        JsonNode content = call.path("content");
        r.put("brief", text(content, "brief"));
        List<String> topics = new ArrayList<>();
        content.path("topics").forEach(t -> topics.add(t.path("name").asText()));
        r.put("topics", topics.isEmpty() ? null : String.join(", ", topics));
        r.put("transcript", transcript == null ? null : transcriptText(transcript, speakers));
        return r;
    }

    private static Map<String, Object> party(JsonNode party) {
        Map<String, Object> p = new LinkedHashMap<>();
        String name = text(party, "name");
        p.put("name", name);
        int space = name == null ? -1 : name.lastIndexOf(' ');
        p.put("firstName", space > 0 ? name.substring(0, space) : null);
        p.put("lastName", space > 0 ? name.substring(space + 1) : name);
        p.put("email", text(party, "emailAddress"));
        p.put("title", text(party, "title"));
        p.put("company", company(party.path("context")));
        return p;
    }

    /** The name of the account a party's CRM context links them to, when Gong gives one. */
    private static String company(JsonNode context) {
        for (JsonNode system : context) {
            for (JsonNode object : system.path("objects")) {
                if ("Account".equalsIgnoreCase(object.path("objectType").asText())) {
                    for (JsonNode field : object.path("fields")) {
                        if ("Name".equalsIgnoreCase(field.path("name").asText()) && field.path("value").isTextual()) {
                            return field.path("value").asText();
                        }
                    }
                }
            }
        }
        return null;
    }

    /** "Name: sentence sentence" per monologue, in order; speakers Gong does not name are "Speaker <id>". */
    static String transcriptText(JsonNode transcript, Map<String, String> speakers) {
        StringBuilder text = new StringBuilder();
        for (JsonNode monologue : transcript.path("transcript")) {
            String speaker = monologue.path("speakerId").asText("");
            StringBuilder words = new StringBuilder();
            monologue.path("sentences").forEach(s -> words.append(words.length() == 0 ? "" : " ").append(s.path("text").asText("")));
            if (words.length() > 0) {
                text.append(speakers.getOrDefault(speaker, "Speaker " + speaker)).append(": ").append(words).append('\n');
            }
        }
        return text.isEmpty() ? null : text.toString().stripTrailing();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() && !value.asText().isBlank() ? value.asText() : null;
    }
}
