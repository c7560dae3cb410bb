package providers.dynamics365;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import providers.AdapterHealth;
import providers.AdapterHealths;
import providers.BatchWriteBack;
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
import providers.TransientProviderException;
import providers.microsoft.EntraAuthority;
import providers.microsoft.EntraClientCredentials;
import providers.microsoft.EntraSessions;
import security.CredentialTypes;
import security.TokenLifecycle;
import security.InvalidCredentialsException;
import security.OutboundGuard;

/**
 * Dynamics 365 through the Dataverse Web API (OData v4) over camel-http ({@link DataverseHttp}); see this package's README.
 * Reads page with {@code Prefer: odata.maxpagesize} and {@code @odata.nextLink}, and track changes: a full pass asks
 * {@code odata.track-changes} and its last page gives the {@code @odata.deltaLink} the next pass reads from, whose
 * pages hold the changed rows and {@code $deletedEntity} stubs. Rows carry their {@code @odata.etag}, the version a
 * write is conditional on ({@code If-Match}; a 412 is a conflict). Tokens come from Entra ID ({@link EntraSessions}).
 */
@Component
public class DynamicsAdapter implements IntegrationAdapter {

    public static final String PROVIDER_ID = "dynamics365";
    /** App-only access: an Entra ID app registration (application user in the org) with a client secret. */
    public static final String CLIENT_CREDENTIALS = "oauth2_entra_client_credentials";
    static final String ORG_URL = "orgUrl";
    static final String AUTHORITY = EntraSessions.AUTHORITY;
    static final String CLIENT_ID = EntraSessions.CLIENT_ID;
    static final String CLIENT_SECRET = EntraSessions.CLIENT_SECRET;
    private static final Pattern ENTITY_ID = Pattern.compile("\\((" + DataverseTables.GUID.pattern() + ")\\)$");
    private static final String DELTA_TOKEN = "$deltatoken=";

    private static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor(
            PROVIDER_ID, "Dynamics 365", "crm", "active", "tenant",
            List.of(CLIENT_CREDENTIALS, CredentialTypes.OAUTH2_AUTHORIZATION_CODE),
            List.of("accounts", "contacts", "opportunities"),
            List.of(new CredentialField(ORG_URL, true, false, "Environment URL, e.g. https://org.crm.dynamics.com"),
                    new CredentialField(AUTHORITY, true, false,
                            "Entra ID tenant (id or domain) or authority URL, e.g. https://login.microsoftonline.com/<tenant>"),
                    new CredentialField(CLIENT_ID, true, false, "Application (client) id of the app registration"),
                    new CredentialField(CLIENT_SECRET, true, true, "Client secret of the app registration")),
            // Dataverse service protection: 6,000 requests per user in a 5-minute sliding window
            6000, Duration.ofMinutes(5));

    private final DataverseHttp http;
    private final EntraSessions sessions;
    private final ObjectMapper json;
    private final OutboundGuard guard;
    private final AdapterHealths health = new AdapterHealths();
    private final BatchWriteBack batch = new BatchedWriteBack();

    DynamicsAdapter(DataverseHttp http, EntraClientCredentials appTokens, TokenLifecycle tokens,
                    @Value("${hub.providers.dynamics365.api-version:9.2}") String apiVersion, ObjectMapper json, OutboundGuard guard) {
        this.http = http;
        this.sessions = new EntraSessions("Dynamics 365", appTokens, tokens, connection -> {
            URI org = orgUrl(connection);
            return new EntraSessions.Target(isAppOnly(connection), org, URI.create(org + "/api/data/v" + apiVersion + "/"));
        });
        this.json = json;
        this.guard = guard;
    }

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** Change tracking hands out rows in no order of their etags; deletions come as {@code $deletedEntity} rows. */
    @Override
    public boolean recordsInMarkerOrder() {
        return false;
    }

    @Override
    public boolean deletionsInPages() {
        return true;
    }

    // ------------------------------------------------------------------ credentials and connection

    /** App-only connections: the org URL and the authority, checked and in one form (no trailing slash). */
    @Override
    public Map<String, String> normalizeCredentials(Map<String, String> credentials) {
        Map<String, String> normalized = new HashMap<>(credentials);
        if (credentials.containsKey(ORG_URL)) {
            String org = orgUrl(ORG_URL, credentials.get(ORG_URL)).toString();
            guard.checkField(ORG_URL, org);
            normalized.put(ORG_URL, org);
        }
        if (credentials.containsKey(AUTHORITY)) {
            EntraAuthority authority = EntraAuthority.of(AUTHORITY, credentials.get(AUTHORITY));
            guard.checkField(AUTHORITY, authority.url());
            normalized.put(AUTHORITY, authority.url());
        }
        if (credentials.containsKey("accessToken") && credentials.get("instanceUrl") == null && scopeOrg(credentials.get("scope")) == null) {
            throw new InvalidCredentialsException("instanceUrl", "required: the environment URL, e.g. https://org.crm.dynamics.com"
                    + " (or a scope naming it)");
        }
        return normalized;
    }

    /** Whether the connection has an app registration's secret rather than a user's tokens. */
    static boolean isAppOnly(ConnectionContext connection) {
        return connection.credential("accessToken") == null && connection.credential(ORG_URL) != null;
    }

    /**
     * The connection's environment: {@code orgUrl} (app-only), else {@code instanceUrl}, else the resource of the granted
     * scope ({@code https://org.crm.dynamics.com/user_impersonation}), as an authorization-code connect leaves it.
     */
    static URI orgUrl(ConnectionContext connection) {
        String org = connection.credential(ORG_URL);
        if (org == null) {
            org = connection.credential("instanceUrl");
        }
        if (org == null) {
            org = scopeOrg(connection.credential("scope"));
        }
        if (org == null) {
            throw new PermanentProviderException("Dynamics 365: the connection has no environment URL (orgUrl or instanceUrl); reconnect");
        }
        return orgUrl("orgUrl", org);
    }

    private static URI orgUrl(String field, String value) {
        try {
            String text = value.strip();
            while (text.endsWith("/")) {
                text = text.substring(0, text.length() - 1);
            }
            URI uri = URI.create(text);
            if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null && uri.getRawQuery() == null
                    && uri.getRawFragment() == null && uri.getRawUserInfo() == null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // refused below without echoing the value
        }
        throw new InvalidCredentialsException(field, "must be the environment's http(s) URL, e.g. https://org.crm.dynamics.com");
    }

    /** The resource of the first scope naming one ({@code https://org.crm.dynamics.com/user_impersonation} → the org URL). */
    static String scopeOrg(String scope) {
        if (scope == null) {
            return null;
        }
        for (String item : scope.strip().split("\\s+")) {
            int scheme = item.indexOf("://");
            int slash = item.lastIndexOf('/');
            if (scheme > 0 && slash > scheme + 2) {
                return item.substring(0, slash);
            }
        }
        return null;
    }

    @Override
    public void connect(ConnectionContext connection) {
        sessions.session(connection);
    }

    @Override
    public void disconnect(ConnectionContext connection) {
        sessions.close(connection.integrationId());
        health.forget(connection.integrationId());
    }

    /** WhoAmI: the token is taken and the org answers with the caller's user, business unit and organization. */
    @Override
    public ConnectionTestResult testConnection(ConnectionContext connection) {
        try {
            sessions.close(connection.integrationId());
            JsonNode who = body(ok(connection, "connection test", call(connection, "connection test", "GET",
                    sessions.api(connection).resolve("WhoAmI"), Map.of(), null)), "WhoAmI answer");
            if (!who.path("UserId").isTextual()) {
                throw new PermanentProviderException("Dynamics 365 connection test failed: " + DataverseErrors.NOT_DATAVERSE);
            }
            return ConnectionTestResult.success(sessions.session(connection).target().resource().getHost() + " as user " + who.path("UserId").asText());
        } catch (ProviderException e) {
            return ConnectionTestResult.failure(e.getMessage());
        }
    }

    // ------------------------------------------------------------------ reads

    @Override
    public FetchPage fetchRecords(ConnectionContext connection, FetchRequest request) {
        DataverseTables.Table table = DataverseTables.of(request.entity());
        DataverseRows.Selection selection = DataverseRows.selection(table, request.fields());
        URI api = sessions.api(connection);
        String action = "fetch " + table.entitySet();
        URI url;
        boolean delta = false;
        boolean initial = false;
        if (request.pageCursor() != null) {
            url = withinApi(api, request.pageCursor(), "next-page link");
        } else if (request.since() != null) {
            url = deltaLink(api, table, selection, request.since());
            delta = true;
        } else {
            url = URI.create(api + table.entitySet() + "?$select=" + String.join(",", selection.columns()));
            initial = true;
        }
        Map<String, String> headers = Map.of("Prefer", DataverseRows.prefer(selection, request.pageSize(), initial));
        DataverseHttp.Answer answer = call(connection, action, "GET", url, headers, null);
        if (delta && !answer.ok() && DataverseErrors.deltaRefused(answer)) {
            health.succeeded(connection);
            throw DataverseErrors.deltaRefusal(answer);
        }
        JsonNode page = body(ok(connection, action, answer), "page");
        JsonNode rows = page.path("value");
        if (!rows.isArray()) {
            throw new PermanentProviderException("Dynamics 365 " + action + " failed: the page has no list of rows (" + DataverseErrors.NOT_DATAVERSE + ")");
        }
        List<Map<String, Object>> records = new ArrayList<>(rows.size());
        List<DeletedRecord> deleted = new ArrayList<>();
        for (JsonNode row : rows) {
            if (!row.isObject()) {
                throw new PermanentProviderException("Dynamics 365 " + action + " failed: a row of the page is not an object ("
                        + DataverseErrors.NOT_DATAVERSE + ")");
            }
            if (DataverseRows.isDeletion(row)) {
                if (row.path("id").isTextual()) {
                    deleted.add(new DeletedRecord(row.path("id").asText(), null));
                } else {
                    // a stub without its id: handed on as a row without one, which the mapping counts as failed
                    records.add(Map.of("@odata.context", row.path("@odata.context").asText("")));
                }
                continue;
            }
            Map<String, Object> record = DataverseRows.record(json, table, row, selection.formatted());
            if (DataverseRows.matches(record, request.filters())) {
                records.add(record);
            }
        }
        String next = textOrNull(page.path("@odata.nextLink"));
        String deltaLink = next == null ? textOrNull(page.path("@odata.deltaLink")) : null;
        if (next != null) {
            withinApi(api, next, "next-page link");
        }
        return new FetchPage(records, next, rows.size(), deleted, deltaLink);
    }

    /**
     * The delta link a previous pass ended with, if it still fits: this org's Web API, this table, and the columns the
     * mapping reads now (a link of other columns would leave rows unchanged since without the new ones).
     */
    private static URI deltaLink(URI api, DataverseTables.Table table, DataverseRows.Selection selection, String marker) {
        if (!marker.startsWith(api + table.entitySet() + "?") || !marker.contains(DELTA_TOKEN)) {
            throw new ChangeMarkerRefusedException("the delta link is not one of this environment's " + table.entitySet(), 0);
        }
        Set<String> selected = new TreeSet<>(selection.columns());
        Set<String> linked = new TreeSet<>(Arrays.asList(queryParameter(marker, "$select").split(",")));
        if (!selected.equals(linked)) {
            throw new ChangeMarkerRefusedException("the columns the mapping reads changed since the delta link was issued", 0);
        }
        return URI.create(marker);
    }

    private static String queryParameter(String url, String name) {
        int query = url.indexOf('?');
        for (String pair : url.substring(query + 1).split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    /** A link Dataverse handed out: only within this org's Web API is it followed (the bearer token goes with it). */
    private static URI withinApi(URI api, String link, String what) {
        if (link == null || !link.startsWith(api.toString())) {
            throw new PermanentProviderException("Dynamics 365 gave a " + what + " outside the environment's Web API; not followed");
        }
        try {
            return URI.create(link);
        } catch (IllegalArgumentException e) {
            throw new PermanentProviderException("Dynamics 365 gave a " + what + " that is not a URL");
        }
    }

    /** Change tracking reports deletions in the pages ({@link #deletionsInPages()}): nothing to ask. */
    @Override
    public DeletedRecords fetchDeleted(ConnectionContext connection, String entity, Instant from, Instant to) {
        return new DeletedRecords(List.of(), to);
    }

    @Override
    public Optional<Map<String, Object>> fetchRecord(ConnectionContext connection, String entity, String externalId, Set<String> fields) {
        DataverseTables.Table table = DataverseTables.of(entity);
        DataverseRows.Selection selection = DataverseRows.selection(table, fields == null ? List.of() : new ArrayList<>(fields));
        URI url = URI.create(sessions.api(connection) + table.entitySet() + "(" + DataverseTables.rowId(externalId) + ")?$select="
                + String.join(",", selection.columns()));
        String action = "get " + table.entitySet();
        DataverseHttp.Answer answer = call(connection, action, "GET", url, Map.of("Prefer", DataverseRows.prefer(selection, null, false)), null);
        if (answer.status() == 404) {
            return Optional.empty();
        }
        return Optional.of(DataverseRows.record(json, table, body(ok(connection, action, answer), "row"), selection.formatted()));
    }

    // ------------------------------------------------------------------ writes

    /** POST; Dataverse answers 204 with the new row's URL in {@code OData-EntityId}. */
    @Override
    public String createRecord(ConnectionContext connection, String entity, Map<String, Object> fields) {
        DataverseTables.Table table = DataverseTables.of(entity);
        String action = "create " + table.entitySet();
        DataverseHttp.Answer answer = ok(connection, action, call(connection, action, "POST", URI.create(sessions.api(connection) + table.entitySet()),
                Map.of("Content-Type", "application/json; charset=utf-8"), write(DataverseRows.forWrite(table, fields))));
        String entityId = answer.header("OData-EntityId");
        Matcher id = entityId == null ? null : ENTITY_ID.matcher(entityId);
        if (id != null && id.find()) {
            return id.group(1);
        }
        if (answer.body() != null && answer.body().length > 0 && body(answer, "created row").path(table.primaryKey()).isTextual()) {
            return body(answer, "created row").path(table.primaryKey()).asText();
        }
        throw new PermanentProviderException("Dynamics 365 " + action + ": the answer named no new row (" + DataverseErrors.NOT_DATAVERSE + ")");
    }

    /** PATCH with {@code If-Match}: the row's etag as the hub last read it, or {@code *} (update, never create). */
    @Override
    public void updateRecord(ConnectionContext connection, String entity, String externalId, Map<String, Object> fields,
                             String expectedVersion) {
        DataverseTables.Table table = DataverseTables.of(entity);
        String action = "update " + table.entitySet();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json; charset=utf-8");
        headers.put("If-Match", expectedVersion == null || expectedVersion.isBlank() ? "*" : expectedVersion);
        ok(connection, action, call(connection, action, "PATCH", rowUrl(connection, table, externalId), headers, write(DataverseRows.forWrite(table, fields))));
    }

    /** DELETE; a row already gone is deleted. */
    @Override
    public void deleteRecord(ConnectionContext connection, String entity, String externalId) {
        DataverseTables.Table table = DataverseTables.of(entity);
        String action = "delete " + table.entitySet();
        DataverseHttp.Answer answer = call(connection, action, "DELETE", rowUrl(connection, table, externalId), Map.of(), null);
        if (answer.status() != 404) {
            ok(connection, action, answer);
        }
    }

    private URI rowUrl(ConnectionContext connection, DataverseTables.Table table, String externalId) {
        return URI.create(sessions.api(connection) + table.entitySet() + "(" + DataverseTables.rowId(externalId) + ")");
    }

    @Override
    public Optional<BatchWriteBack> batchWriteBack() {
        return Optional.of(batch);
    }

    /**
     * Batched write-back: a batch's rows read in one GET ({@code $filter=<key> eq <id> or ...}), written in one
     * {@code $batch} of independent PATCHes ({@code Prefer: odata.continue-on-error}, no change set: a refused row leaves
     * the others written), each with {@code If-Match} as a single write has it; each answer classified as a single
     * write's would be ({@link DataverseErrors#refused}: a 412 is a conflict).
     */
    private final class BatchedWriteBack implements BatchWriteBack {

        /** Ids per read: about 65 characters each in the filter, so the URL stays near 2,000 characters. */
        private static final int READS = 25;
        /** Dataverse takes 1,000 requests per batch but serves them one after another: 100 keeps a call short. */
        private static final int WRITES = 100;
        /** Longest read URL sent; a longer one (many or long column names) is read in halves. */
        private static final int MAX_URL = 2_000;

        @Override
        public int maxReads() {
            return READS;
        }

        @Override
        public int maxWrites() {
            return WRITES;
        }

        @Override
        public Map<String, Map<String, Object>> fetchRecords(ConnectionContext connection, String entity, List<String> externalIds,
                                                             Set<String> fields) {
            Map<String, Map<String, Object>> found = new HashMap<>();
            if (externalIds.isEmpty()) {
                return found;
            }
            DataverseTables.Table table = DataverseTables.of(entity);
            DataverseRows.Selection selection = DataverseRows.selection(table, fields == null ? List.of() : new ArrayList<>(fields));
            Map<String, String> byRowId = new HashMap<>();
            externalIds.forEach(id -> byRowId.put(DataverseTables.rowId(id), id));
            StringBuilder filter = new StringBuilder();
            for (String rowId : byRowId.keySet()) {
                filter.append(filter.isEmpty() ? "" : " or ").append(table.primaryKey()).append(" eq ").append(rowId);
            }
            URI url = URI.create(sessions.api(connection) + table.entitySet() + "?$select=" + String.join(",", selection.columns())
                    + "&$filter=" + java.net.URLEncoder.encode(filter.toString(), StandardCharsets.UTF_8).replace("+", "%20"));
            if (url.toString().length() > MAX_URL && externalIds.size() > 1) {
                int half = externalIds.size() / 2;
                found.putAll(fetchRecords(connection, entity, externalIds.subList(0, half), fields));
                found.putAll(fetchRecords(connection, entity, externalIds.subList(half, externalIds.size()), fields));
                return found;
            }
            String action = "fetch " + table.entitySet();
            JsonNode page = body(ok(connection, action, call(connection, action, "GET", url,
                    Map.of("Prefer", DataverseRows.prefer(selection, null, false)), null)), "page");
            if (!page.path("value").isArray()) {
                throw new PermanentProviderException("Dynamics 365 " + action + " failed: the page has no list of rows ("
                        + DataverseErrors.NOT_DATAVERSE + ")");
            }
            for (JsonNode row : page.path("value")) {
                String id = byRowId.get(row.path(table.primaryKey()).asText("").toLowerCase(java.util.Locale.ROOT));
                if (id != null) {
                    found.put(id, DataverseRows.record(json, table, row, selection.formatted()));
                }
            }
            return found;
        }

        @Override
        public List<Outcome> updateRecords(ConnectionContext connection, String entity, List<Write> writes) {
            if (writes.size() > WRITES) {
                throw new IllegalArgumentException("at most " + WRITES + " writes per batch, got " + writes.size());
            }
            DataverseTables.Table table = DataverseTables.of(entity);
            String action = "update " + table.entitySet();
            ProviderException[] refused = new ProviderException[writes.size()];
            List<Integer> sent = new ArrayList<>();
            List<DataverseBatch.Request> requests = new ArrayList<>();
            for (int i = 0; i < writes.size(); i++) {
                Write write = writes.get(i);
                try {
                    Map<String, String> headers = new LinkedHashMap<>();
                    headers.put("Content-Type", "application/json; charset=utf-8");
                    headers.put("If-Match", write.expectedVersion() == null || write.expectedVersion().isBlank() ? "*" : write.expectedVersion());
                    // ASCII only: the batch body's bytes are then the same in any charset it is sent in
                    requests.add(new DataverseBatch.Request("PATCH", rowUrl(connection, table, write.externalId()).toString(), headers,
                            json.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII).writeValueAsString(DataverseRows.forWrite(table, write.fields()))));
                    sent.add(i);
                } catch (ProviderException e) {
                    refused[i] = e;
                } catch (JsonProcessingException e) {
                    refused[i] = new PermanentProviderException("record cannot be written as JSON: " + e.getOriginalMessage());
                }
            }
            if (!requests.isEmpty()) {
                DataverseBatch.Body body = DataverseBatch.body(requests);
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("Content-Type", body.contentType());
                headers.put("Prefer", "odata.continue-on-error");
                String batchAction = "batch " + action;
                DataverseHttp.Answer answer = ok(connection, batchAction, call(connection, batchAction, "POST",
                        URI.create(sessions.api(connection) + "$batch"), headers, body.text()));
                List<DataverseHttp.Answer> answers;
                try {
                    answers = DataverseBatch.answers(answer.header("Content-Type"), answer.body());
                } catch (IllegalArgumentException e) {
                    throw failed(connection, new TransientProviderException("Dynamics 365 " + batchAction + " failed: " + e.getMessage()
                            + " (" + DataverseErrors.NOT_DATAVERSE + ")", answer.status(), null));
                }
                for (int k = 0; k < sent.size(); k++) {
                    int i = sent.get(k);
                    if (k >= answers.size()) {
                        refused[i] = new TransientProviderException("Dynamics 365 " + batchAction + " gave no answer for row "
                                + DataverseTables.rowId(writes.get(i).externalId()), answer.status(), null);
                    } else if (!answers.get(k).ok()) {
                        refused[i] = DataverseErrors.refused(action, answers.get(k));
                    }
                }
            }
            List<Outcome> outcomes = new ArrayList<>(writes.size());
            for (int i = 0; i < writes.size(); i++) {
                outcomes.add(new Outcome(writes.get(i).externalId(), refused[i]));
            }
            return outcomes;
        }
    }

    // ------------------------------------------------------------------ metadata

    /** The org's tables ({@code EntityDefinitions}), named by entity set as the hub syncs them. */
    @Override
    public List<EntityInfo> discoverEntities(ConnectionContext connection) {
        URI url = URI.create(sessions.api(connection) + "EntityDefinitions?$select=LogicalName,EntitySetName,DisplayName");
        JsonNode body = body(ok(connection, "discover tables", call(connection, "discover tables", "GET", url, Map.of(), null)), "table list");
        List<EntityInfo> entities = new ArrayList<>();
        for (JsonNode table : body.path("value")) {
            String set = table.path("EntitySetName").asText(null);
            if (set == null) {
                continue;
            }
            entities.add(new EntityInfo(set, label(table, table.path("LogicalName").asText(set)), true, true, true, true));
        }
        return entities;
    }

    /** A table's columns ({@code EntityDefinitions(LogicalName='account')/Attributes}), lookups under their read name {@code _x_value}. */
    @Override
    public List<FieldInfo> discoverFields(ConnectionContext connection, String entity) {
        DataverseTables.Table table = DataverseTables.of(entity);
        URI url = URI.create(sessions.api(connection) + "EntityDefinitions(LogicalName='" + table.logicalName()
                + "')/Attributes?$select=LogicalName,AttributeType,DisplayName,IsValidForCreate,IsValidForUpdate,RequiredLevel");
        String action = "discover " + table.entitySet() + " columns";
        JsonNode body = body(ok(connection, action, call(connection, action, "GET", url, Map.of(), null)), "column list");
        List<FieldInfo> fields = new ArrayList<>();
        for (JsonNode column : body.path("value")) {
            String name = column.path("LogicalName").asText();
            String type = column.path("AttributeType").asText("");
            boolean lookup = Set.of("Lookup", "Customer", "Owner").contains(type);
            String required = column.path("RequiredLevel").path("Value").asText("None");
            fields.add(new FieldInfo(lookup ? "_" + name + "_value" : name, label(column, name), type,
                    column.path("IsValidForCreate").asBoolean(false), column.path("IsValidForUpdate").asBoolean(false),
                    !("ApplicationRequired".equals(required) || "SystemRequired".equals(required))));
        }
        return fields;
    }

    private static String label(JsonNode metadata, String fallback) {
        String label = metadata.path("DisplayName").path("UserLocalizedLabel").path("Label").asText(null);
        return label == null || label.isBlank() ? fallback : label;
    }

    @Override
    public AdapterHealth health(ConnectionContext connection) {
        return health.of(connection);
    }

    // ------------------------------------------------------------------ calls

    /**
     * One call with the connection's token; a 401 takes a new token (app-only: from Entra; delegated: refreshed) and
     * tries once more. Returns the answer whatever its status; no answer is a classified failure.
     */
    private DataverseHttp.Answer call(ConnectionContext connection, String action, String method, URI url, Map<String, String> headers,
                                      String body) {
        String token = sessions.token(connection);
        DataverseHttp.Answer answer = send(connection, action, method, url, headers, body, token);
        if (answer.status() == 401) {
            answer = send(connection, action, method, url, headers, body, sessions.renew(connection, token));
        }
        return answer;
    }

    private DataverseHttp.Answer send(ConnectionContext connection, String action, String method, URI url, Map<String, String> headers,
                                      String body, String token) {
        Map<String, String> all = DataverseHttp.standardHeaders(token);
        all.putAll(headers);
        try {
            return http.send(connection.integrationId(), new DataverseHttp.Call(method, url, all, body));
        } catch (DataverseHttp.Unanswered e) {
            throw failed(connection, DataverseErrors.unanswered(action, e));
        }
    }

    /** The answer when it is a success; else its refusal, classified (a refusal on purpose leaves the connection's health ok). */
    private DataverseHttp.Answer ok(ConnectionContext connection, String action, DataverseHttp.Answer answer) {
        if (answer.ok()) {
            health.succeeded(connection);
            return answer;
        }
        ProviderException refused = DataverseErrors.refused(action, answer);
        if (refused.kind() == ProviderException.Kind.CONFLICT || refused.kind() == ProviderException.Kind.PERMANENT) {
            // Dataverse answered and refused on purpose: the connection is fine
            health.succeeded(connection);
            throw refused;
        }
        throw failed(connection, refused);
    }

    private ProviderException failed(ConnectionContext connection, ProviderException failure) {
        health.failed(connection, failure);
        return failure;
    }

    private JsonNode body(DataverseHttp.Answer answer, String what) {
        if (answer.body() == null || answer.body().length == 0) {
            throw new TransientProviderException("Dynamics 365 returned an empty " + what, answer.status(), null);
        }
        try {
            return json.readTree(answer.body());
        } catch (IOException e) {
            // the parser's text quotes the body: not repeated
            throw new PermanentProviderException("Dynamics 365 returned an unreadable " + what + ": " + DataverseErrors.NOT_DATAVERSE);
        }
    }

    private String write(Map<String, Object> fields) {
        try {
            return json.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new PermanentProviderException("record cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    private static String textOrNull(JsonNode node) {
        return node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }
}
