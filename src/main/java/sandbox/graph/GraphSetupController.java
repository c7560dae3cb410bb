package sandbox.graph;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import sandbox.entra.EntraTokens;
import sandbox.kit.SetupResources;

/**
 * Setup of the Graph sandbox, standing in for Teams, OneDrive and the Entra admin screens (authenticated with a Graph
 * token like the API, not counted against its limits), under {@code /sandbox/graph/setup}:
 * <ul>
 *   <li>{@code GET|POST /limits} ({@code {"rateLimit", "windowSeconds"}}: calls per token), {@code GET|POST /latency}</li>
 *   <li>{@code POST /access-tokens/expire}: every Graph token seen so far, and any issued before this second, is refused</li>
 *   <li>{@code POST /teams} {@code {"displayName", "channels", "messages"}}: a new team seeded from the shared world</li>
 *   <li>{@code POST /teams/{t}/channels/{c}/messages} {@code {"content", "replyToId"?, "contentType"?, "from"?}}: posts a
 *       message or reply; {@code PATCH .../messages/{id}} {@code {"content"}} edits it; {@code DELETE .../messages/{id}} deletes it</li>
 *   <li>{@code POST /drives} {@code {"name", "files"}}: a new drive; {@code POST /drives/{d}/items} {@code {"name", "content"
 *       | "contentBase64", "mimeType"?, "parentId"?, "folder"?}} adds a file or folder; {@code PATCH /drives/{d}/items/{i}}
 *       {@code {"name"?, "content"?}} changes it; {@code DELETE /drives/{d}/items/{i}} deletes it;
 *       {@code POST /drives/{d}/resync} makes its delta tokens stale (410 Gone)</li>
 *   <li>{@code POST /subscriptions/{id}/lifecycle} {@code {"lifecycleEvent"}}: sends {@code reauthorizationRequired},
 *       {@code subscriptionRemoved} (which removes it) or {@code missed} now; {@code POST /subscriptions/sweep} runs the
 *       expiry and reauthorization sweep now; {@code GET /subscriptions/{id}/deliveries}: its delivery counters</li>
 * </ul>
 */
@RestController
@ConditionalOnExpression("${hub.sandbox.enabled:false} and ${hub.sandbox.graph.enabled:true}")
@RequestMapping(GraphSandboxSupport.BASE + "/setup")
public class GraphSetupController extends GraphSandboxSupport {

    GraphSetupController(GraphSandbox sandbox, EntraTokens entra) {
        super(sandbox, entra);
    }

    @GetMapping("/limits")
    public ResponseEntity<byte[]> limits(HttpServletRequest request) {
        authenticate(request, false);
        return ok(SetupResources.limits(sandbox.calls, GraphSandbox.CALLS), request);
    }

    @PostMapping("/limits")
    public ResponseEntity<byte[]> configureLimits(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        authenticate(request, false);
        return ok(SetupResources.configureLimits(sandbox.calls, GraphSandbox.CALLS, body, GraphApiException::invalid), request);
    }

    @GetMapping("/latency")
    public ResponseEntity<byte[]> latency(HttpServletRequest request) {
        authenticate(request, false);
        return ok(SetupResources.latency(sandbox.calls), request);
    }

    @PostMapping("/latency")
    public ResponseEntity<byte[]> configureLatency(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        authenticate(request, false);
        return ok(SetupResources.configureLatency(sandbox.calls, body, GraphApiException::invalid), request);
    }

    @PostMapping("/access-tokens/expire")
    public ResponseEntity<byte[]> expireTokens(HttpServletRequest request) {
        authenticate(request, false);
        sandbox.taken.expireAll();
        return ok(Map.of("expired", true), request);
    }

    // ------------------------------------------------------------------ Teams

    @PostMapping("/teams")
    public ResponseEntity<byte[]> addTeam(@RequestBody(required = false) byte[] raw, HttpServletRequest request) {
        authenticate(request, false);
        JsonNode body = SetupResources.object(raw, GraphApiException::invalid);
        String name = required(body, "displayName");
        int channels = count(body, "channels", 1, 1, 20);
        int messages = count(body, "messages", 0, 0, 500);
        GraphTenant.Team team = sandbox.seed.team(sandbox.tenant, name, channels, messages);
        Map<String, Object> answer = new LinkedHashMap<>(GraphJson.team(team));
        synchronized (sandbox.tenant) {
            answer.put("channels", team.channels.values().stream().map(c -> (Object) GraphJson.channel(c)).toList());
        }
        return json(HttpStatus.CREATED, answer, request);
    }

    @PostMapping("/teams/{teamId}/channels/{channelId}/messages")
    public ResponseEntity<byte[]> post(@PathVariable String teamId, @PathVariable String channelId,
            @RequestBody(required = false) byte[] raw, HttpServletRequest request) {
        authenticate(request, false);
        JsonNode body = SetupResources.object(raw, GraphApiException::invalid);
        String content = required(body, "content");
        String contentType = GraphApiController.text(body, "contentType");
        if (contentType != null && !List.of("text", "html").contains(contentType)) {
            throw GraphApiException.invalid("contentType: text or html.");
        }
        GraphTenant.Message message = sandbox.tenant.post(teamId, channelId, GraphApiController.text(body, "replyToId"),
                author(GraphApiController.text(body, "from")), contentType == null ? "text" : contentType, content, null, null);
        return json(HttpStatus.CREATED, messageJson(message), request);
    }

    @PatchMapping("/teams/{teamId}/channels/{channelId}/messages/{messageId}")
    public ResponseEntity<byte[]> edit(@PathVariable String teamId, @PathVariable String channelId, @PathVariable String messageId,
            @RequestBody(required = false) byte[] raw, HttpServletRequest request) {
        authenticate(request, false);
        JsonNode body = SetupResources.object(raw, GraphApiException::invalid);
        return ok(messageJson(sandbox.tenant.edit(teamId, channelId, messageId, required(body, "content"))), request);
    }

    @DeleteMapping("/teams/{teamId}/channels/{channelId}/messages/{messageId}")
    public ResponseEntity<byte[]> delete(@PathVariable String teamId, @PathVariable String channelId, @PathVariable String messageId,
            HttpServletRequest request) {
        authenticate(request, false);
        return ok(messageJson(sandbox.tenant.delete(teamId, channelId, messageId)), request);
    }

    private Map<String, Object> messageJson(GraphTenant.Message message) {
        synchronized (sandbox.tenant) {
            return GraphJson.message(message, false);
        }
    }

    /** One of the sandbox's people by display name; the first when none is named. */
    private static GraphTenant.User author(String name) {
        if (name == null) {
            return GraphSeed.PEOPLE.get(0);
        }
        return GraphSeed.PEOPLE.stream().filter(p -> p.displayName().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> GraphApiException.invalid("from: one of " + GraphSeed.PEOPLE.stream()
                        .map(GraphTenant.User::displayName).toList() + "."));
    }

    // ------------------------------------------------------------------ OneDrive

    @PostMapping("/drives")
    public ResponseEntity<byte[]> addDrive(@RequestBody(required = false) byte[] raw, HttpServletRequest request) {
        authenticate(request, false);
        JsonNode body = SetupResources.object(raw, GraphApiException::invalid);
        GraphTenant.Drive drive = sandbox.seed.drive(sandbox.tenant, required(body, "name"), count(body, "files", 0, 0, 1000));
        Map<String, Object> answer = new LinkedHashMap<>(GraphJson.drive(drive));
        answer.put("rootId", drive.rootId);
        return json(HttpStatus.CREATED, answer, request);
    }

    @PostMapping("/drives/{driveId}/items")
    public ResponseEntity<byte[]> addItem(@PathVariable String driveId, @RequestBody(required = false) byte[] raw,
            HttpServletRequest request) {
        authenticate(request, false);
        JsonNode body = SetupResources.object(raw, GraphApiException::invalid);
        String name = required(body, "name");
        boolean folder = body.path("folder").asBoolean(false);
        String mimeType = GraphApiController.text(body, "mimeType");
        GraphTenant.DriveItem item = sandbox.tenant.addItem(driveId, GraphSeed.itemId(driveId + "/" + java.util.UUID.randomUUID()),
                GraphApiController.text(body, "parentId"), name, folder, mimeType == null ? "text/plain" : mimeType,
                folder ? null : content(body), GraphSeed.PEOPLE.get(1), null);
        return json(HttpStatus.CREATED, itemJson(driveId, item), request);
    }

    @PatchMapping("/drives/{driveId}/items/{itemId}")
    public ResponseEntity<byte[]> changeItem(@PathVariable String driveId, @PathVariable String itemId,
            @RequestBody(required = false) byte[] raw, HttpServletRequest request) {
        authenticate(request, false);
        JsonNode body = SetupResources.object(raw, GraphApiException::invalid);
        byte[] content = body.has("content") || body.has("contentBase64") ? content(body) : null;
        GraphTenant.DriveItem item = sandbox.tenant.changeItem(driveId, itemId, GraphApiController.text(body, "name"), content,
                GraphSeed.PEOPLE.get(2));
        return ok(itemJson(driveId, item), request);
    }

    @DeleteMapping("/drives/{driveId}/items/{itemId}")
    public ResponseEntity<byte[]> deleteItem(@PathVariable String driveId, @PathVariable String itemId, HttpServletRequest request) {
        authenticate(request, false);
        sandbox.tenant.deleteItem(driveId, itemId);
        return headers(ResponseEntity.status(HttpStatus.NO_CONTENT), request).build();
    }

    @PostMapping("/drives/{driveId}/resync")
    public ResponseEntity<byte[]> resync(@PathVariable String driveId, HttpServletRequest request) {
        authenticate(request, false);
        sandbox.tenant.resync(driveId);
        return ok(Map.of("resync", true), request);
    }

    private Map<String, Object> itemJson(String driveId, GraphTenant.DriveItem item) {
        synchronized (sandbox.tenant) {
            return GraphJson.item(sandbox.tenant.drive(driveId), item);
        }
    }

    private static byte[] content(JsonNode body) {
        String base64 = GraphApiController.text(body, "contentBase64");
        if (base64 != null) {
            try {
                return Base64.getDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                throw GraphApiException.invalid("contentBase64: not base64.");
            }
        }
        String text = GraphApiController.text(body, "content");
        return text == null ? new byte[0] : GraphTenant.utf8(text);
    }

    // ------------------------------------------------------------------ subscriptions

    @PostMapping("/subscriptions/{id}/lifecycle")
    public ResponseEntity<byte[]> lifecycle(@PathVariable String id, @RequestBody(required = false) byte[] raw,
            HttpServletRequest request) {
        authenticate(request, false);
        JsonNode body = SetupResources.object(raw, GraphApiException::invalid);
        sandbox.subscriptions.lifecycle(id, GraphApiController.text(body, "lifecycleEvent"));
        return headers(ResponseEntity.status(HttpStatus.ACCEPTED), request).build();
    }

    @PostMapping("/subscriptions/sweep")
    public ResponseEntity<byte[]> sweep(HttpServletRequest request) {
        authenticate(request, false);
        sandbox.subscriptions.sweep();
        return ok(Map.of("subscriptions", sandbox.subscriptions.all().size()), request);
    }

    @GetMapping("/subscriptions/{id}/deliveries")
    public ResponseEntity<byte[]> deliveries(@PathVariable String id, HttpServletRequest request) {
        authenticate(request, false);
        return ok(sandbox.subscriptions.deliveries(id), request);
    }

    // ------------------------------------------------------------------ body fields

    private static String required(JsonNode body, String field) {
        String value = GraphApiController.text(body, field);
        if (value == null || value.isBlank()) {
            throw GraphApiException.invalid(field + ": required.");
        }
        return value;
    }

    private static int count(JsonNode body, String field, int fallback, int min, int max) {
        Long n = SetupResources.wholeNumber(body, field, GraphApiException::invalid);
        if (n == null) {
            return fallback;
        }
        if (n < min || n > max) {
            throw GraphApiException.invalid(field + ": between " + min + " and " + max + ", not " + n + ".");
        }
        return n.intValue();
    }
}
