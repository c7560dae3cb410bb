package providers.google_drive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.google.api.client.util.DateTime;
import com.google.api.services.drive.model.Change;
import com.google.api.services.drive.model.ChangeList;
import com.google.api.services.drive.model.Channel;
import com.google.api.services.drive.model.File;
import com.google.api.services.drive.model.FileList;
import com.google.api.services.drive.model.StartPageToken;
import com.google.api.services.drive.model.User;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import hub.InvalidInputException;
import providers.AdapterHealth;
import providers.AdapterHealths;
import providers.ChangeMarkerRefusedException;
import providers.ConnectionContext;
import providers.ConnectionTestResult;
import providers.DeletedRecord;
import providers.DeletedRecords;
import providers.EntityInfo;
import providers.FetchPage;
import providers.FetchRequest;
import providers.FieldInfo;
import providers.IntegrationAdapter;
import providers.PermanentProviderException;
import providers.ProviderDescriptor;
import providers.ProviderDescriptor.CredentialField;
import providers.ProviderException;
import providers.WebhookSubscription;
import security.CredentialTypes;

/**
 * Google Drive: the files of the folders and shared drives an integration selects become {@code c_document}s (a Google
 * Doc with its text, exported as plain text); incremental passes read Drive's changes API from the start page token
 * the previous pass ended with, trashed and removed files being deletions; pushes come through {@code changes.watch}
 * channels. files.list and the changes calls go through camel-google-drive, export, get, watch and stop through the
 * Drive client it ships with; see this package's README.
 */
@Component
public class GoogleDriveAdapter implements IntegrationAdapter {

    public static final String PROVIDER_ID = "google_drive";
    static final String FILES = "files";
    static final String FOLDER = "application/vnd.google-apps.folder";
    static final String DOCUMENT = "application/vnd.google-apps.document";
    static final String FILE_FIELDS = "id,name,mimeType,parents,driveId,owners(displayName,emailAddress),webViewLink,size,version,"
            + "createdTime,modifiedTime,trashed";
    private static final String FULL = "full:";
    private static final String CHANGES = "changes:";
    /** The page cursor's page token after a source's check page: list from the start. */
    private static final String LISTING = "-";
    private static final String HEADER = "CamelGoogleDrive.";

    private static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor(
            PROVIDER_ID, "Google Drive", "documents", "active", "tenant",
            List.of(CredentialTypes.SERVICE_ACCOUNT, CredentialTypes.OAUTH2_AUTHORIZATION_CODE),
            List.of(FILES),
            List.of(new CredentialField("serviceAccountJson", true, true,
                            "The service account's JSON key file (domain-wide delegation granted to its client id)"),
                    new CredentialField("subject", false, false, "The user the service account acts as (domain-wide delegation)"),
                    new CredentialField("scope", false, false, "OAuth scope, default https://www.googleapis.com/auth/drive.readonly")),
            240);

    private final GoogleDriveSessions sessions;
    private final CamelContext camel;
    private final int filesPerPage;
    private final int maxTextBytes;
    private final Duration channelTtl;
    private final AdapterHealths health = new AdapterHealths();
    /** Names of the selected folders and drives per integration, for the documents' container. */
    private final Map<String, Map<String, String>> containerNames = new ConcurrentHashMap<>();
    private volatile ProducerTemplate template;

    GoogleDriveAdapter(GoogleDriveSessions sessions, CamelContext camel,
                       @Value("${hub.providers.google_drive.files-per-page:3}") int filesPerPage,
                       @Value("${hub.providers.google_drive.max-text-bytes:1048576}") int maxTextBytes,
                       @Value("${hub.providers.google_drive.channel-ttl:24h}") Duration channelTtl) {
        this.sessions = sessions;
        this.camel = camel;
        this.filesPerPage = Math.max(1, Math.min(filesPerPage, 1000));
        this.maxTextBytes = Math.max(1, maxTextBytes);
        this.channelTtl = channelTtl;
    }

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** Files come by folder, then by the change log: in no order of their versions. */
    @Override
    public boolean recordsInMarkerOrder() {
        return false;
    }

    /** Removed and trashed files come with the changes pages. */
    @Override
    public boolean deletionsInPages() {
        return true;
    }

    /**
     * A page lists at most files-per-page files (1) and exports each Google Doc among them (files-per-page at most);
     * reading a pass's start page token and checking a source (files.get, then drives.get) are pages of their own, without
     * records. The hub's gate takes at most its burst for one page, so files-per-page stays small (3 by default: four
     * requests, the burst of Drive's 240 a minute).
     */
    @Override
    public int requestsPerPage(String entity) {
        return Math.max(2, filesPerPage + 1);
    }

    // ------------------------------------------------------------------ connection

    @Override
    public void connect(ConnectionContext connection) {
        sessions.session(connection);
    }

    @Override
    public void disconnect(ConnectionContext connection) {
        sessions.close(connection.integrationId());
        health.forget(connection.integrationId());
        containerNames.remove(connection.integrationId());
    }

    /** changes.getStartPageToken: the token (or key) is taken and Drive answers for the user. */
    @Override
    public ConnectionTestResult testConnection(ConnectionContext connection) {
        try {
            sessions.close(connection.integrationId());
            startPageToken(connection);
            String who = connection.credential("subject") != null ? connection.credential("subject")
                    : GoogleDriveSessions.isServiceAccount(connection) ? "the service account" : "the signed-in user";
            return ConnectionTestResult.success("Google Drive of " + who);
        } catch (ProviderException e) {
            return ConnectionTestResult.failure(e.getMessage());
        }
    }

    /** Each selected id must be a folder (files.get) or a shared drive (drives.get) the user sees. */
    @Override
    public void checkSources(ConnectionContext connection) {
        for (Map.Entry<String, List<String>> entry : connection.sources().entrySet()) {
            List<String> unknown = new ArrayList<>();
            for (String id : entry.getValue()) {
                if (containerName(connection, id) == null) {
                    unknown.add(id);
                }
            }
            if (!unknown.isEmpty()) {
                throw new InvalidInputException("sources." + entry.getKey(), "unknown folder or shared drive '"
                        + String.join("', '", unknown) + "'");
            }
        }
    }

    /** The name of a folder or shared drive, or null when the user sees neither by that id. */
    private String containerName(ConnectionContext connection, String id) {
        GoogleDriveSessions.Session session = sessions.session(connection);
        try {
            File folder = session.drive().files().get(id).setFields("id,name,mimeType").setSupportsAllDrives(true).execute();
            health.succeeded(connection);
            return FOLDER.equals(folder.getMimeType()) ? remember(connection, id, folder.getName()) : null;
        } catch (IOException e) {
            if (GoogleDriveErrors.status(e) != 404) {
                throw failed(connection, GoogleDriveErrors.classify("check folder " + id, e));
            }
        }
        try {
            String name = session.drive().drives().get(id).setFields("id,name").execute().getName();
            health.succeeded(connection);
            return remember(connection, id, name);
        } catch (IOException e) {
            if (GoogleDriveErrors.status(e) == 404) {
                health.succeeded(connection);
                return null;
            }
            throw failed(connection, GoogleDriveErrors.classify("check shared drive " + id, e));
        }
    }

    private String remember(ConnectionContext connection, String id, String name) {
        containerNames.computeIfAbsent(connection.integrationId(), k -> new ConcurrentHashMap<>()).put(id, name == null ? id : name);
        return name == null ? id : name;
    }

    // ------------------------------------------------------------------ reads

    @Override
    public FetchPage fetchRecords(ConnectionContext connection, FetchRequest request) {
        entity(request.entity());
        int pageSize = Math.max(1, Math.min(request.pageSize() <= 0 ? filesPerPage : request.pageSize(), filesPerPage));
        String cursor = request.pageCursor();
        if (cursor != null && cursor.startsWith(CHANGES)) {
            return changes(connection, cursor.substring(CHANGES.length()), pageSize);
        }
        if (cursor != null && cursor.startsWith(FULL)) {
            String[] parts = cursor.substring(FULL.length()).split(":", 3);
            if (parts.length != 3) {
                throw new PermanentProviderException("Google Drive: the page cursor is not one this adapter made");
            }
            return fullPage(connection, Integer.parseInt(parts[0]), parts[1], parts[2].isEmpty() ? null : parts[2], pageSize);
        }
        if (cursor != null) {
            throw new PermanentProviderException("Google Drive: the page cursor is not one this adapter made");
        }
        if (request.since() != null && !request.since().isBlank()) {
            return changes(connection, request.since(), pageSize);
        }
        // a pass starts where the change log is now: changes made while it reads are the next pass's
        return new FetchPage(List.of(), FULL + "0:" + startPageToken(connection) + ":", 0, List.of(), null);
    }

    /**
     * One page of a full pass: the files directly in the {@code index}-th selected folder or drive (every file of My Drive
     * when none is selected); the pass ends with the start page token read when it began, where the next one goes on. A
     * source's first page only checks that it exists ({@code pageToken} empty), its listing starts after ({@code -}).
     */
    private FetchPage fullPage(ConnectionContext connection, int index, String startToken, String pageToken, int pageSize) {
        List<String> sources = connection.sources(FILES);
        if (index >= Math.max(1, sources.size())) {
            throw new PermanentProviderException("Google Drive: the page cursor names a source the integration no longer selects");
        }
        String source = sources.isEmpty() ? null : sources.get(index);
        String container = source == null ? "My Drive" : names(connection).get(source);
        if (source != null && pageToken == null) {
            if (containerName(connection, source) == null) {
                throw new PermanentProviderException("Google Drive: unknown folder or shared drive '" + source
                        + "' in the integration's sources (files); select folders and shared drives the user can see");
            }
            return new FetchPage(List.of(), FULL + index + ":" + startToken + ":" + LISTING, 0, List.of(), null);
        }
        if (LISTING.equals(pageToken)) {
            pageToken = null;
        }
        Map<String, Object> headers = new HashMap<>();
        headers.put(HEADER + "q", (source == null ? "" : "'" + source.replace("'", "\\'") + "' in parents and ")
                + "trashed = false and mimeType != '" + FOLDER + "'");
        headers.put(HEADER + "pageSize", pageSize);
        headers.put(HEADER + "fields", "nextPageToken,files(" + FILE_FIELDS + ")");
        if (pageToken != null) {
            headers.put(HEADER + "pageToken", pageToken);
        }
        if (source != null) {
            headers.put(HEADER + "supportsAllDrives", true);
            headers.put(HEADER + "includeItemsFromAllDrives", true);
            headers.put(HEADER + "corpora", "allDrives");
        }
        FileList list = camel(connection, "list files", "drive-files/list", headers, FileList.class);
        List<Map<String, Object>> records = new ArrayList<>();
        for (File file : list.getFiles() == null ? List.<File>of() : list.getFiles()) {
            records.add(record(connection, file, container));
        }
        String next = list.getNextPageToken();
        if (next != null && !next.isEmpty()) {
            return new FetchPage(records, FULL + index + ":" + startToken + ":" + next, records.size(), List.of(), null);
        }
        if (index + 1 < sources.size()) {
            return new FetchPage(records, FULL + (index + 1) + ":" + startToken + ":", records.size(), List.of(), null);
        }
        return new FetchPage(records, null, records.size(), List.of(), startToken);
    }

    /** One page of changes from a page token: files in the selection as records, removed, trashed or moved-out ones deleted. */
    private FetchPage changes(ConnectionContext connection, String token, int pageSize) {
        Map<String, Object> headers = new HashMap<>();
        headers.put(HEADER + "pageToken", token);
        headers.put(HEADER + "pageSize", pageSize);
        headers.put(HEADER + "includeRemoved", true);
        headers.put(HEADER + "supportsAllDrives", true);
        headers.put(HEADER + "includeItemsFromAllDrives", true);
        headers.put(HEADER + "fields", "nextPageToken,newStartPageToken,changes(fileId,removed,time,file(" + FILE_FIELDS + "))");
        ChangeList page;
        try {
            page = camel(connection, "list changes", "drive-changes/list", headers, ChangeList.class);
        } catch (ProviderException e) {
            if (e.status() == 400 || e.status() == 404 || e.status() == 410) {
                throw new ChangeMarkerRefusedException("Google Drive refused the changes page token (" + e.getMessage()
                        + "); a full pass reads every file again", e.status());
            }
            throw e;
        }
        List<String> sources = connection.sources(FILES);
        List<Map<String, Object>> records = new ArrayList<>();
        List<DeletedRecord> deleted = new ArrayList<>();
        for (Change change : page.getChanges() == null ? List.<Change>of() : page.getChanges()) {
            File file = change.getFile();
            Instant at = change.getTime() == null ? null : Instant.ofEpochMilli(change.getTime().getValue());
            if (Boolean.TRUE.equals(change.getRemoved()) || file == null) {
                deleted.add(new DeletedRecord(change.getFileId(), at));
                continue;
            }
            if (FOLDER.equals(file.getMimeType())) {
                continue;
            }
            String container = containerOf(connection, file, sources);
            if (Boolean.TRUE.equals(file.getTrashed()) || container == null) {
                deleted.add(new DeletedRecord(change.getFileId(), at));
                continue;
            }
            records.add(record(connection, file, container));
        }
        String next = page.getNextPageToken();
        if (next != null && !next.isEmpty()) {
            return new FetchPage(records, CHANGES + next, records.size(), deleted, null);
        }
        String resume = page.getNewStartPageToken();
        if (resume == null || resume.isEmpty()) {
            throw new PermanentProviderException("Google Drive gave a changes page with neither nextPageToken nor newStartPageToken");
        }
        return new FetchPage(records, null, records.size(), deleted, resume);
    }

    /** The selected folder or drive a changed file is in (its parent), "My Drive" without a selection, or null. */
    private String containerOf(ConnectionContext connection, File file, List<String> sources) {
        if (sources.isEmpty()) {
            return file.getDriveId() == null ? "My Drive" : null;
        }
        for (String parent : file.getParents() == null ? List.<String>of() : file.getParents()) {
            if (sources.contains(parent)) {
                // the name the last check or pass saw (no call here: a page's requests are counted before it runs)
                return names(connection).getOrDefault(parent, parent);
            }
        }
        return null;
    }

    private Map<String, String> names(ConnectionContext connection) {
        return containerNames.getOrDefault(connection.integrationId(), Map.of());
    }

    /** A file as the mapping reads it; a Google Doc with its text (plain-text export, at most max-text-bytes). */
    private Map<String, Object> record(ConnectionContext connection, File file, String container) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("id", file.getId());
        record.put("name", file.getName());
        record.put("mimeType", file.getMimeType());
        record.put("kind", kind(file.getMimeType()));
        List<User> owners = file.getOwners();
        if (owners != null && !owners.isEmpty()) {
            record.put("owner", owners.get(0).getDisplayName());
            record.put("ownerEmail", owners.get(0).getEmailAddress());
        }
        record.put("container", container);
        if (file.getParents() != null && !file.getParents().isEmpty()) {
            record.put("parentId", file.getParents().get(0));
        }
        if (file.getDriveId() != null) {
            record.put("driveId", file.getDriveId());
        }
        record.put("webViewLink", file.getWebViewLink());
        if (file.getSize() != null) {
            record.put("size", file.getSize());
        }
        record.put("version", file.getVersion() == null ? null : Long.toString(file.getVersion()));
        record.put("createdTime", time(file.getCreatedTime()));
        record.put("modifiedTime", time(file.getModifiedTime()));
        if (DOCUMENT.equals(file.getMimeType())) {
            export(connection, file, record);
        }
        return record;
    }

    private void export(ConnectionContext connection, File file, Map<String, Object> record) {
        try (InputStream in = sessions.session(connection).drive().files().export(file.getId(), "text/plain").executeMediaAsInputStream()) {
            byte[] bytes = in.readNBytes(maxTextBytes + 1);
            boolean cut = bytes.length > maxTextBytes;
            String text = new String(bytes, 0, Math.min(bytes.length, maxTextBytes), StandardCharsets.UTF_8);
            // Drive's text export starts with a byte-order mark
            record.put("text", text.startsWith("\uFEFF") ? text.substring(1) : text);
            if (cut) {
                record.put("textCut", "export read up to " + maxTextBytes + " bytes");
            }
            health.succeeded(connection);
        } catch (IOException e) {
            String reason = GoogleDriveErrors.reason(e);
            if (GoogleDriveErrors.status(e) == 403 && reason != null && reason.startsWith("export")) {
                // too large to export: the document keeps its link, no text
                record.put("textCut", "not exported: " + reason);
                return;
            }
            throw failed(connection, GoogleDriveErrors.classify("export " + file.getId(), e));
        }
    }

    private static String kind(String mimeType) {
        if (mimeType == null) {
            return "file";
        }
        return switch (mimeType) {
            case DOCUMENT -> "doc";
            case "application/vnd.google-apps.spreadsheet" -> "sheet";
            case "application/vnd.google-apps.presentation" -> "slides";
            default -> "file";
        };
    }

    private static String time(DateTime time) {
        return time == null ? null : Instant.ofEpochMilli(time.getValue()).toString();
    }

    /** Changes are the deletions ({@link #deletionsInPages()}): nothing to ask. */
    @Override
    public DeletedRecords fetchDeleted(ConnectionContext connection, String entity, Instant from, Instant to) {
        return new DeletedRecords(List.of(), to);
    }

    @Override
    public Optional<Map<String, Object>> fetchRecord(ConnectionContext connection, String entity, String externalId, Set<String> fields) {
        entity(entity);
        try {
            File file = sessions.session(connection).drive().files().get(externalId).setFields(FILE_FIELDS).setSupportsAllDrives(true).execute();
            health.succeeded(connection);
            if (Boolean.TRUE.equals(file.getTrashed())) {
                return Optional.empty();
            }
            String parent = file.getParents() == null || file.getParents().isEmpty() ? null : file.getParents().get(0);
            return Optional.of(record(connection, file, parent == null ? null : names(connection).getOrDefault(parent, parent)));
        } catch (IOException e) {
            if (GoogleDriveErrors.status(e) == 404) {
                health.succeeded(connection);
                return Optional.empty();
            }
            throw failed(connection, GoogleDriveErrors.classify("get file " + externalId, e));
        }
    }

    private String startPageToken(ConnectionContext connection) {
        Map<String, Object> headers = new HashMap<>();
        headers.put(HEADER + "supportsAllDrives", true);
        StartPageToken token = camel(connection, "read the start page token", "drive-changes/getStartPageToken", headers,
                StartPageToken.class);
        return token.getStartPageToken();
    }

    // ------------------------------------------------------------------ writes: none

    @Override
    public String createRecord(ConnectionContext connection, String entity, Map<String, Object> fields) {
        throw readOnly();
    }

    @Override
    public void updateRecord(ConnectionContext connection, String entity, String externalId, Map<String, Object> fields, String expectedVersion) {
        throw readOnly();
    }

    @Override
    public void deleteRecord(ConnectionContext connection, String entity, String externalId) {
        throw readOnly();
    }

    private static PermanentProviderException readOnly() {
        return new PermanentProviderException("Google Drive files are read into the hub, never written back");
    }

    // ------------------------------------------------------------------ push: changes.watch channels

    /**
     * changes.watch from the current start page token: a channel to the callback, its token the registration's secret,
     * named {@code hub-<registration id>-<time>} (what the receiver's check expects), living channel-ttl. Its id is
     * {@code <channel id> <resource id> <address>}: channels.stop needs the first two, a renewal outside a request (no
     * public URL known) the address.
     */
    @Override
    public WebhookSubscription registerWebhook(ConnectionContext connection, List<String> events, String callbackUrl, String secret) {
        String prefix = GoogleDriveVerifier.channelPrefix(callbackUrl);
        if (prefix == null) {
            throw new PermanentProviderException("Google Drive channels need the hub's public URL (hub.public-url)");
        }
        String token = startPageToken(connection);
        Channel channel = new Channel().setId(prefix + Long.toString(System.currentTimeMillis(), 36)).setType("web_hook")
                .setAddress(callbackUrl).setToken(secret).setExpiration(Instant.now().plus(channelTtl).toEpochMilli());
        try {
            Channel made = sessions.session(connection).drive().changes().watch(token, channel).setSupportsAllDrives(true)
                    .setIncludeItemsFromAllDrives(true).execute();
            health.succeeded(connection);
            Instant expires = made.getExpiration() == null ? Instant.now().plus(channelTtl) : Instant.ofEpochMilli(made.getExpiration());
            String id = made.getId() + " " + made.getResourceId();
            // the registration keeps at most 300 characters: a longer address is left out (a renewal then needs hub.public-url)
            return new WebhookSubscription(id.length() + 1 + callbackUrl.length() <= 300 ? id + " " + callbackUrl : id, expires);
        } catch (IOException e) {
            throw failed(connection, GoogleDriveErrors.classify("watch changes", e));
        }
    }

    /** A channel cannot be extended: the old one is stopped (gone already is fine) and a new one watched, to the same address. */
    @Override
    public WebhookSubscription renewWebhook(ConnectionContext connection, String providerWebhookId, List<String> events,
                                            String callbackUrl, String secret) {
        String[] parts = providerWebhookId == null ? new String[0] : providerWebhookId.split(" ", 3);
        String address = callbackUrl != null ? callbackUrl : parts.length == 3 ? parts[2] : null;
        if (parts.length >= 2) {
            try {
                sessions.session(connection).drive().channels().stop(new Channel().setId(parts[0]).setResourceId(parts[1])).execute();
                health.succeeded(connection);
            } catch (IOException e) {
                if (GoogleDriveErrors.status(e) != 404) {
                    throw failed(connection, GoogleDriveErrors.classify("stop channel", e));
                }
            }
        }
        return registerWebhook(connection, events, address, secret);
    }

    // ------------------------------------------------------------------ metadata

    @Override
    public List<EntityInfo> discoverEntities(ConnectionContext connection) {
        return List.of(new EntityInfo(FILES, "Files", true, false, false, false));
    }

    @Override
    public List<FieldInfo> discoverFields(ConnectionContext connection, String entity) {
        entity(entity);
        List<FieldInfo> fields = new ArrayList<>();
        for (String[] f : new String[][] {{"id", "File id", "id"}, {"name", "Name", "string"}, {"mimeType", "MIME type", "string"},
                {"kind", "Kind (doc, sheet, slides, file)", "string"}, {"owner", "Owner", "string"}, {"ownerEmail", "Owner email", "string"},
                {"container", "Folder or shared drive", "string"}, {"parentId", "Parent id", "id"}, {"driveId", "Shared drive id", "id"},
                {"webViewLink", "Web link", "url"}, {"size", "Size (bytes)", "int64"}, {"version", "Version", "int64"},
                {"createdTime", "Created", "datetime"}, {"modifiedTime", "Modified", "datetime"}, {"text", "Text (Google Docs)", "textarea"}}) {
            fields.add(new FieldInfo(f[0], f[1], f[2], false, false, !f[0].equals("id")));
        }
        return fields;
    }

    @Override
    public AdapterHealth health(ConnectionContext connection) {
        return health.of(connection);
    }

    // ------------------------------------------------------------------ calls

    /** A camel-google-drive producer call on the connection's component; its failures classified. */
    private <T> T camel(ConnectionContext connection, String action, String path, Map<String, Object> headers, Class<T> type) {
        GoogleDriveSessions.Session session = sessions.session(connection);
        try {
            Object answer = producer().requestBodyAndHeaders(session.component() + "://" + path, null, headers);
            if (!type.isInstance(answer)) {
                throw new PermanentProviderException("Google Drive " + action + ": unexpected answer "
                        + (answer == null ? "null" : answer.getClass().getSimpleName()));
            }
            health.succeeded(connection);
            return type.cast(answer);
        } catch (ProviderException e) {
            throw e;
        } catch (RuntimeException e) {
            throw failed(connection, GoogleDriveErrors.classify(action, e));
        }
    }

    private ProducerTemplate producer() {
        ProducerTemplate current = template;
        if (current == null) {
            synchronized (this) {
                if (template == null) {
                    template = camel.createProducerTemplate();
                }
                current = template;
            }
        }
        return current;
    }

    private static void entity(String entity) {
        if (!FILES.equals(entity)) {
            throw new PermanentProviderException("Google Drive has no entity '" + entity + "' (it syncs files)");
        }
    }

    private ProviderException failed(ConnectionContext connection, ProviderException failure) {
        if (failure.kind() == ProviderException.Kind.PERMANENT) {
            health.succeeded(connection);
            return failure;
        }
        health.failed(connection, failure);
        if (failure.kind() == ProviderException.Kind.AUTH) {
            sessions.refused(connection, failure);
        }
        return failure;
    }
}
