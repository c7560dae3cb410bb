package providers.acme;

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

/** Acme's {@code {"object": "customer", "action": "changed", "id": "..."}}: a customer is a company. */
@Component
public final class AcmeEventParser implements WebhookEventParser {

    @Override
    public WebhookScheme scheme() {
        return AcmeVerifier.SCHEME;
    }

    @Override
    public List<HubEvent> parse(InboundWebhook request) {
        JsonNode body = Json.object(request.body());
        if (!"customer".equals(Json.text(body, "object"))) {
            throw new MalformedWebhookException("not an Acme customer event");
        }
        return List.of(new HubEvent(EventTypes.of(EventTypes.COMPANY, EventTypes.UPDATED), "customer", Json.text(body, "id"),
                Json.text(body, "action")));
    }
}
