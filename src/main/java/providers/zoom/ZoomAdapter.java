package providers.zoom;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.beans.factory.annotation.Autowired;
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
import providers.IntegrationAdapter;
import providers.PermanentProviderException;
import providers.ProviderDescriptor;
import providers.ProviderDescriptor.CredentialField;
import providers.ProviderException;
import providers.WebhookSubscription;
import providers.webhooks.AnnouncedChanges;
import providers.webhooks.EventTypes;
import security.CredentialTypes;
import security.InvalidCredentialsException;
import security.OutboundGuard;

/**
 * Zoom cloud recordings over camel-http through {@link ZoomClient}: the recordings of the users an integration selects
 * ({@link ConnectionContext#sources(String)} on {@code recordings}: user ids or emails; none: every user of the account,
 * {@code GET /v2/users}) become records of the entity {@code recordings}, mapped to {@code c_document}, each with its
 * transcript (the WebVTT file downloaded and read to plain text) for the mapping's derived {@code c_note}.
 *
 * <p>A pass reads each user's recordings ({@code GET /v2/users/{userId}/recordings}) one date window after the other
 * (Zoom lists at most a month per request; {@code next_page_token} within one): a full pass from
 * {@code hub.providers.zoom.history-months} back, an incremental one from the day before the previous pass began (Zoom's
 * dates are days and the meeting's start decides the day), both to tomorrow. Deletions are what Zoom's trash shows
 * ({@code trash=true}, trashed since the last check) and the recordings the deliveries of {@code recording.deleted} and
 * {@code recording.trashed} named ({@link AnnouncedChanges}) that Zoom no longer serves; the shard and its transcript go
 * together. Write-back is deletion only: a shard deleted in the hub moves the recording to Zoom's trash.
 */
@Component
public class ZoomAdapter implements IntegrationAdapter {

    public static final String PROVIDER_ID = ZoomClient.PROVIDER_ID;
    /** Server-to-Server OAuth: the account id, client id and secret of an S2S app; tokens from {@code account_credentials}. */
    public static final String SERVER_TO_SERVER = "server_to_server_oauth";
    static final String RECORDINGS = "recordings";
    /** Zoom's largest page. */
    static final int PAGE_LIMIT = 300;
    static final String TRANSCRIPT = "transcript";

    private static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor(
            PROVIDER_ID, "Zoom", "communication", "active", "tenant",
            List.of(SERVER_TO_SERVER, CredentialTypes.OAUTH2_AUTHORIZATION_CODE),
            List.of(RECORDINGS),
            List.of(new CredentialField(ZoomClient.ACCOUNT_ID, true, false, "Account ID of the Server-to-Server OAuth app"),
                    new CredentialField(ZoomClient.CLIENT_ID, true, false, "Client ID of the app"),
                    new CredentialField(ZoomClient.CLIENT_SECRET, true, true, "Client secret of the app"),
                    new CredentialField(ZoomClient.BASE_URL, false, false, "API base URL, default " + ZoomClient.DEFAULT_API_URL),
                    new CredentialField(ZoomClient.TOKEN_URL, false, false, "Token URL, default " + ZoomClient.DEFAULT_OAUTH_URL
                            + ZoomClient.TOKEN_PATH)),
            // Zoom Pro's Medium category (list recordings): 20 requests a second per account, shared by every app
            20, Duration.ofSeconds(1));

    /** A user of the account: their name and email, for the recordings' host. */
    record User(String id, String name, String email) {
    }

    private final ZoomClient client;
    private final AnnouncedChanges announced;
    private final OutboundGuard guard;
    private final int historyMonths;
    private final Clock clock;
    /** Per integration: user id or email to the user; forgotten on disconnect. */
    private final Map<String, Map<String, User>> users = new ConcurrentHashMap<>();

    @Autowired
    ZoomAdapter(ZoomClient client, AnnouncedChanges announced, OutboundGuard guard,
                @Value("${hub.providers.zoom.history-months:12}") int historyMonths) {
        this(client, announced, guard, historyMonths, Clock.systemUTC());
    }

    ZoomAdapter(ZoomClient client, AnnouncedChanges announced, OutboundGuard guard, int historyMonths, Clock clock) {
        this.client = client;
        this.announced = announced;
        this.guard = guard;
        this.historyMonths = Math.max(1, historyMonths);
        this.clock = clock;
    }

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** Server-to-Server credentials: ids without whitespace, base URL checked; authorization-code ones as the hub checked them. */
    @Override
    public Map<String, String> normalizeCredentials(Map<String, String> credentials) {
        if (credentials.containsKey("accessToken")) {
            return credentials;
        }
        Map<String, String> normalized = new LinkedHashMap<>(credentials);
        for (String field : List.of(ZoomClient.ACCOUNT_ID, ZoomClient.CLIENT_ID)) {
            String value = normalized.get(field);
            if (value != null && value.chars().anyMatch(Character::isWhitespace)) {
                throw new InvalidCredentialsException(field, "must not contain whitespace");
            }
        }
        String base = normalized.getOrDefault(ZoomClient.BASE_URL, ZoomClient.DEFAULT_API_URL);
        guard.checkBaseUrl(ZoomClient.BASE_URL, base, ZoomClient.DEFAULT_API_URL);
        normalized.put(ZoomClient.BASE_URL, base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        String tokenUrl = normalized.get(ZoomClient.TOKEN_URL);
        if (tokenUrl != null) {
            guard.checkBaseUrl(ZoomClient.TOKEN_URL, tokenUrl, ZoomClient.DEFAULT_OAUTH_URL + ZoomClient.TOKEN_PATH);
        }
        return normalized;
    }

    @Override
    public void connect(ConnectionContext connection) {
    }

    @Override
    public void disconnect(ConnectionContext connection) {
        client.forget(connection.integrationId());
        users.remove(connection.integrationId());
    }

    /** One real call (after the token): the authorizing user, or for Server-to-Server the account's first user. */
    @Override
    public ConnectionTestResult testConnection(ConnectionContext connection) {
        try {
            JsonNode user;
            if (ZoomClient.oauth(connection)) {
                user = client.body(client.send(connection, "connection test", "GET", "/users/me"), "user");
            } else {
                JsonNode page = client.body(client.send(connection, "connection test", "GET", "/users?page_size=1"), "user list");
                user = page.path("users").path(0);
            }
            String who = user.path("email").asText(null);
            String account = ZoomClient.oauth(connection) ? "" : " " + connection.credential(ZoomClient.ACCOUNT_ID);
            return ConnectionTestResult.success("Zoom account" + account + (who == null ? "" : " as " + who) + " ("
                    + ZoomClient.host(ZoomClient.apiUrl(connection)) + ")");
        } catch (ProviderException e) {
            return ConnectionTestResult.failure(e.getMessage());
        }
    }

    /** Every selected user must be in the account: 400 naming the ones that are not. */
    @Override
    public void checkSources(ConnectionContext connection) {
        for (Map.Entry<String, List<String>> selection : connection.sources().entrySet()) {
            String entity = selection.getKey();
            if (!entity.equals(ConnectionContext.ANY_ENTITY) && !entity.equals(RECORDINGS)) {
                throw new InvalidInputException("sources." + entity, "Zoom has no entity '" + entity + "' (known: recordings)");
            }
            List<String> unknown = selection.getValue().stream().filter(u -> lookup(connection, u) == null).toList();
            if (!unknown.isEmpty()) {
                throw new InvalidInputException("sources." + entity, (unknown.size() == 1 ? "unknown user '" + unknown.get(0) + "'"
                        : "unknown users " + unknown.stream().map(u -> "'" + u + "'").toList()) + ": not a user of the Zoom account");
            }
        }
    }

    /** Date windows are read one after the other, and within one Zoom lists newest first. */
    @Override
    public boolean recordsInMarkerOrder() {
        return false;
    }

    @Override
    public FetchPage fetchRecords(ConnectionContext connection, FetchRequest request) {
        entity(request.entity());
        if (request.filters() != null && !request.filters().isEmpty()) {
            throw new PermanentProviderException("Zoom pull filters are not supported: select the users whose recordings to read instead (sources)");
        }
        if (request.pageCursor() == null) {
            // the pass's users take a page of their own (one request to list them, or one per selected user)
            LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
            Instant since = instant(request.since());
            LocalDate first = since == null ? today.minusMonths(historyMonths) : LocalDate.ofInstant(since, ZoneOffset.UTC).minusDays(1);
            List<String> ids = selectedUsers(connection).stream().map(User::id).toList();
            if (ids.isEmpty()) {
                return new FetchPage(List.of(), null, 0, List.of(), request.since());
            }
            return new FetchPage(List.of(), new ZoomPass(ids, 0, first, null, first, today.plusDays(1), clock.instant().toString()).encode(), 0);
        }
        ZoomPass pass = ZoomPass.decode(request.pageCursor());
        int size = Math.max(1, Math.min(PAGE_LIMIT, request.pageSize()));
        String path = "/users/" + encode(pass.users().get(pass.user())) + "/recordings?from=" + pass.from() + "&to=" + pass.to()
                + "&page_size=" + size + (pass.pageToken() == null ? "" : "&next_page_token=" + encode(pass.pageToken()));
        JsonNode page = client.body(client.send(connection, "list recordings", "GET", path), "recording list");
        List<Map<String, Object>> records = new ArrayList<>();
        for (JsonNode meeting : page.path("meetings")) {
            records.add(record(connection, meeting));
        }
        String token = page.path("next_page_token").asText("");
        ZoomPass next = !token.isEmpty() ? pass.nextPage(token) : pass.nextWindow();
        if (next != null) {
            return new FetchPage(records, next.encode(), records.size());
        }
        return new FetchPage(records, null, records.size(), List.of(), pass.passStart());
    }

    /**
     * The recordings in Zoom's trash that were trashed since {@code from}, and those the deliveries named as trashed or
     * deleted in the window that Zoom no longer serves (404).
     */
    @Override
    public DeletedRecords fetchDeleted(ConnectionContext connection, String entity, Instant from, Instant to) {
        entity(entity);
        Map<String, DeletedRecord> deleted = new LinkedHashMap<>();
        for (User user : selectedUsers(connection)) {
            String token = "";
            Set<String> seen = new LinkedHashSet<>();
            do {
                JsonNode page = client.body(client.send(connection, "list trashed recordings", "GET", "/users/" + encode(user.id())
                        + "/recordings?trash=true&trash_type=meeting_recordings&page_size=" + PAGE_LIMIT
                        + (token.isEmpty() ? "" : "&next_page_token=" + encode(token))), "recording list");
                for (JsonNode meeting : page.path("meetings")) {
                    Instant at = instant(meeting.path("deleted_time").asText(null));
                    if (at == null || !at.isBefore(from)) {
                        String uuid = meeting.path("uuid").asText();
                        deleted.put(uuid, new DeletedRecord(uuid, at == null ? to : at));
                    }
                }
                token = page.path("next_page_token").asText("");
                if (!token.isEmpty() && !seen.add(token)) {
                    throw new PermanentProviderException("Zoom repeated a page token of the trash");
                }
            } while (!token.isEmpty());
        }
        for (AnnouncedChanges.Announced a : announced.between(connection.integrationId(), from, to)) {
            String uuid = a.event().externalId();
            if (!"recording".equals(a.event().providerEntity()) || !EventTypes.of(EventTypes.DOCUMENT, EventTypes.DELETED).equals(a.event().type())
                    || uuid == null || deleted.containsKey(uuid)) {
                continue;
            }
            if (client.send(connection, "read recording", "GET", "/meetings/" + meetingPath(uuid) + "/recordings", 404).status() == 404) {
                deleted.put(uuid, new DeletedRecord(uuid, a.receivedAt()));
            }
        }
        return new DeletedRecords(new ArrayList<>(deleted.values()), to);
    }

    @Override
    public String createRecord(ConnectionContext connection, String entity, Map<String, Object> fields) {
        throw new PermanentProviderException("Zoom recordings are made by meetings, not through the hub");
    }

    @Override
    public void updateRecord(ConnectionContext connection, String entity, String externalId, Map<String, Object> fields, String expectedVersion) {
        throw new PermanentProviderException("Zoom recordings are read-only in the hub");
    }

    @Override
    public Optional<Map<String, Object>> fetchRecord(ConnectionContext connection, String entity, String externalId, Set<String> fields) {
        entity(entity);
        ZoomClient.Answer answer = client.send(connection, "read recording", "GET", "/meetings/" + meetingPath(externalId) + "/recordings", 404);
        if (answer.status() == 404) {
            return Optional.empty();
        }
        return Optional.of(record(connection, client.body(answer, "recording")));
    }

    /** Moves the meeting's recordings to Zoom's trash (recoverable there for 30 days); one already gone is done. */
    @Override
    public void deleteRecord(ConnectionContext connection, String entity, String externalId) {
        entity(entity);
        client.send(connection, "trash recording", "DELETE", "/meetings/" + meetingPath(externalId) + "/recordings?action=trash", 404);
    }

    /**
     * Zoom's event subscriptions are made on the app's Marketplace page (Features, Event Subscriptions: the endpoint URL and
     * the events), not through the API; Zoom validates the endpoint there, and the hub's receiver answers.
     */
    @Override
    public WebhookSubscription registerWebhook(ConnectionContext connection, List<String> events, String callbackUrl, String secret) {
        throw new PermanentProviderException("Zoom event subscriptions are set on the app's Marketplace page (Event Subscriptions),"
                + " not through its API: give Zoom the registration's URL, and the registration the app's Secret Token");
    }

    @Override
    public List<EntityInfo> discoverEntities(ConnectionContext connection) {
        return List.of(new EntityInfo(RECORDINGS, "Cloud recordings (with their transcripts)", true, false, false, true));
    }

    @Override
    public List<FieldInfo> discoverFields(ConnectionContext connection, String entity) {
        entity(entity);
        List<FieldInfo> fields = new ArrayList<>();
        for (String[] f : new String[][] {{"uuid", "Recording (meeting instance) UUID", "string"}, {"id", "Meeting number", "string"},
                {"topic", "Topic", "string"}, {"start_time", "Start", "datetime"}, {"end_time", "End", "datetime"},
                {"duration", "Duration (minutes)", "integer"}, {"timezone", "Time zone", "string"}, {"host_id", "Host's user id", "string"},
                {"host", "Host's name", "string"}, {"host_email", "Host's email", "string"}, {"share_url", "Share link", "string"},
                {"total_size", "Size of the files (bytes)", "integer"}, {"recording_count", "Number of files", "integer"},
                {"files", "Files: type, extension, size, recording type, play and download links", "list"},
                {TRANSCRIPT, "Transcript as plain text", "text"}, {"transcript_file_id", "Transcript file id", "string"},
                {"version", "Change marker (start, file count, size)", "string"}}) {
            fields.add(new FieldInfo(f[0], f[1], f[2], false, false, true));
        }
        return fields;
    }

    @Override
    public AdapterHealth health(ConnectionContext connection) {
        return client.health(connection);
    }

    // ------------------------------------------------------------------ records

    /** A meeting's recording as a flat record, its transcript read (downloaded) when it has a completed one. */
    private Map<String, Object> record(ConnectionContext connection, JsonNode m) {
        Map<String, Object> r = new LinkedHashMap<>();
        String uuid = m.path("uuid").asText(null);
        if (uuid == null || uuid.isBlank()) {
            throw new PermanentProviderException("Zoom listed a recording without a uuid: " + ZoomErrors.NOT_ZOOM);
        }
        r.put("uuid", uuid);
        r.put("id", m.path("id").asText(null));
        r.put("topic", m.path("topic").asText(null));
        String start = m.path("start_time").asText(null);
        r.put("start_time", start);
        Instant startAt = instant(start);
        if (m.path("duration").canConvertToInt()) {
            r.put("duration", m.path("duration").asInt());
            if (startAt != null) {
                r.put("end_time", startAt.plus(Duration.ofMinutes(m.path("duration").asInt())).toString());
            }
        }
        r.put("timezone", m.path("timezone").asText(null));
        String hostId = m.path("host_id").asText(null);
        r.put("host_id", hostId);
        User host = hostId == null ? null : users.getOrDefault(connection.integrationId(), Map.of()).get(hostId);
        String hostEmail = m.path("host_email").asText(host == null ? null : host.email());
        r.put("host_email", hostEmail);
        r.put("host", host != null ? host.name() : hostEmail != null ? hostEmail : hostId);
        r.put("share_url", m.path("share_url").asText(null));
        r.put("total_size", m.path("total_size").asLong(0));
        r.put("recording_count", m.path("recording_count").asInt(0));
        r.put("account_id", m.path("account_id").asText(null));
        List<Map<String, Object>> files = new ArrayList<>();
        JsonNode transcript = null;
        for (JsonNode f : m.path("recording_files")) {
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("id", f.path("id").asText(null));
            file.put("type", f.path("file_type").asText(null));
            file.put("extension", f.path("file_extension").asText(null));
            file.put("size", f.path("file_size").asLong(0));
            file.put("recordingType", f.path("recording_type").asText(null));
            file.put("status", f.path("status").asText(null));
            file.put("start", f.path("recording_start").asText(null));
            file.put("end", f.path("recording_end").asText(null));
            if (f.hasNonNull("play_url")) {
                file.put("playUrl", f.path("play_url").asText());
            }
            file.put("downloadUrl", f.path("download_url").asText(null));
            files.add(file);
            if ("TRANSCRIPT".equals(f.path("file_type").asText()) && !"processing".equals(f.path("status").asText())
                    && f.hasNonNull("download_url")) {
                transcript = f;
            }
        }
        r.put("files", files);
        String vtt = transcript == null ? null : client.download(connection, "download transcript", transcript.path("download_url").asText());
        if (vtt != null) {
            // a transcript trashed between the listing and its download is none
            r.put(TRANSCRIPT, ZoomTranscripts.text(vtt));
            r.put("transcript_file_id", transcript.path("id").asText(null));
        }
        r.put("version", start + "|" + r.get("recording_count") + "|" + r.get("total_size"));
        return r;
    }

    // ------------------------------------------------------------------ users

    /** The selected users (each looked up once per connection), or every user of the account. */
    private List<User> selectedUsers(ConnectionContext connection) {
        List<String> selection = connection.sources(RECORDINGS);
        if (!selection.isEmpty()) {
            List<User> found = new ArrayList<>();
            for (String id : selection) {
                User user = lookup(connection, id);
                if (user == null) {
                    throw new PermanentProviderException("Zoom: unknown user '" + id + "' in sources." + RECORDINGS
                            + " (not a user of the account)", 404, null);
                }
                found.add(user);
            }
            return found;
        }
        List<User> all = new ArrayList<>();
        Map<String, User> known = users.computeIfAbsent(connection.integrationId(), k -> new ConcurrentHashMap<>());
        String token = "";
        do {
            JsonNode page = client.body(client.send(connection, "list users", "GET", "/users?status=active&page_size=" + PAGE_LIMIT
                    + (token.isEmpty() ? "" : "&next_page_token=" + encode(token))), "user list");
            for (JsonNode u : page.path("users")) {
                User user = user(u);
                if (user != null) {
                    all.add(user);
                    known.put(user.id(), user);
                }
            }
            token = page.path("next_page_token").asText("");
        } while (!token.isEmpty());
        return all;
    }

    /** A user by id or email (cached per connection); null when Zoom does not know them. */
    private User lookup(ConnectionContext connection, String idOrEmail) {
        if (idOrEmail == null || idOrEmail.isBlank()) {
            return null;
        }
        Map<String, User> known = users.computeIfAbsent(connection.integrationId(), k -> new ConcurrentHashMap<>());
        User cached = known.get(idOrEmail);
        if (cached != null) {
            return cached;
        }
        ZoomClient.Answer answer = client.send(connection, "read user", "GET", "/users/" + encode(idOrEmail.trim()), 404, 400);
        if (!answer.ok()) {
            return null;
        }
        User user = user(client.body(answer, "user"));
        if (user != null) {
            known.put(idOrEmail, user);
            known.put(user.id(), user);
        }
        return user;
    }

    private static User user(JsonNode u) {
        String id = u.path("id").asText(null);
        if (id == null) {
            return null;
        }
        String name = u.path("display_name").asText((u.path("first_name").asText("") + " " + u.path("last_name").asText("")).trim());
        return new User(id, name.isBlank() ? u.path("email").asText(id) : name, u.path("email").asText(null));
    }

    // ------------------------------------------------------------------ helpers

    private static void entity(String entity) {
        if (!RECORDINGS.equals(entity == null ? "" : entity.toLowerCase(Locale.ROOT))) {
            throw new PermanentProviderException("Zoom has no entity '" + entity + "' (known: recordings)");
        }
    }

    /**
     * A meeting UUID in a path: URL-encoded, and encoded twice when it starts with '/' or holds '//', as Zoom requires.
     */
    static String meetingPath(String uuid) {
        if (uuid == null || uuid.isBlank() || uuid.length() > 64) {
            throw new PermanentProviderException("not a Zoom meeting UUID: '" + (uuid == null ? "" : uuid.length() > 40 ? uuid.substring(0, 40)
                    + "..." : uuid) + "'");
        }
        String once = encode(uuid);
        return uuid.startsWith("/") || uuid.contains("//") ? encode(once) : once;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Instant instant(String text) {
        try {
            return text == null || text.isBlank() ? null : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
