package providers.notion;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.stereotype.Component;

import hub.InvalidInputException;
import providers.AdapterHealth;
import providers.ConflictProviderException;
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
import security.InvalidCredentialsException;
import security.OutboundGuard;

/**
 * Notion (API version 2025-09-03) over camel-http through {@link NotionClient}: the pages of the databases an
 * integration selects ({@link ConnectionContext#sources(String)}: database ids, or data source ids) become records of
 * the entity they are selected for: {@code companies} (mapped to {@code c_company}) and {@code notes} (mapped to
 * {@code c_note}, with the page's text read from its blocks). Without a selection, an entity reads the shared databases
 * whose title is the entity's name ("Companies", "Notes").
 *
 * <p>A pass queries each database's data source sorted by {@code last_edited_time} ascending; an incremental pass filters
 * on {@code last_edited_time on_or_after} the marker (Notion's times are to the minute, so the boundary minute comes
 * again, unchanged). Trashed pages drop out of queries: deletions are the pages a query with {@code in_trash: true}
 * shows trashed, edited since the last check. Write-back updates page properties ({@code PATCH /v1/pages/{id}}) with
 * values typed by the page's own property types; with an expected version the page's {@code last_edited_time} is
 * compared first (Notion has no conditional write: a narrow race remains).
 */
@Component
public class NotionAdapter implements IntegrationAdapter {

    public static final String PROVIDER_ID = NotionClient.PROVIDER_ID;
    public static final String INTERNAL_TOKEN = "internal_integration_token";
    static final String COMPANIES = "companies";
    static final String NOTES = "notes";
    /** Notion's largest page. */
    static final int PAGE_LIMIT = 100;
    /**
     * Notes per fetched page: one, read with its blocks and nested blocks, three requests in all. The gate takes at most
     * its bucket's burst for one fetch (three at Notion's 180 per minute), so no fetch declares more than that.
     */
    static final int NOTES_PER_PAGE = 1;
    /** Nested blocks read below a page's own (list items, toggles). */
    static final int MAX_DEPTH = 3;
    /** Notion's ids: a UUID with dashes, or the 32 hex digits of its URLs. */
    private static final Pattern ID = Pattern.compile("[0-9a-fA-F]{32}"
            + "|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Map<String, String> TITLES = Map.of(COMPANIES, "companies", NOTES, "notes");

    private static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor(
            PROVIDER_ID, "Notion", "knowledge", "active", "tenant",
            List.of(INTERNAL_TOKEN, "oauth2_authorization_code"),
            List.of(COMPANIES, NOTES),
            List.of(new CredentialField(NotionClient.ACCESS_TOKEN, true, true, "Internal integration token (secret_... or ntn_...)"),
                    new CredentialField(NotionClient.BASE_URL, false, false, "API base URL, default " + NotionClient.DEFAULT_BASE_URL)),
            180);

    /** A selected database: its id and the id of the data source its pages are queried through. */
    record Source(String databaseId, String dataSourceId) {
    }

    private final NotionClient client;
    private final ObjectMapper json;
    private final OutboundGuard guard;
    /** Per integration: selected id to its source; users' names. Forgotten on disconnect. */
    private final Map<String, Map<String, Source>> sources = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> userNames = new ConcurrentHashMap<>();
    /** Per integration and entity: the databases found by title when none is selected. */
    private final Map<String, List<Source>> titled = new ConcurrentHashMap<>();

    NotionAdapter(NotionClient client, ObjectMapper json, OutboundGuard guard) {
        this.client = client;
        this.json = json;
        this.guard = guard;
    }

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Map<String, String> normalizeCredentials(Map<String, String> credentials) {
        if (credentials.containsKey("clientId")) {
            return credentials;
        }
        Map<String, String> normalized = new LinkedHashMap<>(credentials);
        String token = normalized.get(NotionClient.ACCESS_TOKEN);
        if (token != null && token.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidCredentialsException(NotionClient.ACCESS_TOKEN, "must not contain whitespace");
        }
        String base = normalized.getOrDefault(NotionClient.BASE_URL, NotionClient.DEFAULT_BASE_URL);
        guard.checkBaseUrl(NotionClient.BASE_URL, base, NotionClient.DEFAULT_BASE_URL);
        normalized.put(NotionClient.BASE_URL, base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        return normalized;
    }

    @Override
    public void connect(ConnectionContext connection) {
    }

    @Override
    public void disconnect(ConnectionContext connection) {
        client.forget(connection.integrationId());
        sources.remove(connection.integrationId());
        userNames.remove(connection.integrationId());
        titled.keySet().removeIf(k -> k.startsWith(connection.integrationId() + "|"));
    }

    /** One real call: the integration's bot user, naming the workspace. */
    @Override
    public ConnectionTestResult testConnection(ConnectionContext connection) {
        try {
            JsonNode me = client.body(client.send(connection, "connection test", "GET", "/users/me", null), "bot user");
            String workspace = me.path("bot").path("workspace_name").asText(null);
            String host = NotionClient.host(NotionClient.baseUrl(connection));
            return ConnectionTestResult.success("Notion " + (workspace == null ? "workspace" : "workspace " + workspace) + " as "
                    + me.path("name").asText("the integration") + " (" + host + ")");
        } catch (ProviderException e) {
            return ConnectionTestResult.failure(e.getMessage());
        }
    }

    /** Every selected database must exist and be shared with the integration: 400 naming the ones that are not. */
    @Override
    public void checkSources(ConnectionContext connection) {
        for (Map.Entry<String, List<String>> selection : connection.sources().entrySet()) {
            String entity = selection.getKey();
            if (!entity.equals(ConnectionContext.ANY_ENTITY) && !TITLES.containsKey(entity)) {
                throw new InvalidInputException("sources." + entity, "Notion has no entity '" + entity + "' (known: companies, notes)");
            }
            List<String> unknown = new ArrayList<>();
            for (String id : selection.getValue()) {
                if (lookup(connection, id) == null) {
                    unknown.add(id);
                }
            }
            if (!unknown.isEmpty()) {
                throw new InvalidInputException("sources." + entity, (unknown.size() == 1 ? "unknown database '" + unknown.get(0) + "'"
                        : "unknown databases " + unknown.stream().map(u -> "'" + u + "'").toList())
                        + ": not in the workspace or not shared with the integration");
            }
        }
    }

    /**
     * Companies: the query (a first page of a connection may look its databases up instead, see {@link #fetchRecords});
     * notes: the query, the note's blocks and one level of nested blocks.
     */
    @Override
    public int requestsPerPage(String entity) {
        return NOTES.equals(entity) ? 3 : 2;
    }

    /** Databases are read one after the other: see {@link PassCursor}. */
    @Override
    public boolean recordsInMarkerOrder() {
        return false;
    }

    @Override
    public FetchPage fetchRecords(ConnectionContext connection, FetchRequest request) {
        String entity = entity(request.entity());
        if (request.filters() != null && !request.filters().isEmpty()) {
            throw new PermanentProviderException("Notion pull filters are not supported: select the databases to read instead (sources)");
        }
        if (warmUps(connection, entity) > 0) {
            // the databases' look-ups (and for notes the users) take a page of their own, within what a fetch declares
            List<Source> found = selected(connection, entity);
            if (NOTES.equals(entity)) {
                loadUsers(connection);
            }
            return new FetchPage(List.of(), request.pageCursor() != null ? request.pageCursor()
                    : PassCursor.start(found.size(), Instant.now()).encode(), 0);
        }
        List<Source> selected = selected(connection, entity);
        PassCursor cursor = request.pageCursor() == null ? PassCursor.start(selected.size(), Instant.now())
                : PassCursor.decode(request.pageCursor(), selected.size());
        Source source = selected.get(cursor.database());
        int limit = NOTES.equals(entity) ? NOTES_PER_PAGE : Math.max(1, Math.min(PAGE_LIMIT, request.pageSize()));
        ObjectNode query = json.createObjectNode();
        String since = minute(request.since());
        if (since != null) {
            query.putObject("filter").put("timestamp", NotionPages.LAST_EDITED).putObject(NotionPages.LAST_EDITED).put("on_or_after", since);
        }
        query.putArray("sorts").addObject().put("timestamp", NotionPages.LAST_EDITED).put("direction", "ascending");
        query.put("page_size", limit);
        if (cursor.notionCursor() != null) {
            query.put("start_cursor", cursor.notionCursor());
        }
        JsonNode page = client.body(client.send(connection, "query " + entity, "POST", "/data_sources/" + source.dataSourceId() + "/query",
                query), "query result");
        List<Map<String, Object>> records = new ArrayList<>();
        String pageLatest = null;
        for (JsonNode result : page.path("results")) {
            if (!"page".equals(result.path("object").asText()) || NotionPages.trashed(result)) {
                continue;
            }
            Map<String, Object> record = NotionPages.flat(result);
            if (NOTES.equals(entity)) {
                record.put(NotionPages.TEXT, text(connection, record.get(NotionPages.ID).toString()));
                record.put(NotionPages.AUTHOR, userName(connection, (String) record.get("created_by")));
            }
            records.add(record);
            Object marker = record.get(NotionPages.LAST_EDITED);
            if (marker != null && (pageLatest == null || Instant.parse(marker.toString()).isAfter(Instant.parse(pageLatest)))) {
                pageLatest = marker.toString();
            }
        }
        String next = page.path("has_more").asBoolean(false) && page.path("next_cursor").isTextual() ? page.path("next_cursor").asText() : null;
        PassCursor following = next != null ? cursor.next(next, pageLatest) : cursor.nextDatabase(pageLatest);
        if (following != null) {
            return new FetchPage(records, following.encode(), records.size());
        }
        String resume = PassCursor.resumeMarker(cursor.withLatest(pageLatest), request.since(), cursor.passStart());
        return new FetchPage(records, null, records.size(), List.of(), resume);
    }

    /** Notion compares times to the minute. */
    @Override
    public String resumeGranule(String version) {
        try {
            return OffsetDateTime.parse(version).toInstant().truncatedTo(ChronoUnit.MINUTES).toString();
        } catch (DateTimeParseException | NullPointerException e) {
            return version;
        }
    }

    /**
     * Trashed pages drop out of Notion's queries: the deletions are the pages a query with {@code in_trash: true} shows
     * trashed, edited (trashing is an edit) since {@code from}.
     */
    @Override
    public DeletedRecords fetchDeleted(ConnectionContext connection, String entity, Instant from, Instant to) {
        List<DeletedRecord> deleted = new ArrayList<>();
        for (Source source : selected(connection, entity(entity))) {
            String cursor = null;
            Set<String> seen = new LinkedHashSet<>();
            do {
                ObjectNode query = json.createObjectNode();
                query.putObject("filter").put("timestamp", NotionPages.LAST_EDITED).putObject(NotionPages.LAST_EDITED)
                        .put("on_or_after", from.truncatedTo(ChronoUnit.MINUTES).toString());
                query.putArray("sorts").addObject().put("timestamp", NotionPages.LAST_EDITED).put("direction", "ascending");
                query.put("page_size", PAGE_LIMIT).put("in_trash", true);
                if (cursor != null) {
                    query.put("start_cursor", cursor);
                }
                JsonNode page = client.body(client.send(connection, "query trashed " + entity, "POST",
                        "/data_sources/" + source.dataSourceId() + "/query", query), "query result");
                for (JsonNode result : page.path("results")) {
                    if (NotionPages.trashed(result)) {
                        Instant at = instant(result.path(NotionPages.LAST_EDITED).asText(null));
                        deleted.add(new DeletedRecord(result.path("id").asText(), at == null ? to : at));
                    }
                }
                cursor = page.path("has_more").asBoolean(false) && page.path("next_cursor").isTextual() ? page.path("next_cursor").asText() : null;
                if (cursor != null && !seen.add(cursor)) {
                    throw new PermanentProviderException("Notion repeated a page cursor of the trashed " + entity);
                }
            } while (cursor != null);
        }
        return new DeletedRecords(deleted, to);
    }

    /** A new page in the entity's first selected database, its properties typed by the data source's schema. */
    @Override
    public String createRecord(ConnectionContext connection, String entity, Map<String, Object> fields) {
        Source source = selected(connection, entity(entity)).get(0);
        JsonNode schema = client.body(client.send(connection, "read data source", "GET", "/data_sources/" + source.dataSourceId(), null),
                "data source").path("properties");
        ObjectNode body = json.createObjectNode();
        body.putObject("parent").put("type", "data_source_id").put("data_source_id", source.dataSourceId());
        body.set("properties", properties(fields, name -> schema.path(name).path("type").asText(null)));
        JsonNode created = client.body(client.send(connection, "create " + entity, "POST", "/pages", body), "created page");
        String id = created.path("id").asText(null);
        if (id == null || id.isBlank()) {
            throw new PermanentProviderException("Notion create " + entity + " answered without an id: " + NotionErrors.NOT_NOTION);
        }
        return id;
    }

    /** PATCH /v1/pages/{id} with values typed by the page's own property types, after an optional version check. */
    @Override
    public void updateRecord(ConnectionContext connection, String entity, String externalId, Map<String, Object> fields, String expectedVersion) {
        entity(entity);
        String id = pageId(externalId);
        JsonNode page = client.body(client.send(connection, "read " + entity, "GET", "/pages/" + id, null), "page");
        if (expectedVersion != null && !sameMinute(expectedVersion, page.path(NotionPages.LAST_EDITED).asText(null))) {
            throw new ConflictProviderException("Notion page " + id + " was edited since the hub read it (last edited "
                    + page.path(NotionPages.LAST_EDITED).asText() + ")", 409, null);
        }
        JsonNode properties = page.path("properties");
        ObjectNode body = json.createObjectNode();
        body.set("properties", properties(fields, name -> properties.path(name).path("type").asText(null)));
        if (body.path("properties").isEmpty()) {
            return;
        }
        client.send(connection, "update " + entity, "PATCH", "/pages/" + id, body);
    }

    @Override
    public Optional<Map<String, Object>> fetchRecord(ConnectionContext connection, String entity, String externalId, Set<String> fields) {
        String kind = entity(entity);
        String id = pageId(externalId);
        NotionClient.Answer answer = client.send(connection, "read " + kind, "GET", "/pages/" + id, null, 404);
        if (answer.status() == 404) {
            return Optional.empty();
        }
        JsonNode page = client.body(answer, "page");
        if (NotionPages.trashed(page)) {
            return Optional.empty();
        }
        Map<String, Object> record = NotionPages.flat(page);
        if (NOTES.equals(kind)) {
            record.put(NotionPages.TEXT, text(connection, id));
            record.put(NotionPages.AUTHOR, userName(connection, (String) record.get("created_by")));
        }
        return Optional.of(record);
    }

    /** Moves the page to Notion's trash (restorable there); one already gone is done. */
    @Override
    public void deleteRecord(ConnectionContext connection, String entity, String externalId) {
        entity(entity);
        client.send(connection, "trash " + entity, "PATCH", "/pages/" + pageId(externalId), json.createObjectNode().put("in_trash", true), 404);
    }

    /**
     * Notion's webhook subscriptions are made in the integration's settings (Webhooks tab: the endpoint URL and event
     * types), not through the API; the verification token Notion then posts is captured by the hub's receiver.
     */
    @Override
    public WebhookSubscription registerWebhook(ConnectionContext connection, List<String> events, String callbackUrl, String secret) {
        throw new PermanentProviderException("Notion webhook subscriptions are created in the integration's settings (Webhooks tab),"
                + " not through its API: give Notion the registration's URL, then paste back the verification token the hub captured");
    }

    @Override
    public List<EntityInfo> discoverEntities(ConnectionContext connection) {
        return List.of(new EntityInfo(COMPANIES, "Companies (database pages)", true, true, true, true),
                new EntityInfo(NOTES, "Notes (database pages with their text)", true, true, true, true));
    }

    /** The properties of the entity's first selected database, with the page fields every record has. */
    @Override
    public List<FieldInfo> discoverFields(ConnectionContext connection, String entity) {
        Source source = selected(connection, entity(entity)).get(0);
        JsonNode schema = client.body(client.send(connection, "read data source", "GET", "/data_sources/" + source.dataSourceId(), null),
                "data source").path("properties");
        List<FieldInfo> fields = new ArrayList<>();
        schema.fields().forEachRemaining(e -> {
            String type = e.getValue().path("type").asText("");
            boolean writable = NotionPages.WRITABLE.contains(type);
            fields.add(new FieldInfo(e.getKey(), e.getKey(), type, writable, writable, true));
        });
        for (String field : List.of(NotionPages.ID, "url", "created_time", NotionPages.LAST_EDITED, "created_by", "last_edited_by")) {
            fields.add(new FieldInfo(field, field, "string", false, false, true));
        }
        if (NOTES.equals(entity)) {
            fields.add(new FieldInfo(NotionPages.TEXT, "Text of the page's blocks", "text", false, false, true));
            fields.add(new FieldInfo(NotionPages.AUTHOR, "Name of the page's creator", "string", false, false, true));
        }
        return fields;
    }

    @Override
    public AdapterHealth health(ConnectionContext connection) {
        return client.health(connection);
    }

    // ------------------------------------------------------------------ helpers

    private static String entity(String entity) {
        String lower = entity == null ? "" : entity.toLowerCase(Locale.ROOT);
        if (!TITLES.containsKey(lower)) {
            throw new PermanentProviderException("Notion has no entity '" + entity + "' (known: companies, notes)");
        }
        return lower;
    }

    /**
     * The entity's databases: the selection (each checked once per connection), else the shared databases titled like
     * the entity. An id Notion does not know fails the execution naming it.
     */
    private List<Source> selected(ConnectionContext connection, String entity) {
        List<String> ids = connection.sources(entity);
        List<Source> found = new ArrayList<>();
        if (ids.isEmpty()) {
            List<Source> titled = this.titled.get(connection.integrationId() + "|" + entity);
            if (titled != null) {
                return titled;
            }
            ObjectNode search = json.createObjectNode().put("query", TITLES.get(entity)).put("page_size", PAGE_LIMIT);
            search.putObject("filter").put("property", "object").put("value", "data_source");
            JsonNode results = client.body(client.send(connection, "search databases", "POST", "/search", search), "search result")
                    .path("results");
            for (JsonNode ds : results) {
                String title = NotionPages.plainText(ds.path("title"));
                if ("data_source".equals(ds.path("object").asText()) && title.trim().equalsIgnoreCase(TITLES.get(entity))) {
                    found.add(new Source(ds.path("parent").path("database_id").asText(null), ds.path("id").asText()));
                }
            }
            if (found.isEmpty()) {
                throw new PermanentProviderException("Notion: no database is selected for " + entity + " (sources." + entity
                        + ") and none titled '" + TITLES.get(entity) + "' is shared with the integration");
            }
            this.titled.put(connection.integrationId() + "|" + entity, List.copyOf(found));
            return found;
        }
        for (String id : ids) {
            Source source = lookup(connection, id);
            if (source == null) {
                throw new PermanentProviderException("Notion: unknown database '" + id + "' in sources." + entity
                        + " (not in the workspace or not shared with the integration)", 404, null);
            }
            found.add(source);
        }
        return found;
    }

    /** A database or data source id as a source (cached per connection); null when Notion does not know it. */
    private Source lookup(ConnectionContext connection, String id) {
        Map<String, Source> known = sources.computeIfAbsent(connection.integrationId(), k -> new ConcurrentHashMap<>());
        Source cached = known.get(id);
        if (cached != null) {
            return cached;
        }
        if (id == null || !ID.matcher(id.trim()).matches()) {
            return null;
        }
        String clean = id.trim();
        NotionClient.Answer database = client.send(connection, "read database", "GET", "/databases/" + clean, null, 404, 400);
        Source source = null;
        if (database.ok()) {
            JsonNode dataSources = client.body(database, "database").path("data_sources");
            if (dataSources.isArray() && !dataSources.isEmpty()) {
                source = new Source(database.body().path("id").asText(clean), dataSources.get(0).path("id").asText());
            }
        } else {
            NotionClient.Answer dataSource = client.send(connection, "read data source", "GET", "/data_sources/" + clean, null, 404, 400);
            if (dataSource.ok()) {
                JsonNode ds = client.body(dataSource, "data source");
                source = new Source(ds.path("parent").path("database_id").asText(null), ds.path("id").asText(clean));
            }
        }
        if (source != null) {
            known.put(id, source);
        }
        return source;
    }

    /** The page's text: its blocks' lines (nested ones indented), every page of children read. */
    private String text(ConnectionContext connection, String pageId) {
        StringBuilder text = new StringBuilder();
        appendBlocks(connection, pageId, 0, text);
        return text.toString().stripTrailing();
    }

    private void appendBlocks(ConnectionContext connection, String blockId, int depth, StringBuilder text) {
        String cursor = null;
        do {
            String path = "/blocks/" + blockId + "/children?page_size=" + PAGE_LIMIT + (cursor == null ? "" : "&start_cursor=" + cursor);
            JsonNode page = client.body(client.send(connection, "read blocks", "GET", path, null), "block list");
            for (JsonNode block : page.path("results")) {
                String line = NotionPages.line(block);
                if (line != null) {
                    text.append("  ".repeat(depth)).append(line).append('\n');
                }
                if (block.path("has_children").asBoolean(false) && depth < MAX_DEPTH && !"child_page".equals(block.path("type").asText())
                        && !"child_database".equals(block.path("type").asText())) {
                    appendBlocks(connection, block.path("id").asText(), depth + 1, text);
                }
            }
            cursor = page.path("has_more").asBoolean(false) && page.path("next_cursor").isTextual() ? page.path("next_cursor").asText() : null;
        } while (cursor != null);
    }

    /** Requests a fetch needs before it can read pages: uncached database look-ups, and for notes the users once. */
    private int warmUps(ConnectionContext connection, String entity) {
        List<String> ids = connection.sources(entity);
        Map<String, Source> known = sources.getOrDefault(connection.integrationId(), Map.of());
        int needed = ids.isEmpty() ? (titled.containsKey(connection.integrationId() + "|" + entity) ? 0 : 1)
                : (int) ids.stream().filter(id -> !known.containsKey(id)).count();
        return needed + (NOTES.equals(entity) && !userNames.containsKey(connection.integrationId()) ? 1 : 0);
    }

    /** The workspace's users by id (paged), kept per connection. */
    private Map<String, String> loadUsers(ConnectionContext connection) {
        Map<String, String> names = new ConcurrentHashMap<>();
        String cursor = null;
        do {
            JsonNode page = client.body(client.send(connection, "list users", "GET", "/users?page_size=100"
                    + (cursor == null ? "" : "&start_cursor=" + cursor), null), "user list");
            for (JsonNode user : page.path("results")) {
                String id = user.path("id").asText(null);
                if (id != null) {
                    names.put(id, user.path("name").asText(id));
                }
            }
            cursor = page.path("has_more").asBoolean(false) && page.path("next_cursor").isTextual() ? page.path("next_cursor").asText() : null;
        } while (cursor != null);
        userNames.put(connection.integrationId(), names);
        return names;
    }

    /** A user's name from the workspace's users (listed once per connection); the id for a user not listed. */
    private String userName(ConnectionContext connection, String userId) {
        if (userId == null) {
            return null;
        }
        Map<String, String> names = userNames.get(connection.integrationId());
        if (names == null) {
            names = loadUsers(connection);
        }
        return names.getOrDefault(userId, userId);
    }

    /** The shard's fields written as Notion property values, typed by {@code typeOf}; record fields are not properties. */
    private ObjectNode properties(Map<String, Object> fields, java.util.function.Function<String, String> typeOf) {
        ObjectNode properties = json.createObjectNode();
        fields.forEach((name, value) -> {
            if (NotionPages.RECORD_FIELDS.contains(name)) {
                return;
            }
            String type = typeOf.apply(name);
            if (type == null) {
                throw new PermanentProviderException("Notion page has no property '" + name + "'");
            }
            properties.set(name, NotionPages.request(name, type, value));
        });
        return properties;
    }

    private static String pageId(String externalId) {
        if (externalId == null || !ID.matcher(externalId).matches()) {
            throw new PermanentProviderException("not a Notion page id: '" + (externalId == null ? "" : externalId.length() > 40
                    ? externalId.substring(0, 40) + "..." : externalId) + "'");
        }
        return externalId;
    }

    private static String minute(String since) {
        Instant at = instant(since);
        return at == null ? null : at.truncatedTo(ChronoUnit.MINUTES).toString();
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static boolean sameMinute(String a, String b) {
        Instant x = instant(a);
        Instant y = instant(b);
        return x != null && y != null && x.truncatedTo(ChronoUnit.MINUTES).equals(y.truncatedTo(ChronoUnit.MINUTES));
    }
}
