package providers.notion;

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
 * Notion: {@code type} like "page.content_updated", {@code entity.id}. Pages, databases and data sources are
 * documents, comments are notes: created/undeleted -> created, deleted -> deleted, any other change
 * (content, properties, schema, moved, locked) -> updated. The verification request produces nothing.
 *
 * <p>A page of a database ({@code data.parent.type} "database", or a {@code data_source_id}) is a record of the entity
 * that database is selected for, which only the integration knows (its sources): such an event becomes one company and
 * one note event ({@code company.updated} on {@code companies}, {@code note.updated} on {@code notes}), so each entity the
 * registration subscribes to gets an incremental sync, which reads only what changed (nothing where the page is not).
 */
@Component
public final class NotionEventParser implements WebhookEventParser {

    @Override
    public WebhookScheme scheme() {
        return NotionVerifier.SCHEME;
    }

    @Override
    public List<HubEvent> parse(InboundWebhook request) {
        JsonNode body = Json.object(request.body());
        String type = Json.text(body, "type");
        if (type == null) {
            if (body.has("verification_token")) {
                return List.of();
            }
            throw new MalformedWebhookException("body without type");
        }
        int dot = type.indexOf('.');
        String kind = dot < 0 ? type : type.substring(0, dot);
        String change = dot < 0 ? null : type.substring(dot + 1);
        String entityType = Json.text(body, "entity", "type");
        String entityId = Json.text(body, "entity", "id");
        String noun = switch (kind) {
            case "page", "database", "data_source" -> EventTypes.DOCUMENT;
            case "comment" -> EventTypes.NOTE;
            default -> null;
        };
        String providerEntity = entityType != null ? entityType : kind;
        if ("page".equals(kind) && inDatabase(body)) {
            return List.of(new HubEvent(EventTypes.of(EventTypes.COMPANY, verb(change)), "companies", entityId, type),
                    new HubEvent(EventTypes.of(EventTypes.NOTE, verb(change)), "notes", entityId, type));
        }
        if (noun == null) {
            return List.of(new HubEvent(EventTypes.of(kind, change == null ? "received" : change), providerEntity,
                    entityId, type));
        }
        return List.of(new HubEvent(EventTypes.of(noun, verb(change)), providerEntity, entityId, type));
    }

    private static boolean inDatabase(JsonNode body) {
        String parentType = Json.text(body, "data", "parent", "type");
        return "database".equals(parentType) || "data_source".equals(parentType) || Json.text(body, "data", "parent", "data_source_id") != null;
    }

    private static String verb(String change) {
        if ("created".equals(change) || "undeleted".equals(change)) {
            return EventTypes.CREATED;
        }
        return "deleted".equals(change) ? EventTypes.DELETED : EventTypes.UPDATED;
    }
}
