package sandbox.google;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Google's JSON: RFC 3339 times with milliseconds and {@code Z}, and its error bodies. */
final class GoogleJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private GoogleJson() {
    }

    static String time(Instant instant) {
        return TIME.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    static byte[] bytes(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    static ObjectMapper mapper() {
        return JSON;
    }

    /**
     * {@code {"error":{"code":403,"message":..,"errors":[{"domain":..,"reason":..,"message":..}],"status":..}}}, with
     * {@code location}/{@code locationType} when the error names a parameter or header.
     */
    static Map<String, Object> error(int code, String status, String domain, String reason, String message, String location,
                                     String locationType) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("domain", domain);
        item.put("reason", reason);
        item.put("message", message);
        if (location != null) {
            item.put("locationType", locationType);
            item.put("location", location);
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        error.put("errors", List.of(item));
        error.put("status", status);
        return Map.of("error", error);
    }
}
