package providers.google;

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
 * Google Pub/Sub push: the message's attributes say what changed, when they can. Cloud Storage
 * ({@code eventType} OBJECT_FINALIZE / OBJECT_DELETE / OBJECT_METADATA_UPDATE / OBJECT_ARCHIVE, id in
 * {@code objectId}) and dotted types such as Workspace Events' {@code ce-type}
 * ("google.workspace.drive.file.v1.updated", subject in {@code ce-subject}) are mapped; anything else is
 * document.updated, leaving the hub to look.
 */
@Component
public final class GooglePubSubEventParser implements WebhookEventParser {

    @Override
    public WebhookScheme scheme() {
        return GooglePubSubVerifier.SCHEME;
    }

    @Override
    public List<HubEvent> parse(InboundWebhook request) {
        JsonNode message = Json.object(request.body()).get("message");
        if (message == null || !message.isObject()) {
            throw new MalformedWebhookException("body without message");
        }
        JsonNode attributes = message.get("attributes");
        String eventType = Json.text(attributes, "eventType");
        if (eventType == null) {
            eventType = Json.text(attributes, "ce-type");
        }
        String externalId = Json.text(attributes, "objectId");
        if (externalId == null) {
            externalId = lastSegment(Json.text(attributes, "ce-subject"));
        }
        if (eventType == null) {
            return List.of(new HubEvent(EventTypes.of(EventTypes.DOCUMENT, EventTypes.UPDATED), null, externalId,
                    null));
        }
        if (eventType.startsWith("OBJECT_")) {
            String verb = switch (eventType) {
                case "OBJECT_FINALIZE" -> EventTypes.CREATED;
                case "OBJECT_DELETE" -> EventTypes.DELETED;
                default -> EventTypes.UPDATED;
            };
            return List.of(new HubEvent(EventTypes.of(EventTypes.DOCUMENT, verb), "object", externalId, eventType));
        }
        return List.of(dotted(eventType, externalId));
    }

    /** "google.workspace.chat.message.v1.created": the verb is last, the resource precedes the version. */
    private static HubEvent dotted(String eventType, String externalId) {
        String[] parts = eventType.toLowerCase(Locale.ROOT).split("\\.");
        String verb = parts[parts.length - 1];
        String resource = parts.length < 2 ? "document" : parts[parts.length - 2];
        if (resource.matches("v\\d+") && parts.length >= 3) {
            resource = parts[parts.length - 3];
        }
        String noun = switch (resource) {
            case "file", "files", "document", "drive", "object" -> EventTypes.DOCUMENT;
            case "message", "messages", "comment", "reply" -> EventTypes.NOTE;
            case "contact", "person" -> EventTypes.CONTACT;
            default -> resource;
        };
        return new HubEvent(EventTypes.of(noun, verb), resource, externalId, eventType);
    }

    private static String lastSegment(String subject) {
        if (subject == null) {
            return null;
        }
        int slash = subject.lastIndexOf('/');
        String last = subject.substring(slash + 1);
        return last.isEmpty() ? null : last;
    }
}
