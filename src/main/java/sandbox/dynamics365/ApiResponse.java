package sandbox.dynamics365;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/** What a Web API operation answers, before the controller adds the headers every response carries. */
record ApiResponse(HttpStatus status, Object body, MediaType type, Map<String, String> headers) {

    static final MediaType ODATA_JSON = MediaType.parseMediaType("application/json; odata.metadata=minimal");

    static ApiResponse json(HttpStatus status, Object body) {
        return new ApiResponse(status, body, ODATA_JSON, new LinkedHashMap<>());
    }

    static ApiResponse ok(Object body) {
        return json(HttpStatus.OK, body);
    }

    static ApiResponse empty(HttpStatus status) {
        return new ApiResponse(status, null, null, new LinkedHashMap<>());
    }

    static ApiResponse text(String body) {
        return new ApiResponse(HttpStatus.OK, body, MediaType.TEXT_PLAIN, new LinkedHashMap<>());
    }

    static ApiResponse xml(String body) {
        return new ApiResponse(HttpStatus.OK, body, MediaType.APPLICATION_XML, new LinkedHashMap<>());
    }

    ApiResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }
}
