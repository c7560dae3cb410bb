package processors.notifications;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import hub.JsonText;

/**
 * The message model as an Adaptive Card (1.4) in the message envelope a Teams Workflows webhook ("Post to a channel when
 * a webhook request is received") takes: the title (red for critical), the text, the facts as a FactSet, the examples
 * and an Open URL action. Teams refuses messages over about 28 KB.
 */
public final class AdaptiveCardMessage {

    public static final int MAX_BYTES = 28_000;

    private AdaptiveCardMessage() {
    }

    public static Map<String, Object> render(MessageModel m) {
        List<Map<String, Object>> body = new ArrayList<>();
        Map<String, Object> title = new LinkedHashMap<>();
        title.put("type", "TextBlock");
        title.put("text", m.title());
        title.put("weight", "Bolder");
        title.put("size", "Medium");
        title.put("wrap", true);
        if ("critical".equals(m.severity())) {
            title.put("color", "Attention");
        } else if ("warning".equals(m.severity())) {
            title.put("color", "Warning");
        }
        body.add(title);
        if (!m.text().isBlank()) {
            body.add(textBlock(m.text()));
        }
        if (!m.facts().isEmpty()) {
            body.add(BlockKitMessage.obj("type", "FactSet", "facts", m.facts().stream().map(f -> BlockKitMessage.obj("title", f.name(), "value", f.value())).toList()));
        }
        for (String example : m.examples()) {
            body.add(textBlock("- " + example));
        }
        Map<String, Object> context = new LinkedHashMap<>(textBlock(m.severity() + " · " + m.count() + " × " + m.eventType()));
        context.put("isSubtle", true);
        context.put("size", "Small");
        body.add(context);
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("type", "AdaptiveCard");
        card.put("version", "1.4");
        card.put("body", body);
        if (m.link() != null) {
            card.put("actions", List.of(BlockKitMessage.obj("type", "Action.OpenUrl", "title", "Open in the hub", "url", m.link())));
        }
        Map<String, Object> attachment = new LinkedHashMap<>();
        attachment.put("contentType", "application/vnd.microsoft.card.adaptive");
        attachment.put("contentUrl", null);
        attachment.put("content", card);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", "message");
        message.put("attachments", List.of(attachment));
        return message;
    }

    /**
     * Checks the rendered message against the Teams webhook's size limit.
     *
     * @throws PlatformLimitException naming {@code field} and the limit passed
     */
    public static void check(String field, ObjectMapper json, Map<String, Object> message) {
        int bytes = JsonText.write(json, message).getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new PlatformLimitException(field, "renders a Teams card of " + bytes + " bytes, over the Teams webhook's limit of "
                    + MAX_BYTES + " bytes (about 28 KB)");
        }
    }

    private static Map<String, Object> textBlock(String text) {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("type", "TextBlock");
        block.put("text", text);
        block.put("wrap", true);
        return block;
    }
}
