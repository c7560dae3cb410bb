package sandbox.hubspot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;

/**
 * The sandbox's JSON: its own ObjectMapper, so the hub's Jackson settings never change the wire format, and
 * HubSpot's value and error formats.
 */
final class HubSpotJson {

    static final MediaType CONTENT_TYPE = MediaType.parseMediaType("application/json;charset=utf-8");
    static final ObjectMapper MAPPER = new ObjectMapper();
    /** {@code 2024-01-17T19:55:04.281Z}: UTC, always with milliseconds, as HubSpot writes times. */
    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private HubSpotJson() {
    }

    static byte[] bytes(Object body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    static String bytesAsString(Object body) {
        return new String(bytes(body), java.nio.charset.StandardCharsets.UTF_8);
    }

    static String dateTime(Instant instant) {
        return DATE_TIME.format(instant);
    }

    /**
     * A datetime as clients send it: epoch milliseconds, an ISO instant ({@code 2024-01-17T19:55:04.281Z}) or a date
     * ({@code 2024-01-17}, midnight UTC); null when it is none of these.
     */
    static Instant parseDateTime(String text) {
        if (text == null) {
            return null;
        }
        String value = text.trim();
        if (value.matches("-?\\d{1,15}")) {
            return Instant.ofEpochMilli(Long.parseLong(value));
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notInstant) {
            try {
                return java.time.OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException notOffset) {
                try {
                    return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException notDate) {
                    return null;
                }
            }
        }
    }

    /** A request body that must be a JSON object (or array when {@code array}), or HubSpot's 400 for bad input. */
    static JsonNode read(byte[] body, boolean array) {
        if (body == null || body.length == 0) {
            throw HubSpotApiException.validation("Invalid input JSON on line 1, column 1: No content to map due to end-of-input");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " on line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw HubSpotApiException.validation("Invalid input JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw HubSpotApiException.validation("Invalid input JSON: " + e.getMessage());
        }
        if (root == null || (array ? !root.isArray() : !root.isObject())) {
            throw HubSpotApiException.validation("Invalid input JSON: expected a JSON " + (array ? "array" : "object"));
        }
        return root;
    }

    /** HubSpot's error body: {@code status}, {@code message}, {@code correlationId}, {@code category}. */
    static Map<String, Object> error(String message, String category) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "error");
        body.put("message", message);
        body.put("correlationId", UUID.randomUUID().toString());
        body.put("category", category);
        return body;
    }
}
