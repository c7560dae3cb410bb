package providers.hubspot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
 * HubSpot sends a JSON array of events, each with {@code subscriptionType} ("contact.propertyChange") and
 * {@code objectId}. deal maps to opportunity; creation/propertyChange/deletion to created/updated/deleted;
 * privacyDeletion is a deletion and restore a re-creation (the record reappears); merge keeps its own verb
 * because the surviving record changes while others disappear. Generic {@code object.*} events name the type
 * by {@code objectTypeId}.
 */
@Component
public final class HubSpotEventParser implements WebhookEventParser {

    // HubSpot type -> (hub noun, HubSpot's plural name)
    private static final Map<String, String[]> TYPES = Map.of(
            "contact", new String[] {EventTypes.CONTACT, "contacts"},
            "company", new String[] {EventTypes.COMPANY, "companies"},
            "deal", new String[] {EventTypes.OPPORTUNITY, "deals"},
            "note", new String[] {EventTypes.NOTE, "notes"},
            "ticket", new String[] {"ticket", "tickets"},
            "product", new String[] {"product", "products"},
            "line_item", new String[] {"line_item", "line_items"},
            "conversation", new String[] {"conversation", "conversations"});
    // the documented ids of HubSpot's standard object types, used by object.* events
    private static final Map<String, String> OBJECT_TYPE_IDS = Map.of(
            "0-1", "contact", "0-2", "company", "0-3", "deal", "0-5", "ticket", "0-7", "product",
            "0-8", "line_item", "0-46", "note");
    private static final Map<String, String> VERBS = Map.of(
            "creation", EventTypes.CREATED, "propertyChange", EventTypes.UPDATED, "deletion", EventTypes.DELETED,
            "privacyDeletion", EventTypes.DELETED, "restore", EventTypes.CREATED, "merge", "merged",
            "associationChange", "association_changed");

    @Override
    public WebhookScheme scheme() {
        return HubSpotVerifier.SCHEME;
    }

    @Override
    public List<HubEvent> parse(InboundWebhook request) {
        JsonNode body = Json.tree(request.body());
        if (!body.isArray()) {
            throw new MalformedWebhookException("body is not a JSON array of events");
        }
        List<HubEvent> events = new ArrayList<>(body.size());
        for (JsonNode event : body) {
            events.add(event(event));
        }
        return events;
    }

    private static HubEvent event(JsonNode event) {
        String subscriptionType = Json.text(event, "subscriptionType");
        if (subscriptionType == null) {
            throw new MalformedWebhookException("event without subscriptionType");
        }
        int dot = subscriptionType.indexOf('.');
        String objectType = dot < 0 ? subscriptionType : subscriptionType.substring(0, dot);
        String change = dot < 0 ? null : subscriptionType.substring(dot + 1);
        if (objectType.equals("object")) {
            String typeId = Json.text(event, "objectTypeId");
            objectType = typeId == null ? "object" : OBJECT_TYPE_IDS.getOrDefault(typeId, "object");
        }
        String[] names = TYPES.get(objectType);
        String noun = names == null ? objectType : names[0];
        String entity = names == null ? objectType : names[1];
        String verb = change == null ? "received" : VERBS.getOrDefault(change, change);
        String objectId = Json.text(event, "objectId");
        if (objectId == null) {
            objectId = Json.text(event, "primaryObjectId");
        }
        if (objectId == null) {
            objectId = Json.text(event, "fromObjectId");
        }
        return new HubEvent(EventTypes.of(noun, verb), entity, objectId, subscriptionType);
    }
}
