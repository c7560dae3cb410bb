package providers.google_drive;

import java.util.List;
import java.util.Locale;

import org.springframework.stereotype.Component;

import providers.webhooks.EventTypes;
import providers.webhooks.HubEvent;
import providers.webhooks.InboundWebhook;
import providers.webhooks.MalformedWebhookException;
import providers.webhooks.WebhookEventParser;
import providers.webhooks.WebhookScheme;

/**
 * Google Drive push channel: the body is empty and {@code X-Goog-Resource-State} tells what happened:
 * add/untrash -> document.created, update/change/exists -> document.updated, remove/trash ->
 * document.deleted, sync -> nothing. A files.watch channel names the file in {@code X-Goog-Resource-URI};
 * a changes.watch channel names no file (the hub lists changes), so externalId is null there.
 */
@Component
public final class GoogleDriveEventParser implements WebhookEventParser {

    @Override
    public WebhookScheme scheme() {
        return GoogleDriveVerifier.SCHEME;
    }

    @Override
    public List<HubEvent> parse(InboundWebhook request) {
        String state = request.header(GoogleDriveVerifier.RESOURCE_STATE);
        if (state == null || state.isBlank()) {
            throw new MalformedWebhookException("missing header " + GoogleDriveVerifier.RESOURCE_STATE);
        }
        state = state.trim().toLowerCase(Locale.ROOT);
        if (state.equals("sync")) {
            return List.of();
        }
        String verb = switch (state) {
            case "add", "untrash" -> EventTypes.CREATED;
            case "remove", "trash" -> EventTypes.DELETED;
            default -> EventTypes.UPDATED;
        };
        String uri = request.header(GoogleDriveVerifier.RESOURCE_URI);
        String fileId = fileId(uri);
        String entity = fileId != null ? "files" : uri != null && uri.contains("/changes") ? "changes" : null;
        return List.of(new HubEvent(EventTypes.of(EventTypes.DOCUMENT, verb), entity, fileId, state));
    }

    /** The id in ".../files/{id}?..." or null. */
    static String fileId(String uri) {
        if (uri == null) {
            return null;
        }
        int at = uri.indexOf("/files/");
        if (at < 0) {
            return null;
        }
        String rest = uri.substring(at + "/files/".length());
        int end = 0;
        while (end < rest.length() && rest.charAt(end) != '?' && rest.charAt(end) != '/' && rest.charAt(end) != '#') {
            end++;
        }
        return end == 0 ? null : rest.substring(0, end);
    }
}
