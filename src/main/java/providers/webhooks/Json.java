package providers.webhooks;

import java.io.IOException;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** Reading webhook bodies as JSON trees. */
public final class Json {

    // duplicate keys are refused: a second "clientState" must not override the one that was checked
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    /** The body as a JSON object. */
    public static JsonNode object(byte[] body) {
        JsonNode node = tree(body);
        if (!node.isObject()) {
            throw new MalformedWebhookException("body is not a JSON object");
        }
        return node;
    }

    /** The body as any JSON value. */
    public static JsonNode tree(byte[] body) {
        if (body.length == 0) {
            throw new MalformedWebhookException("body is empty");
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new MalformedWebhookException("body is not JSON");
            }
            return node;
        } catch (IOException e) {
            throw new MalformedWebhookException("body is not JSON");
        }
    }

    /** The text (or number, as text) at the path, or null when missing, null or not a scalar. */
    public static String text(JsonNode node, String... path) {
        JsonNode current = node;
        for (String name : path) {
            if (current == null || !current.isObject()) {
                return null;
            }
            current = current.get(name);
        }
        if (current == null || !current.isValueNode() || current.isNull()) {
            return null;
        }
        String text = current.asText();
        return text.isEmpty() ? null : text;
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON");
        }
    }
}
