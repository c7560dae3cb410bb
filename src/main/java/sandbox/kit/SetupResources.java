package sandbox.kit;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The setup resources every sandbox offers in the same shape (sandbox only, standing in for the provider's admin
 * screens), over the kit's pieces; the sandbox maps them to its paths and answers refusals in its own error shape
 * ({@code invalid} turns a message into the sandbox's 400):
 *
 * <ul>
 *   <li>limits: {@code {"rateLimit": n, "windowSeconds": w, "used": k, "violations": v}} for one window of a
 *       {@link CallAdmission} (0 is off; k = calls in the current windows and v = calls refused, all callers together);
 *       a change sends {@code {"rateLimit": n, "windowSeconds": w}}, either left out to keep it.</li>
 *   <li>latency: {@code {"latencyMs": n, "configured": c}}; a change sends {@code {"latencyMs": n}} (0 to 60000, or null
 *       for the configured one).</li>
 * </ul>
 */
public final class SetupResources {

    /** Longest latency a workspace may be given. */
    public static final int MAX_LATENCY_MS = 60_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SetupResources() {
    }

    /** A request body that must be a JSON object. */
    public static JsonNode object(byte[] body, Function<String, RuntimeException> invalid) {
        try {
            JsonNode root = body == null || body.length == 0 ? null : JSON.readTree(body);
            if (root == null || !root.isObject()) {
                throw invalid.apply("the body must be a JSON object");
            }
            return root;
        } catch (IOException e) {
            throw invalid.apply("the body is not valid JSON: " + e.getMessage());
        }
    }

    /** A request body that may be empty (then an empty object), else a JSON object. */
    public static JsonNode optionalObject(byte[] body, Function<String, RuntimeException> invalid) {
        return body == null || body.length == 0 ? JSON.createObjectNode() : object(body, invalid);
    }

    /** A whole number, or null when the key is absent or null: {@code key: expected a whole number, not "x"}. */
    public static Long wholeNumber(JsonNode root, String key, Function<String, RuntimeException> invalid) {
        return wholeNumber(root, key, (k, node) -> invalid.apply(k + ": expected a whole number, not " + node));
    }

    /** A whole number, or null when the key is absent or null; anything else is refused as the sandbox words it. */
    public static Long wholeNumber(JsonNode root, String key, BiFunction<String, JsonNode, RuntimeException> notAWholeNumber) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw notAWholeNumber.apply(key, node);
        }
        return node.longValue();
    }

    /** The state of a window, all callers together. */
    public static Map<String, Object> limits(CallAdmission calls, String window) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("rateLimit", calls.limit(window));
        state.put("windowSeconds", calls.length(window).toSeconds());
        state.put("used", calls.used(window));
        state.put("violations", calls.violations(window));
        return state;
    }

    /** Changes a window for every caller from {@code {"rateLimit": n, "windowSeconds": w}}; answers its state. */
    public static Map<String, Object> configureLimits(CallAdmission calls, String window, byte[] body,
            Function<String, RuntimeException> invalid) {
        JsonNode root = object(body, invalid);
        Long limit = wholeNumber(root, "rateLimit", invalid);
        Long windowSeconds = wholeNumber(root, "windowSeconds", invalid);
        if (limit != null && (limit < 0 || limit > Integer.MAX_VALUE)) {
            throw invalid.apply("rateLimit: must be 0 (off) or a positive number of requests, not " + limit);
        }
        if (windowSeconds != null && windowSeconds < 1) {
            throw invalid.apply("windowSeconds: must be at least 1, not " + windowSeconds);
        }
        calls.configure(window, limit == null ? null : limit.intValue(),
                windowSeconds == null ? null : Duration.ofSeconds(windowSeconds));
        return limits(calls, window);
    }

    /** The latency a workspace's calls get, and the configured one. */
    public static Map<String, Object> latency(CallAdmission calls) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("latencyMs", calls.latencyMs());
        state.put("configured", calls.configuredLatencyMs());
        return state;
    }

    /** Gives a workspace its own latency from {@code {"latencyMs": n}} (null: the configured one); answers its state. */
    public static Map<String, Object> configureLatency(CallAdmission calls, byte[] body,
            Function<String, RuntimeException> invalid) {
        JsonNode root = object(body, invalid);
        if (!root.has("latencyMs")) {
            throw invalid.apply("latencyMs: required (a number of milliseconds, or null for the configured one)");
        }
        Long latency = wholeNumber(root, "latencyMs", invalid);
        if (latency != null && (latency < 0 || latency > MAX_LATENCY_MS)) {
            throw invalid.apply("latencyMs: must be between 0 and " + MAX_LATENCY_MS + ", not " + latency);
        }
        calls.overrideLatency(latency == null ? null : latency.intValue());
        return latency(calls);
    }
}
