package providers.microsoft_teams;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import hub.InvalidInputException;
import providers.AdapterHealth;
import providers.ConnectionContext;
import providers.ConnectionTestResult;
import providers.DeletedRecord;
import providers.DeletedRecords;
import providers.EntityInfo;
import providers.FetchPage;
import providers.FetchRequest;
import providers.FieldInfo;
import providers.PermanentProviderException;
import providers.ProviderDescriptor;
import providers.ReadOnlyRecords;
import providers.WebhookSubscription;
import providers.microsoft.GraphClient;
import providers.microsoft.GraphNotFoundException;
import providers.microsoft.GraphResyncRequiredException;
import security.CredentialTypes;

/**
 * Microsoft Teams over Microsoft Graph ({@link GraphClient}): the messages of the channels an integration selects
 * ({@link ConnectionContext#sources(String)} on {@code messages}: {@code teamId} for every channel of a team, or
 * {@code teamId/channelId}; none: every channel of every team the app sees) become records of the entity
 * {@code messages}, mapped to {@code c_note}. Top-level messages and their replies are records alike; a reply's id
 * extends its parent's ({@code team/channel/message/reply}), and names it as {@code parentId}.
 *
 * <p>A pass reads each channel's messages delta ({@code /teams/{t}/channels/{c}/messages/delta?$expand=replies}) to its
 * {@code @odata.deltaLink}; the next pass starts each channel from its delta link (the marker holds them all,
 * {@link TeamsPass}). Messages Graph returns with {@code deletedDateTime} are deletions, with the page they come in. Push:
 * one change-notification subscription per channel, renewed by the hub's renewal sweep and on Graph's lifecycle events;
 * a notification starts an incremental pass. See the package's README.
 */
@Component
public class TeamsAdapter implements ReadOnlyRecords {

    public static final String PROVIDER_ID = "microsoft_teams";
    public static final String CLIENT_CREDENTIALS = "oauth2_entra_client_credentials";
    static final String MESSAGES = "messages";
    /** Graph's largest page of the channel messages delta. */
    static final int PAGE_LIMIT = 50;
    static final String CHANGE_TYPE = "created,updated,deleted";

    private static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor(
            PROVIDER_ID, "Microsoft Teams", "communication", "active", "tenant",
            List.of(CLIENT_CREDENTIALS, CredentialTypes.OAUTH2_AUTHORIZATION_CODE),
            List.of(MESSAGES),
            GraphClient.CREDENTIAL_FIELDS,
            // Graph's Teams limits are per app and tenant (and per team for channel reads): 20 calls a second stays below them
            20, Duration.ofSeconds(1));

    private final GraphClient client;
    private final Duration lifetime;

    TeamsAdapter(GraphClient client, @Value("${hub.providers.microsoft_teams.subscription-lifetime:4200m}") Duration lifetime) {
        this.client = client;
        this.lifetime = lifetime == null || lifetime.isNegative() || lifetime.isZero() ? Duration.ofMinutes(4200) : lifetime;
    }

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Map<String, String> normalizeCredentials(Map<String, String> credentials) {
        return client.normalizeCredentials(credentials);
    }

    @Override
    public void connect(ConnectionContext connection) {
    }

    @Override
    public void disconnect(ConnectionContext connection) {
        client.close(connection.integrationId());
    }

    /** One real call after the token: the teams the app sees. */
    @Override
    public ConnectionTestResult testConnection(ConnectionContext connection) {
        return client.test(connection, "teams?$top=1", "with the teams the app sees");
    }

    /** Every selected team and channel must be one the app sees: 400 naming the ones that are not. */
    @Override
    public void checkSources(ConnectionContext connection) {
        for (Map.Entry<String, List<String>> selection : connection.sources().entrySet()) {
            String entity = selection.getKey();
            String field = "sources." + entity;
            if (!entity.equals(ConnectionContext.ANY_ENTITY) && !entity.equals(MESSAGES)) {
                throw new InvalidInputException(field, "Microsoft Teams has no entity '" + entity + "' (known: messages)");
            }
            for (String source : selection.getValue()) {
                Source parsed = Source.parse(source);
                if (parsed == null) {
                    throw new InvalidInputException(field, "'" + source + "' is neither a team id nor teamId/channelId");
                }
                try {
                    client.get(connection, parsed.channel() == null ? "teams/" + encode(parsed.team())
                            : "teams/" + encode(parsed.team()) + "/channels/" + encode(parsed.channel()));
                } catch (GraphNotFoundException e) {
                    throw new InvalidInputException(field, "unknown " + (parsed.channel() == null ? "team" : "channel") + " '" + source
                            + "': not one the app sees");
                }
            }
        }
    }

    /** A selected team or channel. */
    record Source(String team, String channel) {
        static Source parse(String text) {
            if (text == null || text.isBlank()) {
                return null;
            }
            String[] parts = text.strip().split("/", -1);
            if (parts.length > 2 || parts[0].isBlank() || (parts.length == 2 && parts[1].isBlank())) {
                return null;
            }
            return new Source(parts[0], parts.length == 2 ? parts[1] : null);
        }
    }

    /** Several channels, each in Graph's order: the page cursor carries the pass ({@link TeamsPass}). */
    @Override
    public boolean recordsInMarkerOrder() {
        return false;
    }

    /** Deleted messages come back in the delta with {@code deletedDateTime}. */
    @Override
    public boolean deletionsInPages() {
        return true;
    }

    @Override
    public FetchPage fetchRecords(ConnectionContext connection, FetchRequest request) {
        entity(request.entity());
        if (request.filters() != null && !request.filters().isEmpty()) {
            throw new PermanentProviderException("Microsoft Teams pull filters are not supported: select the teams and channels to read "
                    + "instead (sources)");
        }
        TeamsPass pass;
        if (request.pageCursor() == null) {
            // the pass's channels take a page of their own (the teams, and each team's channels)
            pass = new TeamsPass();
            pass.full = request.since() == null;
            if (!pass.full) {
                pass.from.putAll(TeamsPass.decodeMarker(request.since()));
            }
            for (Channel channel : selectedChannels(connection)) {
                pass.ch.add(channel.key());
                pass.names.put(channel.key(), channel.name());
            }
            return pass.ch.isEmpty() ? new FetchPage(List.of(), null, 0, List.of(), pass.marker())
                    : new FetchPage(List.of(), pass.encode(), 0);
        }
        pass = TeamsPass.decode(request.pageCursor());
        String key = pass.channel();
        if (key == null) {
            return new FetchPage(List.of(), null, 0, List.of(), pass.marker());
        }
        int top = Math.max(1, Math.min(PAGE_LIMIT, request.pageSize()));
        JsonNode page;
        try {
            page = client.get(connection, pass.link != null ? pass.link : firstLink(connection, pass, key, top));
        } catch (GraphResyncRequiredException e) {
            // the delta link is stale: the channel is read again from Graph's first round (or where Graph says)
            pass.from.remove(key);
            pass.link = e.location();
            return new FetchPage(List.of(), pass.encode(), 0);
        } catch (PermanentProviderException e) {
            if (pass.link == null && pass.from.containsKey(key) && e.getMessage() != null && e.getMessage().contains("syncStateNotFound")) {
                pass.from.remove(key);
                return new FetchPage(List.of(), pass.encode(), 0);
            }
            throw e;
        }
        List<Map<String, Object>> records = new ArrayList<>();
        List<DeletedRecord> deleted = new ArrayList<>();
        String channelName = pass.names.get(key);
        for (JsonNode message : page.path("value")) {
            take(key, channelName, message, null, records, deleted);
            for (JsonNode reply : message.path("replies")) {
                take(key, channelName, reply, message.path("id").asText(null), records, deleted);
            }
        }
        String next = text(page, "@odata.nextLink");
        if (next != null) {
            pass.link = next;
        } else {
            String delta = text(page, "@odata.deltaLink");
            if (delta == null) {
                throw new PermanentProviderException("Graph ended the messages delta of channel " + key + " without a delta link");
            }
            pass.to.put(key, compact(connection, key, delta));
            pass.link = null;
            pass.i++;
        }
        if (pass.channel() == null) {
            return new FetchPage(records, null, records.size(), deleted, pass.marker());
        }
        return new FetchPage(records, pass.encode(), records.size(), deleted, null);
    }

    /** Where a channel's reading starts: its delta link from the last pass, else Graph's first round with the replies. */
    private String firstLink(ConnectionContext connection, TeamsPass pass, String key, int top) {
        String kept = pass.full ? null : pass.from.get(key);
        if (kept == null) {
            return deltaPath(key) + "?$expand=replies&$top=" + top;
        }
        return kept.startsWith("?") ? deltaPath(key) + kept : kept;
    }

    private static String deltaPath(String key) {
        int slash = key.indexOf('/');
        return "teams/" + encode(key.substring(0, slash)) + "/channels/" + encode(key.substring(slash + 1)) + "/messages/delta";
    }

    /** A delta link as the marker keeps it: its query alone when it is the channel's delta path on the connection's base. */
    private String compact(ConnectionContext connection, String key, String link) {
        String base = client.base(connection).toString();
        String prefix = (base.endsWith("/") ? base : base + "/") + deltaPath(key) + "?";
        return link.startsWith(prefix) ? link.substring(prefix.length() - 1) : link;
    }

    /** A message (or reply) as a record, or its deletion; what is not something a person or app said is left out. */
    private static void take(String key, String channelName, JsonNode message, String parent, List<Map<String, Object>> records,
                             List<DeletedRecord> deleted) {
        String id = message.path("id").asText(null);
        if (id == null || id.isBlank()) {
            return;
        }
        String recordId = parent == null ? key + "/" + id : key + "/" + parent + "/" + id;
        String gone = text(message, "deletedDateTime");
        if (gone != null) {
            Instant at = instant(gone);
            deleted.add(new DeletedRecord(recordId, at == null ? Instant.now() : at));
            return;
        }
        String type = message.path("messageType").asText("message");
        if (!"message".equals(type)) {
            return;
        }
        records.add(record(key, channelName, message, parent));
    }

    /**
     * A message as the hub reads it: {@code id}, {@code messageId}, {@code teamId}, {@code channelId}, {@code channel}
     * ("Team / Channel"), a reply's {@code replyToId} and {@code parentId}, {@code author} and {@code authorId},
     * {@code subject}, {@code body} (plain text) and {@code contentType}, {@code createdAt}, {@code updatedAt},
     * {@code editedAt}, {@code edited}, {@code importance}, {@code webUrl}, a top-level message's {@code replyCount}, and
     * {@code version} (Graph's etag, else the last modification).
     */
    static Map<String, Object> record(String key, String channelName, JsonNode m, String parent) {
        Map<String, Object> r = new LinkedHashMap<>();
        String id = m.path("id").asText();
        int slash = key.indexOf('/');
        r.put("id", parent == null ? key + "/" + id : key + "/" + parent + "/" + id);
        r.put("messageId", id);
        r.put("teamId", key.substring(0, slash));
        r.put("channelId", key.substring(slash + 1));
        r.put("channel", channelName == null ? key : channelName);
        r.put("replyToId", parent);
        r.put("parentId", parent == null ? null : key + "/" + parent);
        JsonNode from = m.path("from");
        JsonNode who = from.path("user").isObject() ? from.path("user") : from.path("application").isObject() ? from.path("application")
                : from.path("device");
        r.put("authorId", text(who, "id"));
        r.put("author", text(who, "displayName") != null ? text(who, "displayName") : text(who, "id"));
        r.put("subject", text(m, "subject"));
        String contentType = m.path("body").path("contentType").asText("text");
        r.put("contentType", contentType);
        r.put("body", TeamsMessageText.text(contentType, text(m.path("body"), "content")));
        r.put("createdAt", iso(text(m, "createdDateTime")));
        String modified = iso(text(m, "lastModifiedDateTime"));
        r.put("updatedAt", modified != null ? modified : r.get("createdAt"));
        String edited = iso(text(m, "lastEditedDateTime"));
        r.put("editedAt", edited);
        r.put("edited", edited != null);
        r.put("importance", text(m, "importance"));
        r.put("webUrl", text(m, "webUrl"));
        if (parent == null && m.has("replies")) {
            int live = 0;
            for (JsonNode reply : m.path("replies")) {
                if (text(reply, "deletedDateTime") == null) {
                    live++;
                }
            }
            r.put("replyCount", live);
        }
        String etag = text(m, "etag");
        r.put("version", etag != null ? etag : String.valueOf(r.get("updatedAt")));
        return r;
    }

    // ------------------------------------------------------------------ channels

    /** A channel the pass reads: {@code teamId/channelId} and "Team / Channel". */
    record Channel(String team, String id, String name) {
        String key() {
            return team + "/" + id;
        }
    }

    /** The selected channels (a team selected: all its channels), or every channel of every team the app sees. */
    List<Channel> selectedChannels(ConnectionContext connection) {
        List<String> selection = connection.sources(MESSAGES);
        Map<String, Channel> channels = new LinkedHashMap<>();
        if (selection.isEmpty()) {
            for (JsonNode team : client.list(connection, "teams")) {
                String teamId = text(team, "id");
                if (teamId != null) {
                    channelsOf(connection, teamId, text(team, "displayName")).forEach(c -> channels.putIfAbsent(c.key(), c));
                }
            }
            return new ArrayList<>(channels.values());
        }
        for (String source : new LinkedHashSet<>(selection)) {
            Source parsed = Source.parse(source);
            if (parsed == null) {
                throw new PermanentProviderException("Microsoft Teams: '" + source + "' in sources." + MESSAGES
                        + " is neither a team id nor teamId/channelId");
            }
            try {
                JsonNode team = client.get(connection, "teams/" + encode(parsed.team()));
                String teamName = text(team, "displayName");
                if (parsed.channel() == null) {
                    channelsOf(connection, parsed.team(), teamName).forEach(c -> channels.putIfAbsent(c.key(), c));
                } else {
                    JsonNode channel = client.get(connection, "teams/" + encode(parsed.team()) + "/channels/" + encode(parsed.channel()));
                    Channel c = new Channel(parsed.team(), parsed.channel(), name(teamName, text(channel, "displayName")));
                    channels.putIfAbsent(c.key(), c);
                }
            } catch (GraphNotFoundException e) {
                throw new PermanentProviderException("Microsoft Teams: unknown " + (parsed.channel() == null ? "team" : "channel") + " '"
                        + source + "' in sources." + MESSAGES + " (not one the app sees)", 404, null);
            }
        }
        return new ArrayList<>(channels.values());
    }

    private List<Channel> channelsOf(ConnectionContext connection, String teamId, String teamName) {
        List<Channel> found = new ArrayList<>();
        for (JsonNode channel : client.list(connection, "teams/" + encode(teamId) + "/channels")) {
            String id = text(channel, "id");
            if (id != null) {
                found.add(new Channel(teamId, id, name(teamName, text(channel, "displayName"))));
            }
        }
        return found;
    }

    private static String name(String team, String channel) {
        return (team == null ? "" : team + " / ") + (channel == null ? "" : channel);
    }

    /** The Graph subscription resources of the selected channels. */
    private List<String> resources(ConnectionContext connection) {
        List<String> resources = new ArrayList<>();
        for (Channel channel : selectedChannels(connection)) {
            resources.add("/teams/" + channel.team() + "/channels/" + channel.id() + "/messages");
        }
        if (resources.isEmpty()) {
            throw new PermanentProviderException("Microsoft Teams: the app sees no channel to subscribe to (check the integration's sources)");
        }
        return resources;
    }

    // ------------------------------------------------------------------ webhooks

    /**
     * One Graph subscription per selected channel (created, updated, deleted messages), its notifications and lifecycle
     * events to the registration's https URL with the registration's secret as clientState.
     */
    @Override
    public WebhookSubscription registerWebhook(ConnectionContext connection, List<String> events, String callbackUrl, String secret) {
        if (callbackUrl == null || !callbackUrl.startsWith("https://")) {
            throw new PermanentProviderException("Graph notifies https URLs only: set hub.webhooks.https-public-url (or use the sandbox TLS port)");
        }
        return client.subscribe(connection, resources(connection), CHANGE_TYPE, callbackUrl, secret, lifetime);
    }

    /**
     * Extends the channels' subscriptions (re-creating any Graph no longer has, which the hub follows with a catch-up pass),
     * subscribes channels selected since, and ends those of channels no longer selected.
     */
    @Override
    public WebhookSubscription renewWebhook(ConnectionContext connection, String providerWebhookId, List<String> events, String callbackUrl,
                                            String secret) {
        return client.renew(connection, providerWebhookId, resources(connection), CHANGE_TYPE, callbackUrl, secret, lifetime);
    }

    /** Deletes the channels' Graph subscriptions (those Graph no longer has are gone already). */
    @Override
    public void unregisterWebhook(ConnectionContext connection, String providerWebhookId) {
        client.unsubscribe(connection, providerWebhookId);
    }

    // ------------------------------------------------------------------ records

    /** Deletions come with the pages ({@link #deletionsInPages()}). */
    @Override
    public DeletedRecords fetchDeleted(ConnectionContext connection, String entity, Instant from, Instant to) {
        return new DeletedRecords(List.of(), to);
    }

    /** One message or reply as Graph holds it now; empty once deleted or gone. */
    @Override
    public Optional<Map<String, Object>> fetchRecord(ConnectionContext connection, String entity, String externalId, Set<String> fields) {
        entity(entity);
        String[] parts = externalId == null ? new String[0] : externalId.split("/");
        if (parts.length < 3 || parts.length > 4 || java.util.Arrays.stream(parts).anyMatch(String::isBlank)) {
            throw new PermanentProviderException("not a Microsoft Teams message id (team/channel/message[/reply]): '"
                    + (externalId == null ? "" : externalId) + "'");
        }
        String key = parts[0] + "/" + parts[1];
        String path = "teams/" + encode(parts[0]) + "/channels/" + encode(parts[1]) + "/messages/" + encode(parts[2])
                + (parts.length == 4 ? "/replies/" + encode(parts[3]) : "");
        JsonNode message;
        try {
            message = client.get(connection, path);
        } catch (GraphNotFoundException e) {
            return Optional.empty();
        }
        if (text(message, "deletedDateTime") != null) {
            return Optional.empty();
        }
        return Optional.of(record(key, null, message, parts.length == 4 ? parts[2] : null));
    }

    @Override
    public String readOnlyReason() {
        return "Microsoft Teams messages are read-only in the hub: notes are not written back to Teams";
    }

    @Override
    public List<EntityInfo> discoverEntities(ConnectionContext connection) {
        return List.of(new EntityInfo(MESSAGES, "Channel messages and their replies", true, false, false, true));
    }

    @Override
    public List<FieldInfo> discoverFields(ConnectionContext connection, String entity) {
        entity(entity);
        List<FieldInfo> fields = new ArrayList<>();
        for (String[] f : new String[][] {{"id", "Id (team/channel/message[/reply])", "string"}, {"messageId", "Message id", "string"},
                {"teamId", "Team id", "string"}, {"channelId", "Channel id", "string"}, {"channel", "Team / Channel", "string"},
                {"replyToId", "Parent message id", "string"}, {"parentId", "Parent message", "reference"},
                {"author", "Author", "string"}, {"authorId", "Author's id", "string"}, {"subject", "Subject", "string"},
                {"body", "Text", "textarea"}, {"contentType", "Content type of the original body", "string"},
                {"createdAt", "Created at", "datetime"}, {"updatedAt", "Last modified at", "datetime"},
                {"editedAt", "Edited at", "datetime"}, {"edited", "Edited", "boolean"}, {"importance", "Importance", "string"},
                {"webUrl", "Link", "url"}, {"replyCount", "Replies", "integer"}, {"version", "Version (etag)", "string"}}) {
            fields.add(new FieldInfo(f[0], f[1], f[2], false, false, !f[0].equals("id")));
        }
        return fields;
    }

    @Override
    public AdapterHealth health(ConnectionContext connection) {
        return client.health(connection);
    }

    // ------------------------------------------------------------------ helpers

    private static void entity(String entity) {
        if (!MESSAGES.equalsIgnoreCase(entity == null ? "" : entity)) {
            throw new PermanentProviderException("Microsoft Teams has one entity, '" + MESSAGES + "', not '" + entity + "'");
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20").replace("%3A", ":").replace("%40", "@");
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String iso(String text) {
        Instant at = instant(text);
        return at == null ? null : at.toString();
    }
}
