package providers.gong;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import hub.InvalidInputException;
import providers.AdapterHealth;
import providers.ConnectionContext;
import providers.ConnectionTestResult;
import providers.DeletedRecords;
import providers.EntityInfo;
import providers.FetchPage;
import providers.FetchRequest;
import providers.FieldInfo;
import providers.GuardedHttpEndpoint;
import providers.PermanentProviderException;
import providers.ProviderDescriptor;
import providers.ProviderDescriptor.CredentialField;
import providers.ProviderException;
import providers.ReadOnlyRecords;
import providers.WebhookSubscription;
import security.InvalidCredentialsException;
import security.OutboundGuard;

/**
 * Gong (API v2) over camel-http through {@link GongClient}: its calls become records of the entity {@code calls}
 * (mapped to {@code c_note}: title, time, duration, direction, parties, the transcript's text, the call's URL), and each
 * call's external parties become derived {@code c_contact} shards (name, email, title, company) that entity resolution
 * joins to the CRMs' contacts, linked from the call's note as {@code participant}.
 *
 * <p>A page is two requests: {@code POST /v2/calls/extensive} (parties, brief, topics; Gong's {@code records.cursor}
 * pages it) and {@code POST /v2/calls/transcript} for the page's calls. An incremental pass asks for calls from
 * {@code fromDateTime} = the last pass's latest call time less a look-back ({@code hub.providers.gong.lookback}, for
 * calls Gong lists only after it has processed them, and changes to recent ones); Gong has no "modified since" filter.
 * A window without calls answers 404, which is an empty page, not an error. Records are not assumed to come in time
 * order: the pass goes on by Gong's cursor and the last page names the latest call time seen as the next pass's start.
 * Gong lists no deletions and takes no writes; its webhooks are automation rules set up in Gong, not through its API.
 */
@Component
public class GongAdapter implements ReadOnlyRecords {

    public static final String PROVIDER_ID = GongClient.PROVIDER_ID;
    /** Access key and its secret (Gong's Basic auth), with the company's API base URL. */
    public static final String ACCESS_KEY_TYPE = "access_key";
    static final String CALLS = "calls";

    private static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor(
            PROVIDER_ID, "Gong", "communication", "active", "tenant",
            List.of(ACCESS_KEY_TYPE, "oauth2_authorization_code"),
            List.of(CALLS),
            List.of(new CredentialField(GongClient.ACCESS_KEY, true, false, "Access key (Company settings > Ecosystem > API)"),
                    new CredentialField(GongClient.ACCESS_KEY_SECRET, true, true, "Access key secret"),
                    new CredentialField(GongClient.BASE_URL, false, false, "The company's API base URL shown with the key, e.g."
                            + " https://us-12345.api.gong.io; default " + GongClient.DEFAULT_BASE_URL)),
            // Gong's 3 calls a second; its 10,000 a day are counted by the client (DailyAllowance)
            3, Duration.ofSeconds(1));

    private final GongClient client;
    private final ObjectMapper json;
    private final OutboundGuard guard;
    private final Duration lookback;

    GongAdapter(GongClient client, ObjectMapper json, OutboundGuard guard, @Value("${hub.providers.gong.lookback:24h}") Duration lookback) {
        this.client = client;
        this.json = json;
        this.guard = guard;
        this.lookback = lookback.isNegative() ? Duration.ZERO : lookback;
    }

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** An access key connection: no whitespace in the key, a checked base URL (default Gong's generic one). */
    @Override
    public Map<String, String> normalizeCredentials(Map<String, String> credentials) {
        if (credentials.containsKey("clientId")) {
            return credentials;
        }
        Map<String, String> normalized = new LinkedHashMap<>(credentials);
        for (String field : List.of(GongClient.ACCESS_KEY, GongClient.ACCESS_KEY_SECRET)) {
            String value = normalized.get(field);
            if (value != null && value.chars().anyMatch(Character::isWhitespace)) {
                throw new InvalidCredentialsException(field, "must not contain whitespace");
            }
        }
        if (normalized.get(GongClient.ACCESS_KEY) != null && normalized.get(GongClient.ACCESS_KEY).contains(":")) {
            throw new InvalidCredentialsException(GongClient.ACCESS_KEY, "must not contain ':' (it is sent as Basic auth's user)");
        }
        String base = normalized.getOrDefault(GongClient.BASE_URL, GongClient.DEFAULT_BASE_URL);
        guard.checkBaseUrl(GongClient.BASE_URL, base, "https://us-12345.api.gong.io");
        if (base.endsWith("/v2") || base.endsWith("/v2/")) {
            throw new InvalidCredentialsException(GongClient.BASE_URL, "give the host only, without /v2 (e.g. https://us-12345.api.gong.io)");
        }
        normalized.put(GongClient.BASE_URL, base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        return normalized;
    }

    @Override
    public void connect(ConnectionContext connection) {
    }

    @Override
    public void disconnect(ConnectionContext connection) {
        client.forget(connection.integrationId());
    }

    /** One real call: the calls of the last day (none is fine: Gong's 404). */
    @Override
    public ConnectionTestResult testConnection(ConnectionContext connection) {
        try {
            String from = Instant.now().minus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
            client.send(connection, "connection test", "GET", "/v2/calls?fromDateTime=" + from, null, 404);
            return ConnectionTestResult.success("Gong company at " + GuardedHttpEndpoint.host(GongClient.baseUrl(connection)));
        } catch (ProviderException e) {
            return ConnectionTestResult.failure(e.getMessage());
        }
    }

    @Override
    public void checkSources(ConnectionContext connection) {
        for (String entity : connection.sources().keySet()) {
            if (!entity.equals(ConnectionContext.ANY_ENTITY) && !CALLS.equals(entity)) {
                throw new InvalidInputException("sources." + entity, "Gong has no entity '" + entity + "' (known: calls)");
            }
            if (!connection.sources().get(entity).isEmpty()) {
                throw new InvalidInputException("sources." + entity, "Gong reads every call the credentials see; it takes no sources");
            }
        }
    }

    /** The extensive page and its transcripts. */
    @Override
    public int requestsPerPage(String entity) {
        return 2;
    }

    /** Gong's order of calls is not documented: a pass goes on by its cursor, see {@link PassCursor}. */
    @Override
    public boolean recordsInMarkerOrder() {
        return false;
    }

    @Override
    public FetchPage fetchRecords(ConnectionContext connection, FetchRequest request) {
        entity(request.entity());
        if (request.filters() != null && !request.filters().isEmpty()) {
            throw new PermanentProviderException("Gong pull filters are not supported: Gong filters calls by date only");
        }
        PassCursor cursor = request.pageCursor() == null ? PassCursor.start(request.since(), lookback) : PassCursor.decode(request.pageCursor());
        ObjectNode body = json.createObjectNode();
        ObjectNode filter = body.putObject("filter");
        if (cursor.from() != null) {
            filter.put("fromDateTime", cursor.from());
        }
        if (cursor.gongCursor() != null) {
            body.put("cursor", cursor.gongCursor());
        }
        ObjectNode selector = body.putObject("contentSelector");
        selector.put("context", "Extended");
        selector.putArray("contextTiming").add("Now");
        ObjectNode exposed = selector.putObject("exposedFields");
        exposed.put("parties", true);
        exposed.putObject("content").put("brief", true).put("topics", true);
        GuardedHttpEndpoint.JsonAnswer answer = client.send(connection, "list calls", "POST", "/v2/calls/extensive", body, 404);
        if (answer.status() == 404) {
            // no calls in the window: Gong's way of saying so
            return new FetchPage(List.of(), null, 0, List.of(), cursor.latest());
        }
        JsonNode page = client.body(answer, "call list");
        List<JsonNode> calls = new ArrayList<>();
        page.path("calls").forEach(calls::add);
        Map<String, JsonNode> transcripts = transcripts(connection, calls);
        List<Map<String, Object>> records = new ArrayList<>();
        String latest = cursor.latest();
        for (JsonNode call : calls) {
            Map<String, Object> record = GongCalls.record(call, transcripts.get(call.path("metaData").path("id").asText()));
            String marker = (String) record.get(GongCalls.MARKER);
            if (marker == null || record.get(GongCalls.ID).toString().isBlank()) {
                throw new PermanentProviderException("Gong listed a call without an id or a time");
            }
            latest = PassCursor.later(latest, marker);
            records.add(record);
        }
        records.sort(Comparator.comparing(r -> (String) r.get(GongCalls.MARKER)));
        String next = page.path("records").path("cursor").asText(null);
        if (next != null && !next.isBlank()) {
            if (next.equals(cursor.gongCursor())) {
                throw new PermanentProviderException("Gong repeated a page cursor of the calls");
            }
            return new FetchPage(records, cursor.next(next, latest).encode(), page.path("records").path("totalRecords").asLong(records.size()));
        }
        return new FetchPage(records, null, records.size(), List.of(), latest);
    }

    /** The transcripts of a page's calls by call id (Gong leaves out calls without one; no transcripts at all is its 404). */
    private Map<String, JsonNode> transcripts(ConnectionContext connection, List<JsonNode> calls) {
        Map<String, JsonNode> byCall = new HashMap<>();
        if (calls.isEmpty()) {
            return byCall;
        }
        ObjectNode body = json.createObjectNode();
        ObjectNode filter = body.putObject("filter");
        ArrayNode ids = filter.putArray("callIds");
        Instant first = null;
        Instant last = null;
        for (JsonNode call : calls) {
            ids.add(call.path("metaData").path("id").asText());
            Instant at = GongCalls.instant(GongCalls.windowTime(call.path("metaData")));
            if (at != null) {
                first = first == null || at.isBefore(first) ? at : first;
                last = last == null || at.isAfter(last) ? at : last;
            }
        }
        if (first != null) {
            // the calls' own window, as Gong may want dates beside ids; to is exclusive
            filter.put("fromDateTime", first.toString()).put("toDateTime", last.plusSeconds(1).toString());
        }
        String cursor = null;
        do {
            if (cursor != null) {
                body.put("cursor", cursor);
            }
            GuardedHttpEndpoint.JsonAnswer answer = client.send(connection, "read transcripts", "POST", "/v2/calls/transcript", body, 404);
            if (answer.status() == 404) {
                break;
            }
            JsonNode page = client.body(answer, "transcript list");
            page.path("callTranscripts").forEach(t -> byCall.put(t.path("callId").asText(), t));
            String next = page.path("records").path("cursor").asText(null);
            cursor = next == null || next.isBlank() || next.equals(cursor) ? null : next;
        } while (cursor != null);
        return byCall;
    }

    /** Gong lists no deletions: a call deleted there stays in the hub (see the README). */
    @Override
    public DeletedRecords fetchDeleted(ConnectionContext connection, String entity, Instant from, Instant to) {
        entity(entity);
        return new DeletedRecords(List.of(), to);
    }

    @Override
    public String readOnlyReason() {
        return "Gong calls are read-only through Gong's API: the hub never writes them back";
    }

    /** One call as Gong holds it now (its extensive entry and transcript); empty when Gong no longer lists it. */
    @Override
    public Optional<Map<String, Object>> fetchRecord(ConnectionContext connection, String entity, String externalId, Set<String> fields) {
        entity(entity);
        if (externalId == null || !externalId.matches("[0-9]{1,20}")) {
            throw new PermanentProviderException("not a Gong call id: '" + (externalId == null ? "" : externalId.length() > 40
                    ? externalId.substring(0, 40) + "..." : externalId) + "'");
        }
        ObjectNode body = json.createObjectNode();
        body.putObject("filter").putArray("callIds").add(externalId);
        ObjectNode selector = body.putObject("contentSelector");
        selector.put("context", "Extended");
        selector.putObject("exposedFields").put("parties", true).putObject("content").put("brief", true).put("topics", true);
        GuardedHttpEndpoint.JsonAnswer answer = client.send(connection, "read call", "POST", "/v2/calls/extensive", body, 404);
        if (answer.status() == 404 || client.body(answer, "call").path("calls").isEmpty()) {
            return Optional.empty();
        }
        JsonNode call = answer.body().path("calls").get(0);
        return Optional.of(GongCalls.record(call, transcripts(connection, List.of(call)).get(externalId)));
    }

    /**
     * Gong's webhooks are automation rules made in Gong's UI (Automation rules, webhook action: the URL and a signed JWT
     * or a key in the URL), not through its API; the hub reads calls by polling.
     */
    @Override
    public WebhookSubscription registerWebhook(ConnectionContext connection, List<String> events, String callbackUrl, String secret) {
        throw new PermanentProviderException("Gong webhooks are automation rules made in Gong's settings, not through its API;"
                + " the hub reads Gong's calls by scheduled sync");
    }

    @Override
    public List<EntityInfo> discoverEntities(ConnectionContext connection) {
        return List.of(new EntityInfo(CALLS, "Calls (with parties and transcript)", true, false, false, false));
    }

    @Override
    public List<FieldInfo> discoverFields(ConnectionContext connection, String entity) {
        entity(entity);
        List<FieldInfo> fields = new ArrayList<>();
        for (String name : List.of(GongCalls.ID, "title", "url", "scheduled", "started", GongCalls.MARKER, "durationSeconds", "direction",
                "system", "scope", "media", "language", "purpose", "workspaceId", "primaryUserId", "meetingUrl", "host", "parties",
                "partyCount", "brief", "topics", "transcript")) {
            fields.add(new FieldInfo(name, name, name.equals("durationSeconds") || name.equals("partyCount") ? "integer" : "string",
                    false, false, true));
        }
        for (int i = 1; i <= GongCalls.PARTY_SLOTS; i++) {
            fields.add(new FieldInfo("party" + i, "External party " + i + " (name, firstName, lastName, email, title, company)", "object",
                    false, false, true));
        }
        return fields;
    }

    @Override
    public AdapterHealth health(ConnectionContext connection) {
        return client.health(connection);
    }

    private static void entity(String entity) {
        if (!CALLS.equalsIgnoreCase(entity == null ? "" : entity)) {
            throw new PermanentProviderException("Gong has no entity '" + entity + "' (known: calls)");
        }
    }
}
