package providers.gong;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.stereotype.Component;

import providers.webhooks.EventTypes;
import providers.webhooks.HubEvent;
import providers.webhooks.InboundWebhook;
import providers.webhooks.Json;
import providers.webhooks.MalformedWebhookException;
import providers.webhooks.WebhookEventParser;
import providers.webhooks.WebhookScheme;

/**
 * Gong: every delivery of an automation rule means "a call matching the rule is ready" ({@code callData}, the
 * extensive call; no event type): a {@code note.created} on {@code calls}, which starts an incremental sync of the
 * calls. A delivery from the rule's "test" button ({@code isTest: true}) produces nothing.
 */
@Component
public final class GongEventParser implements WebhookEventParser {

    @Override
    public WebhookScheme scheme() {
        return GongVerifier.SCHEME;
    }

    @Override
    public List<HubEvent> parse(InboundWebhook request) {
        JsonNode body = Json.object(request.body());
        if (body.path("isTest").asBoolean(false)) {
            return List.of();
        }
        String id = Json.text(body, "callData", "metaData", "id");
        if (id == null) {
            throw new MalformedWebhookException("body without callData.metaData.id");
        }
        return List.of(new HubEvent(EventTypes.of(EventTypes.NOTE, EventTypes.CREATED), GongAdapter.CALLS, id, "gong.call"));
    }
}
