package sandbox.salesforce;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;

/**
 * The sandbox's JSON: its own ObjectMapper, so the hub's Jackson settings (say, dropping nulls) never change
 * the wire format, and Salesforce's value formats.
 */
final class SandboxJson {

    /** Salesforce sends the charset parameter; jsforce only parses bodies whose type starts application/json. */
    static final MediaType CONTENT_TYPE = MediaType.parseMediaType("application/json;charset=UTF-8");

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter DATETIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

    private SandboxJson() {
    }

    static byte[] bytes(Object body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    static JsonNode read(byte[] body) throws IOException {
        return MAPPER.readTree(body);
    }

    /** {@code 2024-01-01T00:00:00.000+0000}: milliseconds and an offset without a colon. */
    /** A request body that must be a JSON object, or the 400 JSON_PARSER_ERROR Salesforce answers. */
    static JsonNode readObject(byte[] body) {
        if (body == null || body.length == 0) {
            throw SalesforceApiException.badRequest("JSON_PARSER_ERROR", "No content to map due to end-of-input");
        }
        try {
            JsonNode root = read(body);
            if (root == null || !root.isObject()) {
                throw SalesforceApiException.badRequest("JSON_PARSER_ERROR", "The request body must be a JSON object");
            }
            return root;
        } catch (IOException e) {
            throw SalesforceApiException.badRequest("JSON_PARSER_ERROR",
                    e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage());
        }
    }

    static String dateTime(Instant instant) {
        return DATETIME.format(instant);
    }

    /** A field value as the REST API writes it. */
    static Object value(Object value) {
        if (value instanceof Instant instant) {
            return dateTime(instant);
        }
        if (value instanceof LocalDate date) {
            return date.toString();
        }
        return value;
    }

    /** A query or retrieve result: attributes first, then the fields in the order asked for. */
    static Map<String, Object> record(SandboxRecord record, List<SObjectField> fields, String version) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("attributes", attributes(record.type(), record.id(), version));
        for (SObjectField f : fields) {
            json.put(f.name(), value(record.get(f)));
        }
        return json;
    }

    static Map<String, Object> attributes(SObjectSchema type, String id, String version) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("type", type.name());
        attributes.put("url", "/services/data/" + version + "/sobjects/" + type.name() + "/" + id);
        return attributes;
    }

    static List<Map<String, Object>> error(String errorCode, String message, List<String> fields) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("errorCode", errorCode);
        if (fields != null) {
            error.put("fields", fields);
        }
        return List.of(error);
    }
}
