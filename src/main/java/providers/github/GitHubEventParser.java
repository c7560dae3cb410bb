package providers.github;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.stereotype.Component;

import providers.webhooks.EventTypes;
import providers.webhooks.Forms;
import providers.webhooks.HubEvent;
import providers.webhooks.InboundWebhook;
import providers.webhooks.Json;
import providers.webhooks.MalformedWebhookException;
import providers.webhooks.Signatures;
import providers.webhooks.WebhookEventParser;
import providers.webhooks.WebhookScheme;

/**
 * GitHub: the event is {@code X-GitHub-Event}, refined by the body's {@code action}. Issues, pull requests,
 * reviews, discussions and their comments are notes; a push changes a document (the repository at a ref);
 * ping produces nothing. The body is JSON, or form-encoded with a {@code payload} field when the hook was
 * created with that content type.
 */
@Component
public final class GitHubEventParser implements WebhookEventParser {

    // event -> the body field holding the record whose id is the externalId
    private static final Map<String, String> NOTES = Map.of(
            "issues", "issue",
            "issue_comment", "comment",
            "pull_request", "pull_request",
            "pull_request_review", "review",
            "pull_request_review_comment", "comment",
            "commit_comment", "comment",
            "discussion", "discussion",
            "discussion_comment", "comment");

    // event -> the adapter's entity it changes (GitHubAdapter: issues and pull requests are "issues")
    private static final Map<String, String> ENTITIES = Map.of(
            "issues", GitHubAdapter.ISSUES,
            "pull_request", GitHubAdapter.ISSUES,
            "issue_comment", GitHubAdapter.COMMENTS);

    @Override
    public WebhookScheme scheme() {
        return GitHubVerifier.SCHEME;
    }

    @Override
    public List<HubEvent> parse(InboundWebhook request) {
        String event = request.header(GitHubVerifier.EVENT);
        if (event == null || event.isBlank()) {
            throw new MalformedWebhookException("missing header " + GitHubVerifier.EVENT);
        }
        event = event.trim();
        if (event.equals("ping")) {
            return List.of();
        }
        JsonNode body = body(request);
        String action = Json.text(body, "action");
        String providerType = action == null ? event : event + "." + action;
        String noteField = NOTES.get(event);
        if (noteField != null) {
            return List.of(new HubEvent(EventTypes.of(EventTypes.NOTE, noteVerb(action)), ENTITIES.getOrDefault(event, event),
                    noteId(event, noteField, body), providerType));
        }
        if (event.equals("push")) {
            String repository = Json.text(body, "repository", "full_name");
            String ref = Json.text(body, "ref");
            String externalId = repository == null ? null : ref == null ? repository : repository + ":" + ref;
            return List.of(new HubEvent(EventTypes.of(EventTypes.DOCUMENT, EventTypes.UPDATED), event, externalId,
                    providerType));
        }
        return List.of(new HubEvent(EventTypes.of(event, otherVerb(action)), event, Json.text(body, event, "id"),
                providerType));
    }

    /**
     * The record's id as the adapter keys it when the payload names the repository ({@code owner/repo#number} for an issue
     * or pull request, {@code owner/repo/comments/<id>} for an issue comment), else GitHub's numeric id.
     */
    private static String noteId(String event, String noteField, JsonNode body) {
        String repository = Json.text(body, "repository", "full_name");
        if (repository != null && (event.equals("issues") || event.equals("pull_request"))) {
            String number = Json.text(body, noteField, "number");
            if (number != null) {
                return repository + "#" + number;
            }
        }
        if (repository != null && event.equals("issue_comment") && Json.text(body, "comment", "id") != null) {
            return repository + "/comments/" + Json.text(body, "comment", "id");
        }
        return Json.text(body, noteField, "id");
    }

    private static JsonNode body(InboundWebhook request) {
        if (Forms.isForm(request)) {
            String payload = Forms.fields(request.body()).get("payload");
            if (payload == null) {
                throw new MalformedWebhookException("form body without payload");
            }
            return Json.object(Signatures.utf8(payload));
        }
        return Json.object(request.body());
    }

    private static String noteVerb(String action) {
        if ("opened".equals(action) || "created".equals(action) || "submitted".equals(action)) {
            return EventTypes.CREATED;
        }
        return "deleted".equals(action) ? EventTypes.DELETED : EventTypes.UPDATED;
    }

    private static String otherVerb(String action) {
        if (action == null) {
            return "received";
        }
        if ("opened".equals(action) || "created".equals(action)) {
            return EventTypes.CREATED;
        }
        return "deleted".equals(action) ? EventTypes.DELETED : action;
    }
}
