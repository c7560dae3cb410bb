package providers.microsoft;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
 * Microsoft Graph: one event per {@code value[]} item, verb = {@code changeType}. The resource path decides
 * the noun: chats/messages -> note, drives/items -> document, contacts -> contact, else the last collection
 * in the path, singular (users/{id}/events/{id} -> event). Lifecycle notifications become
 * {@code subscription.<lifecycleEvent>} (subscription.reauthorization_required) so the hub can renew.
 */
@Component
public final class MicrosoftGraphEventParser implements WebhookEventParser {

    @Override
    public WebhookScheme scheme() {
        return MicrosoftGraphVerifier.SCHEME;
    }

    @Override
    public List<HubEvent> parse(InboundWebhook request) {
        if (request.query().containsKey(MicrosoftGraphVerifier.VALIDATION_TOKEN)) {
            return List.of();
        }
        JsonNode value = Json.object(request.body()).get("value");
        if (value == null || !value.isArray()) {
            throw new MalformedWebhookException("body without value[]");
        }
        List<HubEvent> events = new ArrayList<>(value.size());
        for (JsonNode item : value) {
            events.add(event(item));
        }
        return events;
    }

    private static HubEvent event(JsonNode item) {
        String lifecycle = Json.text(item, "lifecycleEvent");
        if (lifecycle != null) {
            return new HubEvent(EventTypes.of("subscription", lifecycle), "subscription",
                    Json.text(item, "subscriptionId"), lifecycle);
        }
        String changeType = Json.text(item, "changeType");
        String resource = Json.text(item, "resource");
        if (changeType == null || resource == null) {
            throw new MalformedWebhookException("notification without changeType or resource");
        }
        String itemId = Json.text(item, "resourceData", "id");
        String collection = collection(resource, itemId);
        return new HubEvent(EventTypes.of(noun(resource, collection), changeType), collection, itemId, changeType);
    }

    private static String noun(String resource, String collection) {
        String path = "/" + resource.toLowerCase(Locale.ROOT);
        if (path.contains("/chats") || path.contains("/messages")) {
            return EventTypes.NOTE;
        }
        if (path.contains("/drive") || path.contains("/items")) {
            return EventTypes.DOCUMENT;
        }
        if (path.contains("/contacts")) {
            return EventTypes.CONTACT;
        }
        String singular = collection.endsWith("s") && !collection.endsWith("ss")
                ? collection.substring(0, collection.length() - 1) : collection;
        return singular.isEmpty() ? "resource" : singular;
    }

    /**
     * The collection the changed item sits in: {@code messages('id')} -> messages, Users/{id}/Events/{id} ->
     * events (the segment before the item's id), else the last segment.
     */
    static String collection(String resource, String itemId) {
        String[] segments = resource.split("/");
        int last = segments.length - 1;
        while (last > 0 && segments[last].isEmpty()) {
            last--;
        }
        String segment = segments[last];
        if (segment.indexOf('(') < 0 && itemId != null && segment.equals(itemId) && last > 0) {
            segment = segments[last - 1];
        }
        int paren = segment.indexOf('(');
        String name = (paren < 0 ? segment : segment.substring(0, paren)).toLowerCase(Locale.ROOT);
        return name.isEmpty() ? "resource" : name;
    }
}
