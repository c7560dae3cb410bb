package sandbox.zoom;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.http.MediaType;

/**
 * Zoom's JSON: compact, as {@code JSON.stringify} writes it (no whitespace, {@code /} and non-ASCII unescaped, whole
 * numbers without a fraction), so verifiers that sign the raw body and those that re-serialise the parsed one agree.
 */
final class ZoomJson {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final MediaType CONTENT_TYPE = MediaType.parseMediaType("application/json;charset=UTF-8");

    private ZoomJson() {
    }

    static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Zoom's times: {@code 2021-03-18T05:41:36Z}, to the second. */
    static String time(Instant at) {
        return at.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
