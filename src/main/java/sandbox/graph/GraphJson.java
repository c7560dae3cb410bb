package sandbox.graph;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.http.MediaType;

import sandbox.entra.EntraTokens;

/** Graph's JSON: teams, channels, chatMessages, drives and driveItems as v1.0 writes them, and the error body. */
final class GraphJson {

    static final String CONTEXT = "https://graph.microsoft.com/v1.0/$metadata#";
    /** What Graph answers with (captured); the JS client reads JSON when the part before ';' is application/json. */
    static final MediaType ODATA_JSON = MediaType.parseMediaType(
            "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8");
    private static final ObjectMapper JSON = new ObjectMapper();

    private GraphJson() {
    }

    static byte[] bytes(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    static String time(Instant instant) {
        return instant == null ? null : DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    /** {@code 2024-05-03T10:00:00.0000000Z}, as Graph writes a subscription's expiry. */
    static String subscriptionTime(Instant instant) {
        Instant t = instant.truncatedTo(ChronoUnit.MILLIS);
        String base = DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t.atOffset(java.time.ZoneOffset.UTC).withNano(0));
        return base + "." + String.format("%03d", t.getNano() / 1_000_000) + "0000Z";
    }

    static Map<String, Object> collection(String context, List<?> value) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("@odata.context", CONTEXT + context);
        body.put("value", value);
        return body;
    }

    static Map<String, Object> team(GraphTenant.Team team) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("id", team.id);
        t.put("createdDateTime", time(team.created));
        t.put("displayName", team.displayName);
        t.put("description", team.description);
        t.put("internalId", "19:" + team.id.replace("-", "") + "@thread.tacv2");
        t.put("classification", null);
        t.put("specialization", "none");
        t.put("visibility", "private");
        t.put("webUrl", "https://teams.microsoft.com/l/team/" + team.id);
        t.put("isArchived", false);
        t.put("tenantId", EntraTokens.TENANT_ID);
        return t;
    }

    static Map<String, Object> channel(GraphTenant.Channel channel) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", channel.id);
        c.put("createdDateTime", time(channel.created));
        c.put("displayName", channel.displayName);
        c.put("description", channel.description);
        c.put("isFavoriteByDefault", null);
        c.put("email", "");
        c.put("tenantId", EntraTokens.TENANT_ID);
        c.put("webUrl", "https://teams.microsoft.com/l/channel/" + channel.id + "/" + channel.displayName.replace(" ", "%20")
                + "?groupId=" + channel.teamId + "&tenantId=" + EntraTokens.TENANT_ID);
        c.put("membershipType", "standard");
        return c;
    }

    /** A chatMessage; a root with {@code withReplies} carries its replies (as {@code $expand=replies}). */
    static Map<String, Object> message(GraphTenant.Message m, boolean withReplies) {
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("@odata.type", "#microsoft.graph.chatMessage");
        msg.put("id", m.id);
        msg.put("replyToId", m.replyToId);
        msg.put("etag", Long.toString(m.lastModified.toEpochMilli()));
        msg.put("messageType", "message");
        msg.put("createdDateTime", time(m.created));
        msg.put("lastModifiedDateTime", time(m.lastModified));
        msg.put("lastEditedDateTime", time(m.lastEdited));
        msg.put("deletedDateTime", time(m.deleted));
        msg.put("subject", m.subject);
        msg.put("summary", null);
        msg.put("chatId", null);
        msg.put("importance", "normal");
        msg.put("locale", "en-us");
        msg.put("webUrl", "https://teams.microsoft.com/l/message/" + m.channelId + "/" + m.id + "?groupId=" + m.teamId
                + "&tenantId=" + EntraTokens.TENANT_ID + "&createdTime=" + m.id + "&parentMessageId="
                + (m.replyToId == null ? m.id : m.replyToId));
        msg.put("policyViolation", null);
        msg.put("eventDetail", null);
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("@odata.type", "#microsoft.graph.teamworkUserIdentity");
        user.put("id", m.from.id());
        user.put("displayName", m.from.displayName());
        user.put("userIdentityType", "aadUser");
        user.put("tenantId", EntraTokens.TENANT_ID);
        Map<String, Object> from = new LinkedHashMap<>();
        from.put("application", null);
        from.put("device", null);
        from.put("user", user);
        msg.put("from", from);
        msg.put("body", Map.of("contentType", m.contentType, "content", m.content));
        msg.put("channelIdentity", Map.of("teamId", m.teamId, "channelId", m.channelId));
        msg.put("attachments", List.of());
        msg.put("mentions", List.of());
        msg.put("reactions", List.of());
        if (withReplies && m.replyToId == null) {
            List<Object> replies = new ArrayList<>();
            m.replies.forEach(r -> replies.add(message(r, false)));
            msg.put("replies@odata.context", CONTEXT + "teams('" + m.teamId + "')/channels('" + m.channelId + "')/messages('"
                    + m.id + "')/replies");
            msg.put("replies", replies);
        }
        return msg;
    }

    static Map<String, Object> drive(GraphTenant.Drive drive) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("@odata.context", CONTEXT + "drives/$entity");
        d.put("id", drive.id);
        d.put("createdDateTime", time(drive.created));
        d.put("name", drive.name);
        d.put("description", "");
        d.put("driveType", "business");
        d.put("webUrl", "https://sandbox.sharepoint.com/sites/sandbox/" + drive.name.replace(" ", "%20"));
        d.put("createdBy", Map.of("user", Map.of("displayName", "System Account")));
        d.put("owner", Map.of("user", Map.of("id", drive.owner.id(), "displayName", drive.owner.displayName())));
        d.put("quota", Map.of("deleted", 0, "remaining", 1_099_511_627_776L, "state", "normal", "total", 1_099_511_627_776L, "used", 0));
        return d;
    }

    /** A driveItem; a deleted one carries only its id, the {@code deleted} facet and its parent's drive. */
    static Map<String, Object> item(GraphTenant.Drive drive, GraphTenant.DriveItem i) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", i.id);
        if (i.deleted) {
            item.put("name", i.name);
            item.put("deleted", Map.of("state", "deleted"));
            item.put("parentReference", Map.of("driveType", "business", "driveId", drive.id));
            return item;
        }
        boolean root = i.id.equals(drive.rootId);
        item.put("name", i.name);
        item.put("size", root ? 0 : i.content.length);
        item.put("eTag", "\"{" + i.guid + "}," + i.version + "\"");
        if (!i.folder) {
            item.put("cTag", "\"c:{" + i.guid + "}," + i.contentVersion + "\"");
        }
        item.put("createdDateTime", time(i.created));
        item.put("lastModifiedDateTime", time(i.lastModified));
        item.put("webUrl", "https://sandbox.sharepoint.com/sites/sandbox/" + drive.name.replace(" ", "%20") + "/"
                + (root ? "" : i.name.replace(" ", "%20")));
        item.put("createdBy", Map.of("user", user(i.createdBy)));
        item.put("lastModifiedBy", Map.of("user", user(i.lastModifiedBy)));
        if (root) {
            item.put("root", Map.of());
        }
        if (i.folder) {
            item.put("folder", Map.of("childCount", 0));
        } else {
            item.put("file", Map.of("mimeType", i.mimeType == null ? "application/octet-stream" : i.mimeType));
        }
        if (!root) {
            Map<String, Object> parent = new LinkedHashMap<>();
            parent.put("driveType", "business");
            parent.put("driveId", drive.id);
            parent.put("id", i.parentId);
            parent.put("path", "/drives/" + drive.id + "/root:" + path(drive, i.parentId));
            item.put("parentReference", parent);
        } else {
            item.put("parentReference", Map.of("driveType", "business", "driveId", drive.id));
        }
        return item;
    }

    private static Map<String, Object> user(GraphTenant.User user) {
        return Map.of("id", user.id(), "displayName", user.displayName());
    }

    /** The path of a folder below the root: "" for the root, "/Customers" for a folder in it. */
    private static String path(GraphTenant.Drive drive, String folderId) {
        StringBuilder path = new StringBuilder();
        String id = folderId;
        while (id != null && !id.equals(drive.rootId)) {
            GraphTenant.DriveItem folder = drive.items.get(id);
            if (folder == null) {
                break;
            }
            path.insert(0, "/" + folder.name);
            id = folder.parentId;
        }
        return path.toString();
    }

    static Map<String, Object> error(String code, String message, String innerCode, String requestId, String clientRequestId, Instant at) {
        Map<String, Object> inner = new LinkedHashMap<>();
        if (innerCode != null) {
            inner.put("code", innerCode);
        }
        inner.put("date", DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(at.atOffset(java.time.ZoneOffset.UTC).withNano(0)));
        inner.put("request-id", requestId);
        inner.put("client-request-id", clientRequestId);
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        error.put("innerError", inner);
        return Map.of("error", error);
    }
}
