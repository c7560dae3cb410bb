package providers.zoom;

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
 * Zoom: {@code event} like "recording.completed". Recordings and transcripts are documents
 * (completed/recovered -> created, deleted/trashed -> deleted, others -> updated); other events keep Zoom's
 * noun and verb (meeting.started). A recording's externalId is its meeting instance's {@code payload.object.uuid}
 * (else the meeting's id): a recurring meeting's instances share the id, and the Zoom adapter's records are
 * instances; other events' externalId is {@code payload.object.id} (else its uuid).
 */
@Component
public final class ZoomEventParser implements WebhookEventParser {

    @Override
    public WebhookScheme scheme() {
        return ZoomVerifier.SCHEME;
    }

    @Override
    public List<HubEvent> parse(InboundWebhook request) {
        JsonNode body = Json.object(request.body());
        String event = Json.text(body, "event");
        if (event == null) {
            throw new MalformedWebhookException("body without event");
        }
        if (event.equals("endpoint.url_validation")) {
            return List.of();
        }
        int dot = event.indexOf('.');
        String noun = dot < 0 ? event : event.substring(0, dot);
        String action = dot < 0 ? null : event.substring(dot + 1);
        String id = Json.text(body, "payload", "object", "id");
        String uuid = Json.text(body, "payload", "object", "uuid");
        if (noun.equals("recording")) {
            String objectId = uuid != null ? uuid : id;
            return List.of(new HubEvent(EventTypes.of(EventTypes.DOCUMENT, recordingVerb(action)), noun, objectId,
                    event));
        }
        String objectId = id != null ? id : uuid;
        return List.of(new HubEvent(EventTypes.of(noun, action == null ? "received" : action), noun, objectId,
                event));
    }

    private static String recordingVerb(String action) {
        if (action == null) {
            return EventTypes.UPDATED;
        }
        if (action.equals("completed") || action.equals("recovered") || action.equals("transcript_completed")) {
            return EventTypes.CREATED;
        }
        if (action.equals("deleted") || action.equals("trashed")) {
            return EventTypes.DELETED;
        }
        return EventTypes.UPDATED;
    }
}
