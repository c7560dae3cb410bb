package sandbox.graph;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import sandbox.entra.EntraTokens;
import sandbox.kit.SetupResources;

/**
 * Graph v1.0 as Teams and OneDrive clients call it, at {@code /sandbox/graph/v1.0} (and {@code /v1.0} on the TLS port's
 * root): teams and channels; channel messages with replies, listed and through the channel messages delta
 * ({@code $skiptoken} pages, a {@code $deltatoken} at the end; {@code $top} up to 50, {@code $expand=replies},
 * {@code $filter=lastModifiedDateTime gt ...} on the first round); drives (and their list), their items and content, and
 * {@code root/delta} ({@code token}: none for a full enumeration, {@code latest}, or a link's; a stale one is 410 Gone
 * with a {@code Location} to start over); and change-notification subscriptions.
 */
@RestController
@ConditionalOnExpression("${hub.sandbox.enabled:false} and ${hub.sandbox.graph.enabled:true}")
@RequestMapping(GraphSandboxSupport.API)
public class GraphApiController extends GraphSandboxSupport {

    static final int CHANNEL_PAGE = 20;
    static final int CHANNEL_MAX_PAGE = 50;
    static final int DRIVE_PAGE = 200;
    static final int DRIVE_MAX_PAGE = 1000;
    private static final Pattern MODIFIED_AFTER = Pattern.compile("lastModifiedDateTime\\s+gt\\s+(\\S+)", Pattern.CASE_INSENSITIVE);

    GraphApiController(GraphSandbox sandbox, EntraTokens entra) {
        super(sandbox, entra);
    }

    // ------------------------------------------------------------------ teams and channels

    @GetMapping("/teams")
    public ResponseEntity<byte[]> teams(HttpServletRequest request) {
        authenticate(request, true);
        List<Object> value;
        synchronized (sandbox.tenant) {
            value = sandbox.tenant.teams.values().stream().map(t -> (Object) GraphJson.team(t)).toList();
        }
        return ok(GraphJson.collection("teams", value), request);
    }

    @GetMapping("/teams/{teamId}")
    public ResponseEntity<byte[]> team(@PathVariable String teamId, HttpServletRequest request) {
        authenticate(request, true);
        Map<String, Object> team = new LinkedHashMap<>();
        team.put("@odata.context", GraphJson.CONTEXT + "teams/$entity");
        team.putAll(GraphJson.team(sandbox.tenant.team(teamId)));
        return ok(team, request);
    }

    @GetMapping("/teams/{teamId}/channels")
    public ResponseEntity<byte[]> channels(@PathVariable String teamId, HttpServletRequest request) {
        authenticate(request, true);
        List<Object> value;
        synchronized (sandbox.tenant) {
            value = sandbox.tenant.team(teamId).channels.values().stream().map(c -> (Object) GraphJson.channel(c)).toList();
        }
        return ok(GraphJson.collection("teams('" + teamId + "')/channels", value), request);
    }

    @GetMapping("/teams/{teamId}/channels/{channelId}")
    public ResponseEntity<byte[]> channel(@PathVariable String teamId, @PathVariable String channelId, HttpServletRequest request) {
        authenticate(request, true);
        Map<String, Object> channel = new LinkedHashMap<>();
        channel.put("@odata.context", GraphJson.CONTEXT + "teams('" + teamId + "')/channels/$entity");
        channel.putAll(GraphJson.channel(sandbox.tenant.channel(teamId, channelId)));
        return ok(channel, request);
    }

    // ------------------------------------------------------------------ channel messages

    /** Root messages, newest first, {@code $top} (at most 50) a page, each with its replies when {@code $expand=replies}. */
    @GetMapping("/teams/{teamId}/channels/{channelId}/messages")
    public ResponseEntity<byte[]> messages(@PathVariable String teamId, @PathVariable String channelId,
            @RequestParam Map<String, String> query, HttpServletRequest request) {
        authenticate(request, true);
        String key = teamId + "/" + channelId + "/messages";
        List<GraphTenant.Message> roots;
        synchronized (sandbox.tenant) {
            roots = sandbox.tenant.channel(teamId, channelId).roots().stream()
                    .sorted(Comparator.comparing((GraphTenant.Message m) -> m.created).reversed()).toList();
        }
        return listPage(roots, key, "teams('" + teamId + "')/channels('" + channelId + "')/messages",
                "/teams/" + teamId + "/channels/" + channelId + "/messages", query, request);
    }

    @GetMapping("/teams/{teamId}/channels/{channelId}/messages/{messageId}")
    public ResponseEntity<byte[]> message(@PathVariable String teamId, @PathVariable String channelId,
            @PathVariable String messageId, @RequestParam Map<String, String> query, HttpServletRequest request) {
        authenticate(request, true);
        GraphTenant.Message message = sandbox.tenant.message(teamId, channelId, messageId);
        if (message.replyToId != null) {
            throw GraphApiException.notFound("Message '" + messageId + "'");
        }
        return ok(entity("teams('" + teamId + "')/channels('" + channelId + "')/messages/$entity",
                messageJson(message, expandsReplies(query))), request);
    }

    @GetMapping("/teams/{teamId}/channels/{channelId}/messages/{messageId}/replies")
    public ResponseEntity<byte[]> replies(@PathVariable String teamId, @PathVariable String channelId,
            @PathVariable String messageId, @RequestParam Map<String, String> query, HttpServletRequest request) {
        authenticate(request, true);
        List<GraphTenant.Message> replies;
        synchronized (sandbox.tenant) {
            GraphTenant.Message root = sandbox.tenant.message(teamId, channelId, messageId);
            if (root.replyToId != null) {
                throw GraphApiException.notFound("Message '" + messageId + "'");
            }
            replies = List.copyOf(root.replies);
        }
        String path = "/teams/" + teamId + "/channels/" + channelId + "/messages/" + messageId + "/replies";
        return listPage(replies, teamId + "/" + channelId + "/" + messageId + "/replies",
                "teams('" + teamId + "')/channels('" + channelId + "')/messages('" + messageId + "')/replies", path, query, request);
    }

    @GetMapping("/teams/{teamId}/channels/{channelId}/messages/{messageId}/replies/{replyId}")
    public ResponseEntity<byte[]> reply(@PathVariable String teamId, @PathVariable String channelId, @PathVariable String messageId,
            @PathVariable String replyId, HttpServletRequest request) {
        authenticate(request, true);
        GraphTenant.Message reply = sandbox.tenant.message(teamId, channelId, replyId);
        if (!messageId.equals(reply.replyToId)) {
            throw GraphApiException.notFound("Message '" + replyId + "'");
        }
        return ok(entity("teams('" + teamId + "')/channels('" + channelId + "')/messages('" + messageId + "')/replies/$entity",
                messageJson(reply, false)), request);
    }

    private ResponseEntity<byte[]> listPage(List<GraphTenant.Message> all, String key, String context, String path,
            Map<String, String> query, HttpServletRequest request) {
        String skip = param(query, "$skiptoken");
        int offset;
        int top;
        boolean expand;
        if (skip != null) {
            SyncTokens token = SyncTokens.decode(skip, SyncTokens.LIST, key, 3);
            if (token == null) {
                throw GraphApiException.invalid("$skiptoken is not valid for this collection.");
            }
            offset = (int) token.at(0);
            top = (int) token.at(1);
            expand = token.at(2) == 1;
        } else {
            offset = 0;
            top = top(query, CHANNEL_PAGE, CHANNEL_MAX_PAGE);
            expand = expandsReplies(query);
        }
        List<Object> value = new ArrayList<>();
        synchronized (sandbox.tenant) {
            all.stream().skip(offset).limit(top).forEach(m -> value.add(GraphJson.message(m, expand)));
        }
        Map<String, Object> body = GraphJson.collection(context, value);
        if (offset + top < all.size()) {
            body.put("@odata.nextLink", apiBase(request) + path + "?$skiptoken="
                    + SyncTokens.encode(SyncTokens.LIST, key, offset + top, top, expand ? 1 : 0));
        }
        return ok(body, request);
    }

    /**
     * The channel messages delta: the first round lists the root messages (with replies when {@code $expand=replies}),
     * oldest change first, a page of {@code $top} per {@code @odata.nextLink}, and the last page carries the
     * {@code @odata.deltaLink}; that link's round lists the threads changed since (a new or edited reply brings its root
     * back; a deleted message comes back with {@code deletedDateTime}).
     */
    @GetMapping("/teams/{teamId}/channels/{channelId}/messages/delta")
    public ResponseEntity<byte[]> messagesDelta(@PathVariable String teamId, @PathVariable String channelId,
            @RequestParam Map<String, String> query, HttpServletRequest request) {
        authenticate(request, true);
        GraphTenant.Channel channel = sandbox.tenant.channel(teamId, channelId);
        String key = teamId + "/" + channelId;
        String skip = param(query, "$skiptoken");
        String delta = param(query, "$deltatoken");
        long after;
        long until;
        int top;
        boolean expand;
        long modifiedAfter = -1;
        if (skip != null) {
            SyncTokens token = SyncTokens.decode(skip, SyncTokens.SKIP, key, 5);
            if (token == null) {
                throw syncStateNotFound();
            }
            after = token.at(0);
            until = token.at(1);
            top = (int) token.at(2);
            expand = token.at(3) == 1;
            modifiedAfter = token.at(4);
        } else if (delta != null) {
            SyncTokens token = SyncTokens.decode(delta, SyncTokens.DELTA, key, 3);
            if (token == null) {
                throw syncStateNotFound();
            }
            after = token.at(0);
            until = sandbox.tenant.seq();
            top = (int) token.at(1);
            expand = token.at(2) == 1;
        } else {
            after = 0;
            until = sandbox.tenant.seq();
            top = top(query, CHANNEL_PAGE, CHANNEL_MAX_PAGE);
            expand = expandsReplies(query);
            modifiedAfter = modifiedAfter(param(query, "$filter"));
        }
        long since = modifiedAfter;
        GraphTenant.Page<GraphTenant.Message> page = sandbox.tenant.messageDelta(channel, after, until, top,
                m -> since < 0 || m.threadModified.toEpochMilli() > since);
        List<Object> value = new ArrayList<>();
        synchronized (sandbox.tenant) {
            page.items().forEach(m -> value.add(GraphJson.message(m, expand)));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("@odata.context", GraphJson.CONTEXT + "Collection(chatMessage)");
        String link = apiBase(request) + "/teams/" + teamId + "/channels/" + channelId + "/messages/delta?";
        if (page.more()) {
            body.put("@odata.nextLink", link + "$skiptoken=" + SyncTokens.encode(SyncTokens.SKIP, key, page.after(), until, top,
                    expand ? 1 : 0, modifiedAfter));
        } else {
            body.put("@odata.deltaLink", link + "$deltatoken=" + SyncTokens.encode(SyncTokens.DELTA, key, until, top, expand ? 1 : 0));
        }
        body.put("value", value);
        return ok(body, request);
    }

    private static GraphApiException syncStateNotFound() {
        return new GraphApiException(HttpStatus.BAD_REQUEST, "syncStateNotFound",
                "The sync state generation is not found: the token is not one of this collection's.");
    }

    private static long modifiedAfter(String filter) {
        if (filter == null || filter.isBlank()) {
            return -1;
        }
        Matcher m = MODIFIED_AFTER.matcher(filter.strip());
        if (!m.matches()) {
            throw GraphApiException.invalid("$filter: only 'lastModifiedDateTime gt <date and time>' is supported on a delta.");
        }
        try {
            return OffsetDateTime.parse(m.group(1)).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw GraphApiException.invalid("$filter: '" + m.group(1) + "' is not a date and time such as 2024-01-01T00:00:00Z.");
        }
    }

    private Map<String, Object> messageJson(GraphTenant.Message message, boolean expand) {
        synchronized (sandbox.tenant) {
            return GraphJson.message(message, expand);
        }
    }

    private static boolean expandsReplies(Map<String, String> query) {
        String expand = param(query, "$expand");
        return expand != null && List.of(expand.replace(" ", "").split(",")).contains("replies");
    }

    // ------------------------------------------------------------------ drives

    /** The tenant's drives (what an app with Files.Read.All may list; Graph scopes this to a site or user). */
    @GetMapping("/drives")
    public ResponseEntity<byte[]> drives(HttpServletRequest request) {
        authenticate(request, true);
        List<Object> value;
        synchronized (sandbox.tenant) {
            value = sandbox.tenant.drives.values().stream().map(d -> {
                Map<String, Object> drive = new LinkedHashMap<>(GraphJson.drive(d));
                drive.remove("@odata.context");
                return (Object) drive;
            }).toList();
        }
        return ok(GraphJson.collection("drives", value), request);
    }

    @GetMapping("/drives/{driveId}")
    public ResponseEntity<byte[]> drive(@PathVariable String driveId, HttpServletRequest request) {
        authenticate(request, true);
        return ok(GraphJson.drive(sandbox.tenant.drive(driveId)), request);
    }

    @GetMapping({"/drives/{driveId}/root", "/drives/{driveId}/items/{itemId}"})
    public ResponseEntity<byte[]> item(@PathVariable String driveId, @PathVariable(required = false) String itemId,
            HttpServletRequest request) {
        authenticate(request, true);
        GraphTenant.Drive drive = sandbox.tenant.drive(driveId);
        GraphTenant.DriveItem item = sandbox.tenant.item(driveId, itemId == null ? "root" : itemId);
        Map<String, Object> body;
        synchronized (sandbox.tenant) {
            body = entity("drives('" + driveId + "')/items/$entity", GraphJson.item(drive, item));
        }
        return ok(body, request);
    }

    @GetMapping({"/drives/{driveId}/root/children", "/drives/{driveId}/items/{itemId}/children"})
    public ResponseEntity<byte[]> children(@PathVariable String driveId, @PathVariable(required = false) String itemId,
            HttpServletRequest request) {
        authenticate(request, true);
        GraphTenant.Drive drive = sandbox.tenant.drive(driveId);
        List<Object> value;
        synchronized (sandbox.tenant) {
            GraphTenant.DriveItem folder = sandbox.tenant.item(driveId, itemId == null ? "root" : itemId);
            value = sandbox.tenant.children(folder).stream().map(i -> (Object) GraphJson.item(drive, i)).toList();
        }
        return ok(GraphJson.collection("drives('" + driveId + "')/items", value), request);
    }

    @GetMapping("/drives/{driveId}/items/{itemId}/content")
    public ResponseEntity<byte[]> content(@PathVariable String driveId, @PathVariable String itemId, HttpServletRequest request) {
        authenticate(request, true);
        GraphTenant.DriveItem item = sandbox.tenant.item(driveId, itemId);
        if (item.folder) {
            throw GraphApiException.invalid("Item '" + itemId + "' is a folder: it has no content.");
        }
        byte[] content;
        synchronized (sandbox.tenant) {
            content = item.content.clone();
        }
        return headers(ResponseEntity.ok(), request).contentType(MediaType.parseMediaType(item.mimeType)).body(content);
    }

    /**
     * OneDrive's delta of a drive: no {@code token}, a full enumeration of what exists (the root included), a page of
     * {@code $top} per {@code @odata.nextLink}, the {@code @odata.deltaLink} on the last; {@code token=latest}, no items
     * and a deltaLink from now; a link's token, what changed since (deleted items with the {@code deleted} facet).
     * The links keep the first call's {@code $top}. A token from before the drive's last resync is 410 Gone, {@code resyncRequired}, with a {@code Location} that
     * starts a new enumeration.
     */
    @GetMapping("/drives/{driveId}/root/delta")
    public ResponseEntity<byte[]> driveDelta(@PathVariable String driveId, @RequestParam Map<String, String> query,
            HttpServletRequest request) {
        authenticate(request, true);
        GraphTenant.Drive drive = sandbox.tenant.drive(driveId);
        String link = apiBase(request) + "/drives/" + driveId + "/root/delta";
        String given = param(query, "token");
        int top = top(query, DRIVE_PAGE, DRIVE_MAX_PAGE);
        long epoch;
        synchronized (sandbox.tenant) {
            epoch = drive.epoch;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("@odata.context", GraphJson.CONTEXT + "Collection(driveItem)");
        if ("latest".equals(given)) {
            body.put("@odata.deltaLink", link + "?token=" + SyncTokens.encode(SyncTokens.DELTA, driveId, epoch, sandbox.tenant.seq(), top));
            body.put("value", List.of());
            return ok(body, request);
        }
        long after = 0;
        long until = sandbox.tenant.seq();
        boolean withDeleted = false;
        if (given != null) {
            SyncTokens next = SyncTokens.decode(given, SyncTokens.SKIP, driveId, 5);
            SyncTokens delta = next == null ? SyncTokens.decode(given, SyncTokens.DELTA, driveId, 3) : null;
            if (next == null && delta == null) {
                throw GraphApiException.invalid("token: not a delta token of this drive.");
            }
            long tokenEpoch = next != null ? next.at(0) : delta.at(0);
            if (tokenEpoch != epoch) {
                throw new GraphApiException(HttpStatus.GONE, "resyncRequired", "Resync required. Replace any local items with the"
                        + " server's version (including deletes) if you're sure that the service was up to date with your local"
                        + " changes when you last sync'd. Upload any local changes that the server doesn't know about.",
                        "resyncChangesApplyDifferences", 0, link);
            }
            if (next != null) {
                after = next.at(1);
                until = next.at(2);
                withDeleted = next.at(3) == 1;
                top = (int) next.at(4);
            } else {
                after = delta.at(1);
                withDeleted = true;
                top = (int) delta.at(2);
            }
        }
        GraphTenant.Page<GraphTenant.DriveItem> page = sandbox.tenant.driveDelta(drive, after, until, top, withDeleted);
        List<Object> value = new ArrayList<>();
        synchronized (sandbox.tenant) {
            page.items().forEach(i -> value.add(GraphJson.item(drive, i)));
        }
        if (page.more()) {
            body.put("@odata.nextLink", link + "?token=" + SyncTokens.encode(SyncTokens.SKIP, driveId, epoch, page.after(), until,
                    withDeleted ? 1 : 0, top));
        } else {
            body.put("@odata.deltaLink", link + "?token=" + SyncTokens.encode(SyncTokens.DELTA, driveId, epoch, until, top));
        }
        body.put("value", value);
        return ok(body, request);
    }

    // ------------------------------------------------------------------ subscriptions

    @PostMapping("/subscriptions")
    public ResponseEntity<byte[]> createSubscription(@RequestBody(required = false) byte[] raw, HttpServletRequest request) {
        authenticate(request, true);
        JsonNode body = SetupResources.object(raw, GraphApiException::invalid);
        GraphSubscriptions.Subscription created = sandbox.subscriptions.create(new GraphSubscriptions.Request(
                text(body, "changeType"), text(body, "notificationUrl"), text(body, "lifecycleNotificationUrl"),
                text(body, "resource"), text(body, "expirationDateTime"), text(body, "clientState")), sandbox.tenant);
        return json(HttpStatus.CREATED, subscription(created, true), request);
    }

    @GetMapping("/subscriptions")
    public ResponseEntity<byte[]> subscriptions(HttpServletRequest request) {
        authenticate(request, true);
        List<Object> value = sandbox.subscriptions.all().stream().map(s -> (Object) subscription(s, false)).toList();
        return ok(GraphJson.collection("subscriptions", value), request);
    }

    @GetMapping("/subscriptions/{id}")
    public ResponseEntity<byte[]> getSubscription(@PathVariable String id, HttpServletRequest request) {
        authenticate(request, true);
        return ok(subscription(sandbox.subscriptions.get(id), true), request);
    }

    @PatchMapping("/subscriptions/{id}")
    public ResponseEntity<byte[]> renewSubscription(@PathVariable String id, @RequestBody(required = false) byte[] raw,
            HttpServletRequest request) {
        authenticate(request, true);
        JsonNode body = SetupResources.object(raw, GraphApiException::invalid);
        sandbox.subscriptions.get(id);
        if (body.has("lifecycleNotificationUrl")) {
            throw GraphApiException.invalid("lifecycleNotificationUrl cannot be added or changed by updating a subscription.");
        }
        return ok(subscription(sandbox.subscriptions.renew(id, text(body, "expirationDateTime")), true), request);
    }

    @PostMapping("/subscriptions/{id}/reauthorize")
    public ResponseEntity<byte[]> reauthorize(@PathVariable String id, HttpServletRequest request) {
        authenticate(request, true);
        sandbox.subscriptions.reauthorize(id);
        return headers(ResponseEntity.status(HttpStatus.NO_CONTENT), request).build();
    }

    @DeleteMapping("/subscriptions/{id}")
    public ResponseEntity<byte[]> deleteSubscription(@PathVariable String id, HttpServletRequest request) {
        authenticate(request, true);
        sandbox.subscriptions.delete(id);
        return headers(ResponseEntity.status(HttpStatus.NO_CONTENT), request).build();
    }

    private static Map<String, Object> subscription(GraphSubscriptions.Subscription s, boolean withContext) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (withContext) {
            body.put("@odata.context", GraphJson.CONTEXT + "subscriptions/$entity");
        }
        body.put("id", s.id);
        body.put("resource", s.resource);
        body.put("applicationId", EntraTokens.CLIENT_ID);
        body.put("changeType", s.changeType);
        body.put("clientState", s.clientState);
        body.put("notificationUrl", s.notificationUrl.toString());
        body.put("notificationQueryOptions", null);
        body.put("lifecycleNotificationUrl", s.lifecycleUrl == null ? null : s.lifecycleUrl.toString());
        body.put("expirationDateTime", GraphJson.subscriptionTime(s.expiration));
        body.put("creatorId", EntraTokens.SERVICE_PRINCIPAL_ID);
        body.put("includeResourceData", false);
        body.put("latestSupportedTlsVersion", "v1_2");
        body.put("encryptionCertificate", null);
        body.put("encryptionCertificateId", null);
        body.put("notificationUrlAppId", null);
        body.put("notificationContentType", "application/json");
        return body;
    }

    // ------------------------------------------------------------------ query options

    /** A query option by name, {@code $skiptoken} and {@code $skipToken} alike. */
    static String param(Map<String, String> query, String name) {
        for (Map.Entry<String, String> e : query.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static int top(Map<String, String> query, int fallback, int max) {
        String top = param(query, "$top");
        if (top == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(top.strip());
            if (n < 1 || n > max) {
                throw GraphApiException.invalid("$top: must be between 1 and " + max + ", not " + n + ".");
            }
            return n;
        } catch (NumberFormatException e) {
            throw GraphApiException.invalid("$top: '" + top + "' is not a number.");
        }
    }

    private static Map<String, Object> entity(String context, Map<String, Object> fields) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("@odata.context", GraphJson.CONTEXT + context);
        body.putAll(fields);
        return body;
    }

    static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw GraphApiException.invalid(field + ": must be a string.");
        }
        return node.asText();
    }
}
