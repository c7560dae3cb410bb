package sandbox.hubspot;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** A CRM API error, answered with its status and HubSpot's JSON error body. */
class HubSpotApiException extends RuntimeException {

    private final HttpStatus status;
    private final Map<String, Object> body;

    HubSpotApiException(HttpStatus status, Map<String, Object> body) {
        super(String.valueOf(body.get("message")));
        this.status = status;
        this.body = body;
    }

    static HubSpotApiException validation(String message) {
        return new HubSpotApiException(HttpStatus.BAD_REQUEST, HubSpotJson.error(message, "VALIDATION_ERROR"));
    }

    static HubSpotApiException notFound() {
        return new HubSpotApiException(HttpStatus.NOT_FOUND, HubSpotJson.error("resource not found", "OBJECT_NOT_FOUND"));
    }

    /**
     * {@code Property values were not valid} with one entry per bad property, as HubSpot answers a write naming an
     * unknown property, a read-only one or a value of the wrong kind.
     */
    static HubSpotApiException invalidProperties(List<PropertyProblem> problems) {
        StringBuilder detail = new StringBuilder("[");
        List<Map<String, Object>> errors = new java.util.ArrayList<>();
        for (PropertyProblem p : problems) {
            if (detail.length() > 1) {
                detail.append(',');
            }
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("isValid", false);
            item.put("message", p.message());
            item.put("error", p.code());
            item.put("name", p.property());
            detail.append(HubSpotJson.bytesAsString(item));
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("message", p.message());
            error.put("code", p.code());
            error.put("context", Map.of("propertyName", List.of(p.property())));
            errors.add(error);
        }
        detail.append(']');
        Map<String, Object> body = HubSpotJson.error("Property values were not valid: " + detail, "VALIDATION_ERROR");
        body.put("errors", errors);
        return new HubSpotApiException(HttpStatus.BAD_REQUEST, body);
    }

    /** One invalid property of a write. */
    record PropertyProblem(String property, String code, String message) {
    }

    HttpStatus status() {
        return status;
    }

    Map<String, Object> body() {
        return body;
    }
}
