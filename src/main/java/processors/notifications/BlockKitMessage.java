package processors.notifications;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The message model as Slack Block Kit: a header, the text, the facts as section fields, the examples, a context line
 * and a button to the link; {@code text} is the notification fallback. Slack's limits: 50 blocks a message, 3,000
 * characters a section text, 150 a header, 10 fields of 2,000 characters a section.
 */
public final class BlockKitMessage {

    public static final int MAX_BLOCKS = 50;
    public static final int MAX_SECTION_TEXT = 3000;
    public static final int MAX_HEADER_TEXT = 150;
    public static final int MAX_FIELDS = 10;
    public static final int MAX_FIELD_TEXT = 2000;

    private BlockKitMessage() {
    }

    /** The chat.postMessage / incoming-webhook body: {@code text} and {@code blocks}. */
    public static Map<String, Object> render(MessageModel m) {
        List<Map<String, Object>> blocks = new ArrayList<>();
        blocks.add(obj("type", "header", "text", plain(m.title())));
        if (!m.text().isBlank()) {
            blocks.add(section(m.text()));
        }
        if (!m.facts().isEmpty()) {
            List<Map<String, Object>> fields = new ArrayList<>();
            for (MessageModel.Fact f : m.facts()) {
                fields.add(mrkdwn("*" + f.name() + "*\n" + f.value()));
            }
            blocks.add(obj("type", "section", "fields", fields));
        }
        for (String example : m.examples()) {
            blocks.add(section("• " + example));
        }
        blocks.add(obj("type", "context", "elements", List.of(mrkdwn(m.severity() + " · " + m.count() + " × `" + m.eventType() + "`"))));
        if (m.link() != null) {
            blocks.add(obj("type", "actions", "elements", List.of(obj("type", "button", "text", plain("Open in the hub"), "url", m.link()))));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", m.title());
        body.put("blocks", blocks);
        return body;
    }

    /**
     * Checks the rendered message against Slack's limits.
     *
     * @throws PlatformLimitException naming {@code field} and the limit passed
     */
    @SuppressWarnings("unchecked")
    public static void check(String field, Map<String, Object> body) {
        List<Map<String, Object>> blocks = (List<Map<String, Object>>) body.get("blocks");
        if (blocks.size() > MAX_BLOCKS) {
            throw new PlatformLimitException(field, "renders " + blocks.size() + " Slack blocks, over Slack's limit of " + MAX_BLOCKS + " blocks");
        }
        for (Map<String, Object> block : blocks) {
            Object text = block.get("text");
            if (text instanceof Map<?, ?> t) {
                int length = t.get("text").toString().length();
                boolean header = "header".equals(block.get("type"));
                int limit = header ? MAX_HEADER_TEXT : MAX_SECTION_TEXT;
                if (length > limit) {
                    throw new PlatformLimitException(field, "renders a Slack " + (header ? "header" : "section") + " text of " + length
                            + " characters, over Slack's limit of " + limit + " characters");
                }
            }
            if (block.get("fields") instanceof List<?> fields) {
                if (fields.size() > MAX_FIELDS) {
                    throw new PlatformLimitException(field, "renders " + fields.size() + " fields in a Slack section, over Slack's limit of " + MAX_FIELDS);
                }
                for (Object f : fields) {
                    int length = ((Map<String, Object>) f).get("text").toString().length();
                    if (length > MAX_FIELD_TEXT) {
                        throw new PlatformLimitException(field, "renders a Slack field of " + length + " characters, over Slack's limit of "
                                + MAX_FIELD_TEXT + " characters");
                    }
                }
            }
        }
    }

    /** A JSON object with its keys in the order given (type first, as Slack's documentation writes blocks). */
    static Map<String, Object> obj(Object... keysAndValues) {
        Map<String, Object> object = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            object.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return object;
    }

    private static Map<String, Object> section(String text) {
        return obj("type", "section", "text", mrkdwn(text));
    }

    private static Map<String, Object> mrkdwn(String text) {
        return obj("type", "mrkdwn", "text", text);
    }

    private static Map<String, Object> plain(String text) {
        return obj("type", "plain_text", "text", text, "emoji", true);
    }
}
