package providers.salesforce;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

import providers.AdapterHealth;
import providers.AdapterHealths;
import providers.BatchWriteBack;
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
import providers.ProviderDescriptor.CredentialField;
import providers.ProviderDescriptor;
import providers.ProviderException;
import providers.TransientProviderException;
import security.InvalidCredentialsException;

/**
 * Salesforce through camel-salesforce with raw JSON payloads (no generated DTOs):
 * SOQL query/queryMore for pages, the sObject rows API for reads and writes, getDeleted and
 * conditional updates ({@code If-Unmodified-Since}) through the raw operation.
 */
@Component
public class SalesforceAdapter implements IntegrationAdapter {

    public static final String PROVIDER_ID = "salesforce";
    static final String CLIENT_ID = "clientId";
    public static final String CLIENT_SECRET = "clientSecret";
    static final String USERNAME = "username";
    static final String PASSWORD = "password";
    static final String LOGIN_URL = "loginUrl";
    static final String DEFAULT_LOGIN_URL = "https://login.salesforce.com";
    private static final DateTimeFormatter DELETED_WINDOW = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'+00:00'").withZone(ZoneOffset.UTC);
    /** IMF-fixdate, the HTTP-date form: Sun, 06 Nov 1994 08:49:37 GMT. */
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);
    private static final Pattern RECORD_ID = Pattern.compile("[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?");
    private static final String IF_UNMODIFIED_SINCE = "If-Unmodified-Since";

    private static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor(
            PROVIDER_ID, "Salesforce", "crm", "active", "tenant",
            List.of("oauth2_password", "oauth2_authorization_code"),
            List.of("Account", "Contact", "Opportunity", "Lead", "Task", "Event"),
            List.of(new CredentialField(CLIENT_ID, true, false, "Connected app consumer key"),
                    new CredentialField(CLIENT_SECRET, true, true, "Connected app consumer secret"),
                    new CredentialField(USERNAME, true, false, "Integration user name"),
                    new CredentialField(PASSWORD, true, true, "Integration user password (with security token appended if the org requires it)"),
                    new CredentialField(LOGIN_URL, false, false, "Login URL, default https://login.salesforce.com")),
            300);

    @JsonIgnoreProperties(ignoreUnknown = true)
    record QueryResult(long totalSize, boolean done, String nextRecordsUrl, List<Map<String, Object>> records) {
    }

    private final SalesforceSessions sessions;
    private final ProducerTemplate producer;
    private final ObjectMapper json;
    private final AdapterHealths health = new AdapterHealths();
    private final BatchWriteBack composite = new CompositeWriteBack();

    SalesforceAdapter(SalesforceSessions sessions, ProducerTemplate producer, ObjectMapper json) {
        this.sessions = sessions;
        this.producer = producer;
        this.json = json;
    }

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Map<String, String> normalizeCredentials(Map<String, String> credentials) {
        Map<String, String> normalized = new HashMap<>(credentials);
        String loginUrl = normalized.getOrDefault(LOGIN_URL, DEFAULT_LOGIN_URL);
        try {
            URI uri = URI.create(loginUrl);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new InvalidCredentialsException(LOGIN_URL, "must be an http(s) URL such as " + DEFAULT_LOGIN_URL);
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidCredentialsException(LOGIN_URL, "must be an http(s) URL such as " + DEFAULT_LOGIN_URL);
        }
        normalized.put(LOGIN_URL, loginUrl.endsWith("/") ? loginUrl.substring(0, loginUrl.length() - 1) : loginUrl);
        return normalized;
    }

    @Override
    public void connect(ConnectionContext connection) {
        sessions.schemeFor(connection);
    }

    @Override
    public void disconnect(ConnectionContext connection) {
        sessions.close(connection.integrationId());
        health.forget(connection.integrationId());
    }

    @Override
    public ConnectionTestResult testConnection(ConnectionContext connection) {
        try {
            sessions.close(connection.integrationId());
            call(connection, "limits", "limits", null, Map.of());
            return ConnectionTestResult.success(connection.credential(USERNAME));
        } catch (ProviderException e) {
            return ConnectionTestResult.failure(e.getMessage());
        }
    }

    @Override
    public FetchPage fetchRecords(ConnectionContext connection, FetchRequest request) {
        Map<String, Object> headers = new HashMap<>();
        // camel-salesforce forwards Sforce-* headers; Salesforce takes 200..2000 and may return fewer
        headers.put("Sforce-Query-Options", "batchSize=" + Math.max(200, Math.min(2000, request.pageSize())));
        Exchange exchange;
        if (request.pageCursor() == null) {
            headers.put("sObjectQuery", Soql.changedSince(request.entity(), request.fields(), request.versionField(), request.filters(),
                    request.since()));
            exchange = call(connection, "query " + request.entity(), "query", null, headers);
        } else {
            headers.put("sObjectQuery", request.pageCursor());
            exchange = call(connection, "queryMore " + request.entity(), "queryMore", null, headers);
        }
        QueryResult result = read(exchange, QueryResult.class, "query result");
        List<Map<String, Object>> records = result.records() == null ? List.of() : result.records();
        records.forEach(SalesforceAdapter::stripAttributes);
        String next = result.done() ? null : result.nextRecordsUrl();
        return new FetchPage(records, next, result.totalSize());
    }

    /** Salesforce ignores milliseconds when it compares datetimes: 2025-01-01T00:00:05.xxx+0000 share 2025-01-01T00:00:05. */
    @Override
    public String resumeGranule(String version) {
        return version == null || version.length() < 19 ? version : version.substring(0, 19);
    }

    @Override
    public DeletedRecords fetchDeleted(ConnectionContext connection, String entity, Instant from, Instant to) {
        Map<String, Object> headers = new HashMap<>();
        headers.put("rawPath", sObjectsPath() + Soql.name(entity) + "/deleted/");
        headers.put("rawMethod", "GET");
        headers.put("rawQueryParameters", "start,end");
        headers.put("start", DELETED_WINDOW.format(from));
        // rounded up: Salesforce reads whole seconds and covers no further than its own clock
        headers.put("end", DELETED_WINDOW.format(to.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1)));
        JsonNode body = read(callRaw(connection, "getDeleted " + entity, null, headers), JsonNode.class, "deleted records");
        List<DeletedRecord> deleted = new ArrayList<>();
        for (JsonNode record : body.path("deletedRecords")) {
            deleted.add(new DeletedRecord(record.path("id").asText(), Soql.parseDateTime(record.path("deletedDate").asText())));
        }
        JsonNode covered = body.path("latestDateCovered");
        return new DeletedRecords(deleted, covered.isTextual() ? Soql.parseDateTime(covered.asText()) : to);
    }

    @Override
    public String createRecord(ConnectionContext connection, String entity, Map<String, Object> fields) {
        Exchange exchange = call(connection, "create " + entity, "createSObject", write(fields), Map.of("sObjectName", Soql.name(entity)));
        JsonNode result = read(exchange, JsonNode.class, "create result");
        if (!result.path("success").asBoolean(false)) {
            throw new PermanentProviderException("Salesforce create " + entity + " failed: " + result.path("errors"));
        }
        return result.path("id").asText();
    }

    @Override
    public void updateRecord(ConnectionContext connection, String entity, String externalId, Map<String, Object> fields,
                             String expectedVersion) {
        String id = recordId(externalId);
        if (expectedVersion == null) {
            call(connection, "update " + entity, "updateSObject", write(fields), Map.of("sObjectName", Soql.name(entity), "sObjectId", id));
            return;
        }
        // updateSObject forwards only Sforce-* and x-sfdc headers; the raw operation sends the ones it is told to
        Map<String, Object> headers = new HashMap<>();
        headers.put("rawPath", sObjectsPath() + Soql.name(entity) + "/" + id);
        headers.put("rawMethod", "PATCH");
        headers.put("rawHttpHeaders", IF_UNMODIFIED_SINCE);
        headers.put(IF_UNMODIFIED_SINCE, httpDate(expectedVersion));
        callRaw(connection, "conditional update " + entity, write(fields), headers);
    }

    @Override
    public Optional<Map<String, Object>> fetchRecord(ConnectionContext connection, String entity, String externalId, Set<String> fields) {
        Map<String, Object> headers = new HashMap<>();
        headers.put("sObjectName", Soql.name(entity));
        headers.put("sObjectId", recordId(externalId));
        if (fields != null && !fields.isEmpty()) {
            headers.put("sObjectFields", String.join(",", fields.stream().map(Soql::name).toList()));
        }
        Exchange exchange = send(connection, "getSObject", null, headers);
        if (exchange.getException() != null && SalesforceErrors.isAbsent(exchange.getException())) {
            health.succeeded(connection);
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> record = read(checked(connection, "get " + entity, exchange), Map.class, "record");
        if (Boolean.TRUE.equals(record.get("IsDeleted"))) {
            return Optional.empty();
        }
        stripAttributes(record);
        return Optional.of(record);
    }

    @Override
    public Optional<BatchWriteBack> batchWriteBack() {
        return Optional.of(composite);
    }

    /**
     * Salesforce's Composite API for write-back: sObject Collections retrieve reads a batch in one call (null for a
     * record it cannot return), and one {@code /composite} call carries up to 25 PATCH subrequests, each with its own
     * {@code If-Unmodified-Since} (sObject Collections update has no per-record condition), {@code allOrNone: false}
     * so one refusal leaves the others written. Each is one API call.
     */
    private final class CompositeWriteBack implements BatchWriteBack {

        /** Ids per retrieve: well inside the ~800 the URL of the GET form holds (the POST form takes 2,000). */
        private static final int READS = 200;
        private static final int WRITES = 25;

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
            java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>(List.of("Id"));
            if (fields != null) {
                fields.stream().map(Soql::name).forEach(names::add);
            }
            Map<String, Object> headers = new HashMap<>();
            headers.put("rawPath", compositePath() + "/sobjects/" + Soql.name(entity));
            headers.put("rawMethod", "GET");
            headers.put("rawQueryParameters", "ids,fields");
            headers.put("ids", String.join(",", externalIds.stream().map(SalesforceAdapter::recordId).toList()));
            headers.put("fields", String.join(",", names));
            JsonNode records = read(callRaw(connection, "retrieve " + entity, null, headers), JsonNode.class, "retrieve result");
            if (!records.isArray() || records.size() != externalIds.size()) {
                throw new TransientProviderException("Salesforce retrieve " + entity + " answered " + records.size() + " records for "
                        + externalIds.size() + " ids", 0, null);
            }
            for (int i = 0; i < externalIds.size(); i++) {
                JsonNode record = records.get(i);
                if (record == null || !record.isObject() || record.path("IsDeleted").asBoolean(false)) {
                    continue;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> values = json.convertValue(record, Map.class);
                stripAttributes(values);
                found.put(externalIds.get(i), values);
            }
            return found;
        }

        @Override
        public List<Outcome> updateRecords(ConnectionContext connection, String entity, List<Write> writes) {
            if (writes.size() > WRITES) {
                throw new IllegalArgumentException("at most " + WRITES + " writes per composite call, got " + writes.size());
            }
            List<Map<String, Object>> subrequests = new ArrayList<>();
            for (int i = 0; i < writes.size(); i++) {
                Write write = writes.get(i);
                Map<String, Object> sub = new java.util.LinkedHashMap<>();
                sub.put("method", "PATCH");
                sub.put("url", sObjectsPath() + Soql.name(entity) + "/" + recordId(write.externalId()));
                sub.put("referenceId", "w" + i);
                sub.put("body", write.fields());
                if (write.expectedVersion() != null) {
                    sub.put("httpHeaders", Map.of(IF_UNMODIFIED_SINCE, httpDate(write.expectedVersion())));
                }
                subrequests.add(sub);
            }
            Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("allOrNone", false);
            body.put("compositeRequest", subrequests);
            Map<String, Object> headers = new HashMap<>();
            headers.put("rawPath", compositePath());
            headers.put("rawMethod", "POST");
            JsonNode answer = read(callRaw(connection, "composite update " + entity, write(body), headers), JsonNode.class, "composite result");
            Map<String, JsonNode> byReference = new HashMap<>();
            answer.path("compositeResponse").forEach(r -> byReference.put(r.path("referenceId").asText(), r));
            List<Outcome> outcomes = new ArrayList<>();
            for (int i = 0; i < writes.size(); i++) {
                String externalId = writes.get(i).externalId();
                JsonNode result = byReference.get("w" + i);
                if (result == null) {
                    outcomes.add(new Outcome(externalId, new TransientProviderException("Salesforce composite update " + entity
                            + " gave no result for " + externalId, 0, null)));
                    continue;
                }
                int status = result.path("httpStatusCode").asInt();
                outcomes.add(new Outcome(externalId, status >= 200 && status < 300 ? null
                        : SalesforceErrors.ofSubrequest((writes.get(i).expectedVersion() == null ? "update " : "conditional update ") + entity, status,
                                result.path("body").toString())));
            }
            return outcomes;
        }
    }

    @Override
    public void deleteRecord(ConnectionContext connection, String entity, String externalId) {
        call(connection, "delete " + entity, "deleteSObject", null, Map.of("sObjectName", Soql.name(entity), "sObjectId", externalId));
    }

    @Override
    public List<EntityInfo> discoverEntities(ConnectionContext connection) {
        JsonNode body = read(call(connection, "describeGlobal", "getGlobalObjects", null, Map.of()), JsonNode.class, "global objects");
        List<EntityInfo> entities = new ArrayList<>();
        for (JsonNode o : body.path("sobjects")) {
            entities.add(new EntityInfo(o.path("name").asText(), o.path("label").asText(), o.path("queryable").asBoolean(),
                    o.path("createable").asBoolean(), o.path("updateable").asBoolean(), o.path("deletable").asBoolean()));
        }
        return entities;
    }

    @Override
    public List<FieldInfo> discoverFields(ConnectionContext connection, String entity) {
        JsonNode body = read(call(connection, "describe " + entity, "getDescription", null, Map.of("sObjectName", Soql.name(entity))),
                JsonNode.class, "describe result");
        List<FieldInfo> fields = new ArrayList<>();
        for (JsonNode f : body.path("fields")) {
            fields.add(new FieldInfo(f.path("name").asText(), f.path("label").asText(), f.path("type").asText(),
                    f.path("createable").asBoolean(), f.path("updateable").asBoolean(), f.path("nillable").asBoolean()));
        }
        return fields;
    }

    @Override
    public AdapterHealth health(ConnectionContext connection) {
        return health.of(connection);
    }

    /** One call through this connection's component; failures come back classified. */
    private Exchange call(ConnectionContext connection, String action, String operation, Object body, Map<String, Object> headers) {
        return checked(connection, action, send(connection, operation, body, headers));
    }

    /** The raw operation: path, method, query parameters and extra HTTP headers come as message headers. */
    private Exchange callRaw(ConnectionContext connection, String action, Object body, Map<String, Object> headers) {
        return checked(connection, action, send(connection, "raw", "&format=JSON", body, headers));
    }

    private Exchange send(ConnectionContext connection, String operation, Object body, Map<String, Object> headers) {
        return send(connection, operation, "", body, headers);
    }

    /** Endpoint URIs are the same for every record (per-record values travel as headers), so Camel reuses one endpoint each. */
    private Exchange send(ConnectionContext connection, String operation, String options, Object body, Map<String, Object> headers) {
        String scheme = sessions.schemeFor(connection);
        // rawPayload on every endpoint: the component-level config is not applied to endpoints created later
        return producer.request(scheme + ":" + operation + "?rawPayload=true" + options + "&apiVersion=" + sessions.apiVersion(), e -> {
            e.getIn().setBody(body);
            e.getIn().setHeaders(new HashMap<>(headers));
        });
    }

    /** Records the outcome in the connection's health; throws the failure, classified. */
    private Exchange checked(ConnectionContext connection, String action, Exchange exchange) {
        if (exchange.getException() != null) {
            ProviderException failure = SalesforceErrors.classify(action, exchange.getException());
            if (failure.kind() == ProviderException.Kind.CONFLICT) {
                // Salesforce answered and refused the write on purpose: the connection is fine
                health.succeeded(connection);
                throw failure;
            }
            health.failed(connection, failure);
            throw failure;
        }
        health.succeeded(connection);
        return exchange;
    }

    private String compositePath() {
        return "/services/data/v" + sessions.apiVersion() + "/composite";
    }

    private String sObjectsPath() {
        return "/services/data/v" + sessions.apiVersion() + "/sobjects/";
    }

    /** Ids go into URL paths: only the 15- and 18-character forms pass. */
    private static String recordId(String externalId) {
        if (externalId == null || !RECORD_ID.matcher(externalId).matches()) {
            throw new PermanentProviderException("not a Salesforce record id: '" + externalId + "'");
        }
        return externalId;
    }

    /**
     * The SystemModstamp the hub last read as an HTTP-date. HTTP dates have whole seconds, so Salesforce only
     * sees changes made in a later second than that version; one within the same second goes undetected.
     */
    private static String httpDate(String version) {
        return HTTP_DATE.format(Soql.parseDateTime(version));
    }

    private <T> T read(Exchange exchange, Class<T> type, String what) {
        String body = exchange.getMessage().getBody(String.class);
        if (body == null || body.isBlank()) {
            throw new TransientProviderException("Salesforce returned an empty " + what, 0, null);
        }
        try {
            return json.readValue(body, type);
        } catch (JsonProcessingException e) {
            // the parser's text quotes the body: not repeated
            throw new PermanentProviderException("Salesforce returned an unreadable " + what + ": " + SalesforceErrors.NOT_SALESFORCE);
        }
    }

    private String write(Object fields) {
        try {
            return json.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new PermanentProviderException("record cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    /** Drops the "attributes" entries Salesforce puts on every record and nested relationship record. */
    @SuppressWarnings("unchecked")
    private static void stripAttributes(Map<String, Object> record) {
        record.remove("attributes");
        for (Object value : record.values()) {
            if (value instanceof Map<?, ?> nested) {
                stripAttributes((Map<String, Object>) nested);
            }
        }
    }
}
