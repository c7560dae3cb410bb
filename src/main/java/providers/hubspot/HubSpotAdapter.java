package providers.hubspot;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.stereotype.Component;

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
import providers.PullFilter;
import providers.WebhookSubscription;
import security.InvalidCredentialsException;
import security.OutboundGuard;

/**
 * HubSpot CRM (companies, contacts, deals) over its REST API, v3 objects and v4 associations, through
 * {@link HubSpotClient}. Records are handed on flat: the record's properties, its {@code id}, {@code createdAt},
 * {@code updatedAt}, {@code archived}, and for contacts and deals the associated company's id
 * ({@link HubSpotObject#COMPANY_ID}), read for a whole page in one batch request.
 *
 * <p>Every pass, full or incremental, pages through the search API sorted by the modification date ({@link SearchCursor}),
 * so records come in change-marker order as the sync requires (the list endpoint pages by id). Deletions are the
 * archived records ({@code ?archived=true}) whose {@code archivedAt} falls in the window. HubSpot has no conditional
 * write: an update is last-write-wins at HubSpot; the hub's three-way comparison still runs on the record it read.
 */
@Component
public class HubSpotAdapter implements IntegrationAdapter {

    public static final String PROVIDER_ID = HubSpotClient.PROVIDER_ID;
    /** A private app's access token (pat-...): HubSpot's own credential type, beside the hub's OAuth authorization code. */
    public static final String PRIVATE_APP = "private_app_token";
    /** HubSpot's largest search page. */
    static final int SEARCH_LIMIT = 200;
    /** HubSpot's largest list page. */
    static final int LIST_LIMIT = 100;
    /** The most inputs one v4 batch read takes. */
    static final int ASSOCIATION_BATCH = 1000;
    /** Filters per search filter group (HubSpot's limit), of which the pass takes up to two. */
    static final int MAX_FILTERS = 6;

    private static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor(
            PROVIDER_ID, "HubSpot", "crm", "active", "tenant",
            List.of(PRIVATE_APP, "oauth2_authorization_code"),
            List.of("companies", "contacts", "deals"),
            List.of(new CredentialField(HubSpotClient.ACCESS_TOKEN, true, true, "Private app access token (pat-...)"),
                    new CredentialField(HubSpotClient.BASE_URL, false, false, "API base URL, default " + HubSpotClient.DEFAULT_BASE_URL)),
            250);

    private final HubSpotClient client;
    private final ObjectMapper json;
    private final OutboundGuard guard;

    HubSpotAdapter(HubSpotClient client, ObjectMapper json, OutboundGuard guard) {
        this.client = client;
        this.json = json;
        this.guard = guard;
    }

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** A private app's base URL defaults to HubSpot's API and must be an http(s) URL the outbound guard allows. */
    @Override
    public Map<String, String> normalizeCredentials(Map<String, String> credentials) {
        if (credentials.containsKey("clientId")) {
            return credentials;
        }
        Map<String, String> normalized = new LinkedHashMap<>(credentials);
        String token = normalized.get(HubSpotClient.ACCESS_TOKEN);
        if (token != null && token.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidCredentialsException(HubSpotClient.ACCESS_TOKEN, "must not contain whitespace");
        }
        String base = normalized.getOrDefault(HubSpotClient.BASE_URL, HubSpotClient.DEFAULT_BASE_URL);
        guard.checkBaseUrl(HubSpotClient.BASE_URL, base, HubSpotClient.DEFAULT_BASE_URL);
        normalized.put(HubSpotClient.BASE_URL, base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        return normalized;
    }

    /** Nothing to open: every call carries its token, and connections are pooled across tenants. */
    @Override
    public void connect(ConnectionContext connection) {
    }

    @Override
    public void disconnect(ConnectionContext connection) {
        client.forget(connection.integrationId());
    }

    /** One real call: the account's details (every token may read them), naming the portal connected to. */
    @Override
    public ConnectionTestResult testConnection(ConnectionContext connection) {
        try {
            JsonNode account = client.body(client.send(connection, "connection test", "GET", "/account-info/v3/details", null),
                    "account");
            JsonNode portal = account.path("portalId");
            String host = HubSpotClient.host(HubSpotClient.baseUrl(connection));
            return ConnectionTestResult.success(portal.canConvertToLong() ? "HubSpot portal " + portal.asLong() + " (" + host + ")"
                    : "HubSpot (" + host + ")");
        } catch (ProviderException e) {
            return ConnectionTestResult.failure(e.getMessage());
        }
    }

    @Override
    public int requestsPerPage(String entity) {
        return HubSpotObject.find(entity).map(o -> o.hasCompany() ? 2 : 1).orElse(1);
    }

    @Override
    public FetchPage fetchRecords(ConnectionContext connection, FetchRequest request) {
        HubSpotObject object = HubSpotObject.of(request.entity());
        String modified = request.versionField() != null && !request.versionField().isBlank() ? request.versionField()
                : object.modifiedProperty();
        SearchCursor cursor = request.pageCursor() == null ? SearchCursor.from(request.since()) : SearchCursor.decode(request.pageCursor());
        List<ObjectNode> filters = filters(request.filters());
        int limit = Math.max(1, Math.min(SEARCH_LIMIT, request.pageSize()));
        ObjectNode query = cursor.query(modified, filters, properties(object, request.fields(), modified), limit);
        JsonNode page = client.body(client.send(connection, "search " + object.entity(), "POST",
                "/crm/v3/objects/" + object.entity() + "/search", query), "search result");
        JsonNode results = page.path("results");
        if (!results.isArray()) {
            throw new PermanentProviderException("HubSpot returned an unreadable search result: " + HubSpotErrors.NOT_HUBSPOT);
        }
        List<JsonNode> found = new ArrayList<>(results.size());
        results.forEach(found::add);
        boolean more = !page.path("paging").path("next").path("after").isMissingNode() && !page.path("paging").path("next").path("after").isNull();
        SearchCursor.Step step = cursor.next(found, more, record -> epochMillis(record.path("properties").path(modified)));
        List<Map<String, Object>> records = new ArrayList<>(step.records().size());
        for (JsonNode record : step.records()) {
            records.add(flat(record));
        }
        if (object.hasCompany() && request.fields() != null && request.fields().contains(HubSpotObject.COMPANY_ID)) {
            addCompanies(connection, object, records);
        }
        return new FetchPage(records, step.next() == null ? null : step.next().encode(), page.path("total").asLong(records.size()));
    }

    /** HubSpot compares datetimes to the millisecond: markers that differ only in how they are written are the same. */
    @Override
    public String resumeGranule(String version) {
        Instant at = SearchCursor.instant(version);
        return at == null ? version : Long.toString(at.toEpochMilli());
    }

    /** The archived records (paged by id, HubSpot keeps them 90 days) whose archivedAt lies in the window. */
    @Override
    public DeletedRecords fetchDeleted(ConnectionContext connection, String entity, Instant from, Instant to) {
        HubSpotObject object = HubSpotObject.of(entity);
        List<DeletedRecord> deleted = new ArrayList<>();
        String after = null;
        Set<String> cursors = new LinkedHashSet<>();
        do {
            String path = "/crm/v3/objects/" + object.entity() + "?archived=true&limit=" + LIST_LIMIT + "&properties="
                    + HubSpotObject.OBJECT_ID_PROPERTY + (after == null ? "" : "&after=" + encode(after));
            JsonNode page = client.body(client.send(connection, "list archived " + object.entity(), "GET", path, null), "archived list");
            for (JsonNode record : page.path("results")) {
                Instant archivedAt = SearchCursor.instant(record.path("archivedAt").asText(null));
                String id = record.path("id").asText(null);
                if (id != null && archivedAt != null && !archivedAt.isBefore(from) && !archivedAt.isAfter(to)) {
                    deleted.add(new DeletedRecord(id, archivedAt));
                }
            }
            JsonNode next = page.path("paging").path("next").path("after");
            after = next.isValueNode() && !next.isNull() && !next.asText().isEmpty() ? next.asText() : null;
            if (after != null && !cursors.add(after)) {
                throw new PermanentProviderException("HubSpot repeated a page cursor of the archived " + object.entity());
            }
        } while (after != null);
        return new DeletedRecords(deleted, to);
    }

    @Override
    public String createRecord(ConnectionContext connection, String entity, Map<String, Object> fields) {
        HubSpotObject object = HubSpotObject.of(entity);
        ObjectNode body = json.createObjectNode();
        ObjectNode properties = properties(fields);
        if (object == HubSpotObject.DEALS && !properties.hasNonNull("pipeline")) {
            // HubSpot requires a pipeline on every deal; the hub's opportunities name none
            properties.put("pipeline", "default");
        }
        body.set("properties", properties);
        Object company = fields.get(HubSpotObject.COMPANY_ID);
        if (object.hasCompany() && company != null && !company.toString().isBlank()) {
            ObjectNode association = body.putArray("associations").addObject();
            association.putObject("to").put("id", company.toString());
            association.putArray("types").addObject().put("associationCategory", "HUBSPOT_DEFINED")
                    .put("associationTypeId", object.primaryAssociation());
        }
        JsonNode created = client.body(client.send(connection, "create " + object.entity(), "POST", "/crm/v3/objects/" + object.entity(), body),
                "create result");
        String id = created.path("id").asText(null);
        if (id == null || id.isBlank()) {
            throw new PermanentProviderException("HubSpot create " + object.entity() + " answered without an id: " + HubSpotErrors.NOT_HUBSPOT);
        }
        return id;
    }

    /** HubSpot has no conditional write: {@code expectedVersion} is not sent, the last write wins at HubSpot. */
    @Override
    public void updateRecord(ConnectionContext connection, String entity, String externalId, Map<String, Object> fields, String expectedVersion) {
        HubSpotObject object = HubSpotObject.of(entity);
        ObjectNode body = json.createObjectNode();
        body.set("properties", properties(fields));
        if (body.path("properties").isEmpty()) {
            return;
        }
        client.send(connection, "update " + object.entity(), "PATCH", "/crm/v3/objects/" + object.entity() + "/" + recordId(externalId), body);
    }

    @Override
    public Optional<Map<String, Object>> fetchRecord(ConnectionContext connection, String entity, String externalId, Set<String> fields) {
        HubSpotObject object = HubSpotObject.of(entity);
        boolean company = object.hasCompany() && fields != null && fields.contains(HubSpotObject.COMPANY_ID);
        StringBuilder path = new StringBuilder("/crm/v3/objects/").append(object.entity()).append('/').append(recordId(externalId))
                .append("?archived=false&properties=").append(encode(String.join(",", properties(object, fields, object.modifiedProperty()))));
        if (company) {
            path.append("&associations=").append(object.associatedWith());
        }
        HubSpotClient.Answer answer = client.send(connection, "read " + object.entity(), "GET", path.toString(), null, 404);
        if (answer.status() == 404) {
            return Optional.empty();
        }
        JsonNode record = client.body(answer, "record");
        if (record.path("archived").asBoolean(false)) {
            return Optional.empty();
        }
        Map<String, Object> flat = flat(record);
        if (company) {
            flat.put(HubSpotObject.COMPANY_ID, companyOf(object, record.path("associations").path(object.associatedWith()).path("results")));
        }
        return Optional.of(flat);
    }

    /** Archives the record (HubSpot keeps it restorable for 90 days); one already gone is done. */
    @Override
    public void deleteRecord(ConnectionContext connection, String entity, String externalId) {
        HubSpotObject object = HubSpotObject.of(entity);
        client.send(connection, "archive " + object.entity(), "DELETE", "/crm/v3/objects/" + object.entity() + "/" + recordId(externalId), null,
                404);
    }

    /**
     * HubSpot's webhook subscriptions belong to the app (its developer account's Webhooks settings: one target URL, the
     * subscription types, signed with the app's client secret), not to a portal's connection, and its webhooks API takes
     * the developer account's key, which an integration does not hold: they are set up in the app's settings.
     */
    @Override
    public WebhookSubscription registerWebhook(ConnectionContext connection, List<String> events, String callbackUrl, String secret) {
        throw new PermanentProviderException("HubSpot webhook subscriptions are set in the app's Webhooks settings (target URL and "
                + "subscription types), not through a portal's connection");
    }

    @Override
    public List<EntityInfo> discoverEntities(ConnectionContext connection) {
        List<EntityInfo> entities = new ArrayList<>();
        for (HubSpotObject object : HubSpotObject.values()) {
            entities.add(new EntityInfo(object.entity(), label(object), true, true, true, true));
        }
        return entities;
    }

    /** The object type's properties (properties API): read-only ones (calculated, HubSpot-set) are neither created nor updated. */
    @Override
    public List<FieldInfo> discoverFields(ConnectionContext connection, String entity) {
        HubSpotObject object = HubSpotObject.of(entity);
        JsonNode body = client.body(client.send(connection, "properties of " + object.entity(), "GET",
                "/crm/v3/properties/" + object.entity() + "?archived=false", null), "property list");
        List<FieldInfo> fields = new ArrayList<>();
        for (JsonNode property : body.path("results")) {
            String name = property.path("name").asText(null);
            if (name == null) {
                continue;
            }
            boolean readOnly = property.path("modificationMetadata").path("readOnlyValue").asBoolean(false)
                    || property.path("calculated").asBoolean(false);
            fields.add(new FieldInfo(name, property.path("label").asText(name), property.path("type").asText("string"), !readOnly, !readOnly,
                    true));
        }
        return fields;
    }

    @Override
    public AdapterHealth health(ConnectionContext connection) {
        return client.health(connection);
    }

    // ------------------------------------------------------------------ records

    /** A HubSpot record as the hub reads it: its properties at the top, then its id, dates and archived flag. */
    private static Map<String, Object> flat(JsonNode record) {
        Map<String, Object> flat = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> properties = record.path("properties").fields();
        while (properties.hasNext()) {
            Map.Entry<String, JsonNode> property = properties.next();
            flat.put(property.getKey(), property.getValue().isNull() ? null : property.getValue().asText());
        }
        flat.remove(HubSpotObject.ID);
        String id = record.path("id").isValueNode() && !record.path("id").isNull() ? record.path("id").asText() : null;
        if (id != null) {
            flat.put(HubSpotObject.ID, id);
        }
        for (String field : List.of("createdAt", "updatedAt", "archivedAt")) {
            if (record.path(field).isTextual()) {
                flat.put(field, record.path(field).asText());
            }
        }
        if (record.has("archived")) {
            flat.put("archived", record.path("archived").asBoolean());
        }
        return flat;
    }

    /** The associated company of each record of a page, in one v4 batch read (up to 1,000 inputs). */
    private void addCompanies(ConnectionContext connection, HubSpotObject object, List<Map<String, Object>> records) {
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        for (Map<String, Object> record : records) {
            Object id = record.get(HubSpotObject.ID);
            if (id != null) {
                record.put(HubSpotObject.COMPANY_ID, null);
                byId.put(id.toString(), record);
            }
        }
        List<String> ids = new ArrayList<>(byId.keySet());
        for (int start = 0; start < ids.size(); start += ASSOCIATION_BATCH) {
            ObjectNode body = json.createObjectNode();
            for (String id : ids.subList(start, Math.min(ids.size(), start + ASSOCIATION_BATCH))) {
                body.withArray("inputs").addObject().put("id", id);
            }
            String company = HubSpotObject.COMPANIES.singular();
            // 207: some inputs have no association (HubSpot lists them as errors); the others are in the results
            JsonNode answer = client.body(client.send(connection, "read " + object.singular() + " associations", "POST",
                    "/crm/v4/associations/" + object.singular() + "/" + company + "/batch/read", body), "association batch");
            for (JsonNode result : answer.path("results")) {
                Map<String, Object> record = byId.get(result.path("from").path("id").asText());
                if (record != null) {
                    record.put(HubSpotObject.COMPANY_ID, primary(object, result.path("to")));
                }
            }
        }
    }

    /** The Primary-labelled company of a v4 association list, else the lowest id; null for none. */
    private static String primary(HubSpotObject object, JsonNode to) {
        String primary = null;
        BigDecimal lowest = null;
        String lowestId = null;
        for (JsonNode target : to) {
            String id = target.path("toObjectId").asText(null);
            if (id == null || id.isBlank()) {
                continue;
            }
            for (JsonNode type : target.path("associationTypes")) {
                if (type.path("typeId").asInt() == object.primaryAssociation() && "HUBSPOT_DEFINED".equals(type.path("category").asText())) {
                    primary = primary == null ? id : primary;
                }
            }
            BigDecimal numeric = numeric(id);
            if (lowestId == null || (numeric != null && (lowest == null || numeric.compareTo(lowest) < 0))) {
                lowest = numeric;
                lowestId = id;
            }
        }
        return primary != null ? primary : lowestId;
    }

    /** The company of a v3 read's associations: one whose type is not {@code _unlabeled} (the primary), else the lowest id. */
    private static String companyOf(HubSpotObject object, JsonNode results) {
        String lowestId = null;
        BigDecimal lowest = null;
        for (JsonNode association : results) {
            String id = association.path("id").asText(null);
            if (id == null || id.isBlank()) {
                continue;
            }
            String type = association.path("type").asText("");
            if (type.equals(object.singular() + "_to_company")) {
                return id;
            }
            BigDecimal numeric = numeric(id);
            if (lowestId == null || (numeric != null && (lowest == null || numeric.compareTo(lowest) < 0))) {
                lowest = numeric;
                lowestId = id;
            }
        }
        return lowestId;
    }

    private static BigDecimal numeric(String id) {
        try {
            return new BigDecimal(id);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The properties to ask for: the mapping's source fields that are properties, the modification date, and the id
     * property. Never more than the search body allows.
     */
    private static List<String> properties(HubSpotObject object, Collection<String> fields, String modified) {
        Set<String> names = new LinkedHashSet<>();
        if (fields == null || fields.isEmpty()) {
            names.addAll(object.defaultProperties());
        } else {
            for (String field : fields) {
                if (!HubSpotObject.RECORD_FIELDS.contains(field)) {
                    names.add(field);
                }
            }
        }
        names.add(modified);
        names.add(HubSpotObject.OBJECT_ID_PROPERTY);
        return new ArrayList<>(names);
    }

    /** The fields to write as HubSpot properties: every value as text (HubSpot's properties are strings), null clears. */
    private ObjectNode properties(Map<String, Object> fields) {
        ObjectNode properties = json.createObjectNode();
        fields.forEach((name, value) -> {
            if (HubSpotObject.RECORD_FIELDS.contains(name) || name.equals(HubSpotObject.OBJECT_ID_PROPERTY)) {
                return;
            }
            if (value instanceof Map<?, ?> || value instanceof Collection<?>) {
                throw new PermanentProviderException("HubSpot property '" + name + "' takes a single value, not " + (value instanceof Map<?, ?>
                        ? "an object" : "a list"));
            }
            properties.put(name, value == null ? "" : value instanceof BigDecimal number ? number.toPlainString() : value.toString());
        });
        return properties;
    }

    /** The tenant's pull filters as search filters, ANDed with the pass's own. */
    private List<ObjectNode> filters(List<PullFilter> pullFilters) {
        if (pullFilters == null || pullFilters.isEmpty()) {
            return List.of();
        }
        if (pullFilters.size() > MAX_FILTERS - 2) {
            throw new PermanentProviderException("HubSpot search takes " + MAX_FILTERS + " filters per query, two of them the sync's own: at most "
                    + (MAX_FILTERS - 2) + " pull filters per entity");
        }
        List<ObjectNode> filters = new ArrayList<>(pullFilters.size());
        for (PullFilter f : pullFilters) {
            ObjectNode filter = json.createObjectNode().put("propertyName", f.field());
            if (f.value() == null) {
                switch (f.op()) {
                    case "=" -> filter.put("operator", "NOT_HAS_PROPERTY");
                    case "!=" -> filter.put("operator", "HAS_PROPERTY");
                    default -> throw new PermanentProviderException("HubSpot pull filter on " + f.field() + ": '" + f.op()
                            + "' cannot compare with null");
                }
            } else {
                filter.put("operator", switch (f.op()) {
                    case "=" -> "EQ";
                    case "!=" -> "NEQ";
                    case "<" -> "LT";
                    case "<=" -> "LTE";
                    case ">" -> "GT";
                    case ">=" -> "GTE";
                    default -> throw new PermanentProviderException("HubSpot pull filter on " + f.field() + ": unknown operator '" + f.op() + "'");
                });
                filter.put("value", f.value() instanceof BigDecimal number ? number.toPlainString() : f.value().toString());
            }
            filters.add(filter);
        }
        return filters;
    }

    private static Long epochMillis(JsonNode value) {
        Instant at = value.isValueNode() ? SearchCursor.instant(value.asText(null)) : null;
        return at == null ? null : at.toEpochMilli();
    }

    /** Record ids go into URL paths: HubSpot's are decimal numbers. */
    private static String recordId(String externalId) {
        if (externalId == null || externalId.isEmpty() || externalId.length() > 20 || !externalId.chars().allMatch(Character::isDigit)) {
            throw new PermanentProviderException("not a HubSpot record id: '" + (externalId == null ? "" : externalId.length() > 40
                    ? externalId.substring(0, 40) + "..." : externalId) + "'");
        }
        return externalId;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String label(HubSpotObject object) {
        return Character.toUpperCase(object.entity().charAt(0)) + object.entity().substring(1);
    }
}
