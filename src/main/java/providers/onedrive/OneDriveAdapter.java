package providers.onedrive;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * OneDrive and SharePoint document libraries over Microsoft Graph ({@link GraphClient}): the files of the drives an
 * integration selects ({@link ConnectionContext#sources(String)} on {@code documents}: drive ids; none: every drive
 * {@code GET /drives} lists) become records of the entity {@code documents}, mapped to {@code c_document}; folders are
 * not synced. A pass reads each drive's {@code root/delta}: from the delta link the previous pass ended with (the marker
 * keeps one per drive), else from the start, a full enumeration. Items with the {@code deleted} facet are deletions; a
 * {@code 410 Gone} starts the enumeration again where its {@code Location} says, and a full enumeration's files become a
 * listing of the drive ({@link OneDriveListings}) after which the hub marks deleted what the drive no longer holds. Pushes
 * come through one Graph subscription per drive root ({@code updated}); a notification starts an incremental pass.
 * Files are read-only in the hub. See this package's README.
 */
@Component
public class OneDriveAdapter implements ReadOnlyRecords {

    public static final String PROVIDER_ID = "onedrive";
    /** App-only: an app registration's client id and secret at an Entra tenant; tokens from the client-credentials grant. */
    public static final String CLIENT_CREDENTIALS = "oauth2_entra_client_credentials";
    static final String DOCUMENTS = "documents";
    /** The one change type Graph notifies about on a drive root. */
    static final String UPDATED = "updated";
    /** Graph's largest delta page. */
    static final int MAX_TOP = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(OneDriveAdapter.class);

    private static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor(
            PROVIDER_ID, "OneDrive", "documents", "active", "tenant",
            List.of(CLIENT_CREDENTIALS, CredentialTypes.OAUTH2_AUTHORIZATION_CODE),
            List.of(DOCUMENTS),
            GraphClient.CREDENTIAL_FIELDS,
            // SharePoint and OneDrive throttle an app per tenant at about 1,200 requests a minute (resource units aside)
            1200);

    private final GraphClient graph;
    private final Duration subscriptionLifetime;
    private final OneDriveListings listings = new OneDriveListings();
    /** Per integration, drive id to name (the documents' container); forgotten on disconnect. */
    private final Map<String, Map<String, String>> driveNames = new ConcurrentHashMap<>();

    OneDriveAdapter(GraphClient graph, @Value("${hub.providers.onedrive.subscription-lifetime:4320m}") Duration subscriptionLifetime) {
        this.graph = graph;
        this.subscriptionLifetime = subscriptionLifetime;
    }

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** Drives come one after the other, each in the order of its change log: no order of the files' eTags. */
    @Override
    public boolean recordsInMarkerOrder() {
        return false;
    }

    @Override
    public Map<String, String> normalizeCredentials(Map<String, String> credentials) {
        return graph.normalizeCredentials(credentials);
    }

    // ------------------------------------------------------------------ connection

    @Override
    public void connect(ConnectionContext connection) {
        graph.base(connection);
    }

    @Override
    public void disconnect(ConnectionContext connection) {
        graph.close(connection.integrationId());
        listings.forget(connection.integrationId());
        driveNames.remove(connection.integrationId());
    }

    /** {@code GET /drives}: the token is taken and Graph lists the drives the app sees. */
    @Override
    public ConnectionTestResult testConnection(ConnectionContext connection) {
        return graph.test(connection, "drives", "the drives list");
    }

    /** Each selected id must be a drive Graph knows ({@code GET /drives/{id}}). */
    @Override
    public void checkSources(ConnectionContext connection) {
        for (Map.Entry<String, List<String>> entry : connection.sources().entrySet()) {
            List<String> unknown = new ArrayList<>();
            for (String id : entry.getValue()) {
                if (driveName(connection, id) == null) {
                    unknown.add(id);
                }
            }
            if (!unknown.isEmpty()) {
                throw new InvalidInputException("sources." + entry.getKey(), "unknown drive '" + String.join("', '", unknown) + "'");
            }
        }
    }

    /** The drive's name ({@code GET /drives/{id}}), remembered; null when Graph has no such drive. */
    private String driveName(ConnectionContext connection, String driveId) {
        try {
            JsonNode drive = graph.get(connection, "drives/" + encode(driveId));
            return remember(connection, driveId, text(drive, "name"));
        } catch (GraphNotFoundException e) {
            return null;
        }
    }

    private String remember(ConnectionContext connection, String driveId, String name) {
        String shown = name == null ? driveId : name;
        driveNames.computeIfAbsent(connection.integrationId(), k -> new ConcurrentHashMap<>()).put(driveId, shown);
        return shown;
    }

    private Map<String, String> names(ConnectionContext connection) {
        return driveNames.getOrDefault(connection.integrationId(), Map.of());
    }

    /** The selected drives, else every drive {@code GET /drives} lists (its pages followed), their names remembered. */
    private List<String> drives(ConnectionContext connection) {
        List<String> selected = connection.sources(DOCUMENTS);
        if (!selected.isEmpty()) {
            return selected;
        }
        Set<String> drives = new LinkedHashSet<>();
        for (JsonNode drive : graph.list(connection, "drives")) {
            String id = text(drive, "id");
            if (id != null) {
                drives.add(id);
                remember(connection, id, text(drive, "name"));
            }
        }
        return List.copyOf(drives);
    }

    // ------------------------------------------------------------------ reads

    /**
     * One page. The pass's first page lists the drives when none is selected (a page of its own), a drive whose name is
     * not known yet is looked up on a page of its own; every other page is one delta request.
     */
    @Override
    public FetchPage fetchRecords(ConnectionContext connection, FetchRequest request) {
        entity(request.entity());
        int top = Math.max(1, Math.min(request.pageSize() <= 0 ? 200 : request.pageSize(), MAX_TOP));
        if (request.pageCursor() != null) {
            return page(connection, OneDrivePass.decode(request.pageCursor()), top);
        }
        Map<String, String> deltaLinks = OneDrivePass.links(request.since());
        boolean listed = connection.sources(DOCUMENTS).isEmpty();
        List<String> drives = drives(connection);
        OneDrivePass pass = OneDrivePass.start(drives, deltaLinks);
        if (pass.done()) {
            return new FetchPage(List.of(), null, 0, List.of(), pass.marker());
        }
        return listed ? new FetchPage(List.of(), pass.encode(), 0) : page(connection, pass, top);
    }

    private FetchPage page(ConnectionContext connection, OneDrivePass pass, int top) {
        String driveId = pass.driveId();
        if (!names(connection).containsKey(driveId)) {
            if (driveName(connection, driveId) == null) {
                throw unknownDrive(driveId);
            }
            return new FetchPage(List.of(), pass.encode(), 0);
        }
        String listing = pass.listing();
        String link = pass.link();
        if (link == null) {
            link = pass.deltaLinks().get(driveId);
        }
        if (link == null) {
            // no delta link yet: a full enumeration, whose files list what the drive holds
            link = enumeration(driveId, top);
            listing = listings.start(connection.integrationId(), driveId);
        }
        JsonNode answer;
        try {
            answer = graph.get(connection, link);
        } catch (GraphResyncRequiredException gone) {
            String restart = gone.location() != null ? relative(connection, gone.location()) : enumeration(driveId, top);
            LOG.info("OneDrive drive {} of integration {}: Graph asks for a resync (410 Gone); enumerating it again{}", driveId,
                    connection.integrationId(), gone.location() != null ? " from the link it gave" : "");
            return new FetchPage(List.of(), pass.at(restart, listings.start(connection.integrationId(), driveId)).encode(), 0);
        } catch (GraphNotFoundException e) {
            throw unknownDrive(driveId);
        }
        String container = names(connection).get(driveId);
        List<Map<String, Object>> records = new ArrayList<>();
        List<DeletedRecord> deleted = new ArrayList<>();
        Set<String> present = new HashSet<>();
        for (JsonNode item : answer.path("value")) {
            String id = text(item, "id");
            if (id == null) {
                continue;
            }
            String externalId = prefix(driveId) + id;
            if (item.has("deleted")) {
                deleted.add(new DeletedRecord(externalId, null));
            } else if (item.has("file")) {
                records.add(record(driveId, container, item));
                present.add(externalId);
            }
        }
        if (listing != null && !listings.seen(listing, present)) {
            LOG.info("OneDrive drive {} of integration {}: the enumeration began before this instance took it over; its files"
                    + " list nothing for reconciliation", driveId, connection.integrationId());
            listing = null;
        }
        String next = text(answer, "@odata.nextLink");
        if (next != null) {
            return new FetchPage(records, pass.at(relative(connection, next), listing).encode(), records.size(), deleted, null);
        }
        String deltaLink = text(answer, "@odata.deltaLink");
        if (deltaLink == null) {
            throw new PermanentProviderException("OneDrive: Graph gave a delta page of drive " + driveId
                    + " with neither @odata.nextLink nor @odata.deltaLink");
        }
        if (listing != null) {
            listings.complete(listing);
        }
        OneDrivePass after = pass.driveDone(relative(connection, deltaLink));
        if (after.done()) {
            return new FetchPage(records, null, records.size(), deleted, after.marker());
        }
        return new FetchPage(records, after.encode(), records.size(), deleted, null);
    }

    private static String enumeration(String driveId, int top) {
        return "drives/" + encode(driveId) + "/root/delta?$top=" + top;
    }

    private static PermanentProviderException unknownDrive(String driveId) {
        return new PermanentProviderException("OneDrive: unknown drive '" + driveId + "' in the integration's sources (documents);"
                + " select drives the app can see");
    }

    /** A driveItem with the file facet as the mapping reads it. */
    static Map<String, Object> record(String driveId, String container, JsonNode item) {
        Map<String, Object> record = new LinkedHashMap<>();
        String id = text(item, "id");
        record.put("id", prefix(driveId) + id);
        record.put("itemId", id);
        record.put("driveId", driveId);
        record.put("drive", container);
        record.put("name", text(item, "name"));
        record.put("mimeType", text(item.path("file"), "mimeType"));
        if (item.path("size").isNumber()) {
            record.put("size", item.path("size").asLong());
        }
        record.put("webUrl", text(item, "webUrl"));
        record.put("path", path(item));
        record.put("createdDateTime", text(item, "createdDateTime"));
        record.put("createdBy", who(item.path("createdBy")));
        record.put("lastModifiedDateTime", text(item, "lastModifiedDateTime"));
        record.put("lastModifiedBy", who(item.path("lastModifiedBy")));
        record.put("eTag", text(item, "eTag"));
        return record;
    }

    /** The file's path in its drive ({@code /Customers/Acme.docx}), from its parent's {@code /drives/{id}/root:/Customers}. */
    static String path(JsonNode item) {
        String parent = text(item.path("parentReference"), "path");
        String folder = "";
        if (parent != null) {
            int root = parent.indexOf("root:");
            folder = root < 0 ? "" : parent.substring(root + "root:".length());
        }
        return (folder.endsWith("/") ? folder : folder + "/") + text(item, "name");
    }

    /** A createdBy/lastModifiedBy identity set's user (else application or device) display name. */
    private static String who(JsonNode identitySet) {
        for (String kind : List.of("user", "application", "device")) {
            String name = text(identitySet.path(kind), "displayName");
            if (name != null) {
                return name;
            }
        }
        return null;
    }

    /** The listings of the enumerations that ran to their end since the last check ({@link OneDriveListings}). */
    @Override
    public DeletedRecords fetchDeleted(ConnectionContext connection, String entity, Instant from, Instant to) {
        entity(entity);
        return new DeletedRecords(List.of(), to, listings.take(connection.integrationId()));
    }

    @Override
    public Optional<Map<String, Object>> fetchRecord(ConnectionContext connection, String entity, String externalId, Set<String> fields) {
        entity(entity);
        int slash = externalId == null ? -1 : externalId.indexOf('/');
        if (slash <= 0 || slash == externalId.length() - 1) {
            throw new PermanentProviderException("OneDrive: '" + externalId + "' is not a file id of this adapter (<drive id>/<item id>)");
        }
        String driveId = externalId.substring(0, slash);
        try {
            JsonNode item = graph.get(connection, "drives/" + encode(driveId) + "/items/" + encode(externalId.substring(slash + 1)));
            if (item.has("deleted") || !item.has("file")) {
                return Optional.empty();
            }
            String container = names(connection).getOrDefault(driveId, driveId);
            return Optional.of(record(driveId, container, item));
        } catch (GraphNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public String readOnlyReason() {
        return "OneDrive files are read into the hub, never written back";
    }

    // ------------------------------------------------------------------ push: a subscription per drive root

    /** One Graph subscription per drive root ({@code drives/{id}/root}, {@code updated}), its clientState the registration's secret. */
    @Override
    public WebhookSubscription registerWebhook(ConnectionContext connection, List<String> events, String callbackUrl, String secret) {
        return graph.subscribe(connection, resources(connection), UPDATED, callbackUrl, secret, subscriptionLifetime);
    }

    /**
     * Extends the drives' subscriptions, re-creates those Graph no longer has (then changes went unnotified: the hub queues
     * a catch-up pass), subscribes drives selected since and unsubscribes those no longer selected.
     */
    @Override
    public WebhookSubscription renewWebhook(ConnectionContext connection, String providerWebhookId, List<String> events,
                                            String callbackUrl, String secret) {
        return graph.renew(connection, providerWebhookId, resources(connection), UPDATED, callbackUrl, secret, subscriptionLifetime);
    }

    /** The registration is gone: its drives' subscriptions are deleted. */
    @Override
    public void unregisterWebhook(ConnectionContext connection, String providerWebhookId) {
        graph.unsubscribe(connection, providerWebhookId);
    }

    private List<String> resources(ConnectionContext connection) {
        return drives(connection).stream().map(d -> "drives/" + d + "/root").toList();
    }

    // ------------------------------------------------------------------ metadata

    @Override
    public List<EntityInfo> discoverEntities(ConnectionContext connection) {
        return List.of(new EntityInfo(DOCUMENTS, "Files", true, false, false, false));
    }

    @Override
    public List<FieldInfo> discoverFields(ConnectionContext connection, String entity) {
        entity(entity);
        List<FieldInfo> fields = new ArrayList<>();
        for (String[] f : new String[][] {{"id", "Drive id / item id", "id"}, {"itemId", "Item id", "id"}, {"driveId", "Drive id", "id"},
                {"drive", "Drive", "string"}, {"name", "Name", "string"}, {"mimeType", "MIME type", "string"},
                {"size", "Size (bytes)", "int64"}, {"webUrl", "Web link", "url"}, {"path", "Path in the drive", "string"},
                {"createdDateTime", "Created", "datetime"}, {"createdBy", "Created by", "string"},
                {"lastModifiedDateTime", "Modified", "datetime"}, {"lastModifiedBy", "Modified by", "string"}, {"eTag", "eTag", "string"}}) {
            fields.add(new FieldInfo(f[0], f[1], f[2], false, false, !f[0].equals("id")));
        }
        return fields;
    }

    @Override
    public AdapterHealth health(ConnectionContext connection) {
        return graph.health(connection);
    }

    // ------------------------------------------------------------------ calls

    /** The prefix of the external ids of a drive's files: a drive's listing covers what the hub holds under it. */
    static String prefix(String driveId) {
        return driveId + "/";
    }

    /** A link on the connection's Graph base as a path relative to it (shorter in the marker), any other as it is. */
    private String relative(ConnectionContext connection, String link) {
        String base = graph.base(connection).toString();
        String root = base.endsWith("/") ? base : base + "/";
        return link.startsWith(root) ? link.substring(root.length()) : link;
    }

    private static void entity(String entity) {
        if (!DOCUMENTS.equals(entity)) {
            throw new PermanentProviderException("OneDrive has no entity '" + entity + "' (it syncs documents)");
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || value.isMissingNode() ? null : value.asText();
    }
}
