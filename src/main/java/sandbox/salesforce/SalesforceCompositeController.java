package sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Salesforce's Composite API, the parts a batching client needs: sObject Collections retrieve
 * ({@code GET /composite/sobjects/{T}?ids=&fields=}, and the POST form with a body) and the Composite resource
 * ({@code POST /composite}: up to 25 subrequests on sObject rows, each with its own {@code httpHeaders}, so a PATCH
 * can carry {@code If-Unmodified-Since} and fail alone with 412). Each request is one API call against the org's
 * limits, however many records or subrequests it carries, as in Salesforce.
 *
 * <p>Subrequests may GET, PATCH, POST (create) and DELETE sObject rows ({@code /services/data/vXX.X/sobjects/...});
 * other resources answer that subrequest 404, and {@code @{ref.field}} references are not resolved. With
 * {@code allOrNone: true} only GET and PATCH subrequests are taken (so the sandbox can apply them atomically).
 *
 * <p>Checked against Salesforce's REST API guide ("Send Multiple Requests Using Composite", "Composite Request Body",
 * "Get Records Using sObject Collections", its POST form): 25 subrequests, one API call per request, {@code httpHeaders}
 * per subrequest except Accept, Authorization and Content-Type (400 for the whole request), a 200 with one result per
 * subrequest ({@code body}, {@code httpHeaders}, {@code httpStatusCode}, {@code referenceId}) whatever they answer,
 * {@code allOrNone} rolling everything back; retrieve answers one entry per id, null for an invalid or unreadable one,
 * 400 for an unknown field, 2,000 ids at most. UNVERIFIED (from memory, not found in the docs): the error codes and
 * texts of a malformed request ({@code INVALID_API_INPUT}), of a retrieve without ids or fields ({@code MISSING_ARGUMENT})
 * or with too many ({@code EXCEEDED_ID_LIMIT}), the {@code PROCESSING_HALTED} text of rolled-back subrequests, and the
 * {@code Location} header of a created record's result.
 */
@RestController
@ConditionalOnProperty(name = "hub.sandbox.enabled", havingValue = "true")
public class SalesforceCompositeController extends SalesforceRestSupport {

    /** Subrequests in one Composite request [SF "Composite": "up to 25 subrequests"]. */
    static final int MAX_SUBREQUESTS = 25;
    /** Ids in one sObject Collections retrieve [SF: POST "up to 2,000 records"; GET is bounded by the URL length, ~800]. */
    static final int MAX_RETRIEVE_IDS = 2000;
    private static final String COLLECTION = DATA + "/composite/sobjects/{type}";
    private static final Pattern SUBREQUEST_URL = Pattern.compile(
            "/services/data/(v\\d+\\.\\d+)/sobjects/([A-Za-z0-9_]+)(?:/([A-Za-z0-9]+))?/?(?:\\?(.*))?");
    private static final Pattern REFERENCE_ID = Pattern.compile("[A-Za-z0-9_]+");
    /** Headers a subrequest inherits from the top-level request and may not set itself [SF "Composite Subrequest"]. */
    private static final Set<String> INHERITED_HEADERS = Set.of("accept", "authorization", "content-type");

    public SalesforceCompositeController(SandboxOrgs orgs, SandboxTokens tokens, SalesforceSandboxProperties properties) {
        super(orgs, tokens, properties);
    }

    // ------------------------------------------------------------------ sObject Collections retrieve

    @GetMapping({COLLECTION, COLLECTION + "/"})
    public ResponseEntity<byte[]> retrieve(@PathVariable String version, @PathVariable String type, HttpServletRequest request) {
        SandboxOrg org = authenticate(request);
        return ok(retrieve(org, version, type, split(queryParameter(request, "ids")), split(queryParameter(request, "fields"))), request);
    }

    /** The POST form: {@code {"ids": [...], "fields": [...]}} in the body, for more ids than a URL holds. */
    @PostMapping({COLLECTION, COLLECTION + "/"})
    public ResponseEntity<byte[]> retrieveWithBody(@PathVariable String version, @PathVariable String type,
            @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        SandboxOrg org = authenticate(request);
        JsonNode root = SandboxJson.readObject(body);
        return ok(retrieve(org, version, type, strings(root.path("ids")), strings(root.path("fields"))), request);
    }

    private static List<Map<String, Object>> retrieve(SandboxOrg org, String version, String type, List<String> ids, List<String> fields) {
        SObjectSchema schema = SalesforceSObjectController.schema(type);
        if (ids.isEmpty()) {
            throw SalesforceApiException.badRequest("MISSING_ARGUMENT", "ids: parameter value must be provided");
        }
        if (fields.isEmpty()) {
            throw SalesforceApiException.badRequest("MISSING_ARGUMENT", "fields: parameter value must be provided");
        }
        if (ids.size() > MAX_RETRIEVE_IDS) {
            throw SalesforceApiException.badRequest("EXCEEDED_ID_LIMIT", "too many ids: " + ids.size() + " (at most "
                    + MAX_RETRIEVE_IDS + ")");
        }
        List<SObjectField> selected = SalesforceSObjectController.selectedFields(schema, String.join(",", fields));
        List<Map<String, Object>> records = new ArrayList<>();
        for (String id : ids) {
            // an invalid id, one of another object, or a record the user cannot see is null in its place
            String normalized = SalesforceIds.normalize(id);
            SandboxRecord record = normalized == null || !normalized.startsWith(schema.keyPrefix()) ? null : org.get(schema, normalized);
            records.add(record == null || record.isDeleted() ? null : SandboxJson.record(record, selected, version));
        }
        return records;
    }

    // ------------------------------------------------------------------ Composite

    /** One subrequest as read: its method, target and body; {@code refusal} when it cannot run at all. */
    private record Subrequest(String referenceId, String method, String version, SObjectSchema type, String id, String query,
                              JsonNode body, Map<String, String> headers) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    @PostMapping({DATA + "/composite", DATA + "/composite/"})
    public ResponseEntity<byte[]> composite(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        SandboxOrg org = authenticate(request);
        JsonNode root = SandboxJson.readObject(body);
        JsonNode requests = root.path("compositeRequest");
        if (!requests.isArray() || requests.isEmpty()) {
            throw invalidInput("compositeRequest: at least one subrequest is required");
        }
        if (requests.size() > MAX_SUBREQUESTS) {
            throw invalidInput("compositeRequest: at most " + MAX_SUBREQUESTS + " subrequests are allowed, got " + requests.size());
        }
        boolean allOrNone = root.path("allOrNone").asBoolean(false);
        List<Object> read = new ArrayList<>();
        Set<String> referenceIds = new HashSet<>();
        for (JsonNode sub : requests) {
            read.add(subrequest(sub, referenceIds, allOrNone));
        }
        List<Map<String, Object>> responses = allOrNone ? allOrNone(org, read) : each(org, read);
        return ok(Map.of("compositeResponse", responses), request);
    }

    /** Each subrequest on its own: one failing does not stop the others. */
    private List<Map<String, Object>> each(SandboxOrg org, List<Object> read) {
        List<Map<String, Object>> responses = new ArrayList<>();
        for (Object r : read) {
            if (r instanceof Unrouted u) {
                responses.add(failure(u.referenceId(), SalesforceApiException.notFound()));
                continue;
            }
            Subrequest sub = (Subrequest) r;
            try {
                responses.add(run(org, sub));
            } catch (SalesforceApiException e) {
                responses.add(failure(sub.referenceId(), e));
            }
        }
        return responses;
    }

    /** All or none: reads first, then every PATCH together; one refusal rolls the rest back (PROCESSING_HALTED). */
    private List<Map<String, Object>> allOrNone(SandboxOrg org, List<Object> read) {
        int failed = -1;
        SalesforceApiException error = null;
        List<SandboxOrg.Update> updates = new ArrayList<>();
        List<Integer> updateAt = new ArrayList<>();
        for (int i = 0; i < read.size() && failed < 0; i++) {
            if (read.get(i) instanceof Unrouted) {
                failed = i;
                error = SalesforceApiException.notFound();
                break;
            }
            Subrequest sub = (Subrequest) read.get(i);
            if (sub.method().equals("PATCH")) {
                try {
                    updates.add(new SandboxOrg.Update(sub.type(), SalesforceSObjectController.recordId(sub.type(), sub.id()),
                            SObjectWrites.read(sub.type(), bytes(sub.body()), false), preconditions(sub)));
                    updateAt.add(i);
                } catch (SalesforceApiException e) {
                    failed = i;
                    error = e;
                }
            }
        }
        if (failed < 0) {
            try {
                org.updateAll(updates);
            } catch (SandboxOrg.Refused refused) {
                failed = updateAt.get(refused.index());
                error = refused.error();
            }
        }
        List<Map<String, Object>> responses = new ArrayList<>();
        for (int i = 0; i < read.size(); i++) {
            String referenceId = read.get(i) instanceof Subrequest s ? s.referenceId() : ((Unrouted) read.get(i)).referenceId();
            if (failed >= 0) {
                responses.add(failure(referenceId, i == failed ? error : new SalesforceApiException(HttpStatus.BAD_REQUEST,
                        "PROCESSING_HALTED", "The transaction was rolled back since another operation in the same transaction failed.")));
                continue;
            }
            Subrequest sub = (Subrequest) read.get(i);
            responses.add(sub.method().equals("PATCH") ? response(sub.referenceId(), HttpStatus.NO_CONTENT, null, Map.of()) : run(org, sub));
        }
        return responses;
    }

    private Map<String, Object> run(SandboxOrg org, Subrequest sub) {
        SObjectSchema schema = sub.type();
        switch (sub.method()) {
            case "GET" -> {
                SandboxRecord record = org.get(schema, SalesforceSObjectController.recordId(schema, requireId(sub)));
                if (record == null || record.isDeleted()) {
                    throw SalesforceApiException.notFound();
                }
                String fields = fieldsOf(sub.query());
                return response(sub.referenceId(), HttpStatus.OK, SandboxJson.record(record,
                        SalesforceSObjectController.selectedFields(schema, fields), sub.version()), Map.of());
            }
            case "PATCH" -> {
                org.update(schema, SalesforceSObjectController.recordId(schema, requireId(sub)),
                        SObjectWrites.read(schema, bytes(sub.body()), false), preconditions(sub));
                return response(sub.referenceId(), HttpStatus.NO_CONTENT, null, Map.of());
            }
            case "DELETE" -> {
                org.delete(schema, SalesforceSObjectController.recordId(schema, requireId(sub)));
                return response(sub.referenceId(), HttpStatus.NO_CONTENT, null, Map.of());
            }
            case "POST" -> {
                if (sub.id() != null) {
                    throw methodNotAllowed("POST");
                }
                SandboxRecord created = org.create(schema, SObjectWrites.read(schema, bytes(sub.body()), true));
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("id", created.id());
                result.put("success", true);
                result.put("errors", List.of());
                return response(sub.referenceId(), HttpStatus.CREATED, result,
                        Map.of("Location", "/services/data/" + sub.version() + "/sobjects/" + schema.name() + "/" + created.id()));
            }
            default -> throw methodNotAllowed(sub.method());
        }
    }

    private static String requireId(Subrequest sub) {
        if (sub.id() == null) {
            throw methodNotAllowed(sub.method());
        }
        return sub.id();
    }

    /** A subrequest whose url names no sObject resource the sandbox serves: answered 404 in its place. */
    private record Unrouted(String referenceId) {
    }

    /** Reads a subrequest; a malformed one fails the whole request with 400, as Salesforce checks them all first. */
    private static Object subrequest(JsonNode sub, Set<String> referenceIds, boolean allOrNone) {
        String referenceId = sub.path("referenceId").asText("");
        if (referenceId.isEmpty() || !REFERENCE_ID.matcher(referenceId).matches()) {
            throw invalidInput("referenceId: required, letters, digits and underscores only: '" + referenceId + "'");
        }
        if (!referenceIds.add(referenceId)) {
            throw invalidInput("Duplicate referenceId provided in the request: " + referenceId);
        }
        String method = sub.path("method").asText("");
        if (!List.of("GET", "POST", "PATCH", "PUT", "DELETE").contains(method)) {
            throw invalidInput("method: must be one of GET, POST, PATCH, PUT, DELETE (case-sensitive), got '" + method + "'");
        }
        String url = sub.path("url").asText("");
        if (url.isEmpty()) {
            throw invalidInput("url: required in subrequest " + referenceId);
        }
        Map<String, String> headers = new TreeMap<>();
        JsonNode given = sub.path("httpHeaders");
        if (!given.isMissingNode() && !given.isNull()) {
            if (!given.isObject()) {
                throw invalidInput("httpHeaders: must be an object in subrequest " + referenceId);
            }
            for (Map.Entry<String, JsonNode> h : given.properties()) {
                String name = h.getKey().toLowerCase(Locale.ROOT);
                if (INHERITED_HEADERS.contains(name)) {
                    throw invalidInput("httpHeaders: " + h.getKey() + " is taken from the composite request and cannot be set in subrequest "
                            + referenceId);
                }
                headers.put(name, h.getValue().asText());
            }
        }
        Matcher m = SUBREQUEST_URL.matcher(url);
        if (!m.matches() || SObjectSchema.find(m.group(2)).isEmpty()) {
            return new Unrouted(referenceId);
        }
        if (allOrNone && !List.of("GET", "PATCH").contains(method)) {
            throw invalidInput("the sandbox applies allOrNone to GET and PATCH subrequests only; got " + method + " in " + referenceId);
        }
        return new Subrequest(referenceId, method, m.group(1), SObjectSchema.find(m.group(2)).orElseThrow(), m.group(3), m.group(4),
                sub.get("body"), headers);
    }

    private static Consumer<SandboxRecord> preconditions(Subrequest sub) {
        return SalesforceSObjectController.preconditions(sub::header);
    }

    private static Map<String, Object> response(String referenceId, HttpStatus status, Object body, Map<String, String> headers) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("body", body);
        response.put("httpHeaders", headers);
        response.put("httpStatusCode", status.value());
        response.put("referenceId", referenceId);
        return response;
    }

    private static Map<String, Object> failure(String referenceId, SalesforceApiException e) {
        return response(referenceId, e.status(), SandboxJson.error(e.errorCode(), e.getMessage(), e.fields()), Map.of());
    }

    private static SalesforceApiException invalidInput(String message) {
        return SalesforceApiException.badRequest("INVALID_API_INPUT", message);
    }

    private static SalesforceApiException methodNotAllowed(String method) {
        return new SalesforceApiException(HttpStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED",
                "HTTP Method '" + method + "' not allowed. Allowed are GET,PATCH,DELETE");
    }

    private static byte[] bytes(JsonNode body) {
        return body == null || body.isNull() ? null : SandboxJson.bytes(body);
    }

    private static String fieldsOf(String query) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("fields=")) {
                return java.net.URLDecoder.decode(pair.substring("fields=".length()), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static List<String> split(String value) {
        List<String> out = new ArrayList<>();
        if (value != null) {
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array.isArray()) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }
}
