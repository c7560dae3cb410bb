package providers.webhooks;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.stereotype.Component;

/**
 * Standard Webhooks payload {@code {"type": "...", "data": {...}}}: the type is already hierarchical and is
 * used as is when it fits the hub's pattern syntax, else it becomes "custom." + a sanitised form;
 * externalId is {@code data.id}.
 */
@Component
final class StandardWebhooksEventParser implements WebhookEventParser {

    @Override
    public WebhookScheme scheme() {
        return StandardWebhooks.SCHEME;
    }

    @Override
    public List<HubEvent> parse(InboundWebhook request) {
        JsonNode body = Json.object(request.body());
        String type = Json.text(body, "type");
        if (type == null) {
            throw new MalformedWebhookException("body without type");
        }
        String hubType = EventPatterns.isExactType(type) ? type : "custom." + sanitised(type);
        String dataType = Json.text(body, "data", "type");
        return List.of(new HubEvent(hubType, dataType, Json.text(body, "data", "id"), type));
    }

    private static String sanitised(String type) {
        StringBuilder out = new StringBuilder();
        for (String part : type.split("\\.")) {
            if (!part.isBlank()) {
                out.append(out.length() == 0 ? "" : ".").append(EventTypes.segment(part));
            }
        }
        return out.length() == 0 ? "unknown" : out.toString();
    }
}
