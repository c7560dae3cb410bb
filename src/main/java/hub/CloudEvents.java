package hub;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The CloudEvents 1.0 JSON envelope every message on the hub's queues is wrapped in. */
public final class CloudEvents {

    private CloudEvents() {
    }

    public static String write(ObjectMapper json, String type, String source, String id, OffsetDateTime time, Object data) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("type", type);
        event.put("source", source);
        event.put("id", id);
        event.put("time", time.toString());
        event.put("datacontenttype", "application/json");
        event.put("data", data);
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code data} of an event read from a queue. */
    public static JsonNode data(ObjectMapper json, String event) {
        try {
            return json.readTree(event).path("data");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a CloudEvent: " + e.getOriginalMessage());
        }
    }
}
