package sandbox.salesforce;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.databind.JsonNode;

import sandbox.kit.WebhookDestinations;

/**
 * Sandbox only, not a Salesforce API: stands in for Setup's outbound message and workflow rule pages, so a test
 * or a demo can point an org's outbound messages at a listener. Authenticated with the org's access token like
 * the REST API; errors have the REST API's shape.
 *
 * <ul>
 *   <li>{@code POST /sandbox/salesforce/setup/outbound-messages} {@code {"name", "object", "endpointUrl",
 *       "fields": [...], "includeSessionId": false, "apiVersion": "59.0"}}: 201 with the definition. It fires
 *       whenever a record of the object is created or edited.</li>
 *   <li>{@code GET .../outbound-messages}: the org's outbound messages; {@code GET .../{id}} one of them;
 *       {@code DELETE .../{id}}: 204, dropping its pending notifications.</li>
 *   <li>{@code GET .../{id}/deliveries}: the delivery queue, as Setup's "Outbound Messaging Delivery Status".</li>
 * </ul>
 */
@RestController
@ConditionalOnProperty(name = "hub.sandbox.enabled", havingValue = "true")
public class SalesforceSetupController extends SalesforceRestSupport {

    static final String OUTBOUND_MESSAGES = BASE + "/setup/outbound-messages";
    private static final String ONE = OUTBOUND_MESSAGES + "/{id}";
    private static final Pattern API_VERSION = Pattern.compile("\\d{2}\\.0");
    private static final String DEFAULT_API_VERSION = "59.0";

    private final OutboundMessaging messaging;

    public SalesforceSetupController(SandboxOrgs orgs, SandboxTokens tokens, SalesforceSandboxProperties properties,
            OutboundMessaging messaging) {
        super(orgs, tokens, properties);
        this.messaging = messaging;
    }

    @PostMapping({OUTBOUND_MESSAGES, OUTBOUND_MESSAGES + "/"})
    public ResponseEntity<byte[]> create(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        SandboxOrg org = authenticate(request);
        JsonNode root = SandboxJson.readObject(body);
        String name = text(root, "name");
        if (name == null || name.isBlank()) {
            throw new SalesforceApiException(HttpStatus.BAD_REQUEST, "REQUIRED_FIELD_MISSING",
                    "Required fields are missing: [name]", List.of("name"));
        }
        String objectName = text(root, "object");
        if (objectName == null || objectName.isBlank()) {
            throw new SalesforceApiException(HttpStatus.BAD_REQUEST, "REQUIRED_FIELD_MISSING",
                    "Required fields are missing: [object]", List.of("object"));
        }
        SObjectSchema object = SObjectSchema.find(objectName.trim()).orElse(null);
        if (object == null) {
            throw new SalesforceApiException(HttpStatus.BAD_REQUEST, "INVALID_TYPE",
                    "sObject type '" + objectName + "' is not supported. Outbound messages can be defined on "
                            + SObjectSchema.ALL.stream().map(SObjectSchema::name).toList(), List.of("object"));
        }
        URI endpointUrl = endpointUrl(text(root, "endpointUrl"), request);
        List<SObjectField> fields = fields(object, root.get("fields"));
        boolean includeSessionId = flag(root, "includeSessionId");
        String apiVersion = text(root, "apiVersion");
        if (apiVersion == null) {
            apiVersion = DEFAULT_API_VERSION;
        } else if (!API_VERSION.matcher(apiVersion).matches()) {
            throw new SalesforceApiException(HttpStatus.BAD_REQUEST, "FIELD_INTEGRITY_EXCEPTION",
                    "apiVersion: not an API version like 59.0: " + apiVersion, List.of("apiVersion"));
        }
        OutboundMessage message = messaging.define(org, name.trim(), object, endpointUrl, fields, includeSessionId,
                SalesforceRestController.instanceUrl(request), apiVersion);
        return withLimitInfo(ResponseEntity.status(HttpStatus.CREATED), request)
                .location(URI.create(request.getRequestURL().toString().replaceAll("/+$", "") + "/" + message.id()))
                .contentType(SandboxJson.CONTENT_TYPE)
                .body(SandboxJson.bytes(message.toJson()));
    }

    @GetMapping({OUTBOUND_MESSAGES, OUTBOUND_MESSAGES + "/"})
    public ResponseEntity<byte[]> list(HttpServletRequest request) {
        SandboxOrg org = authenticate(request);
        List<Map<String, Object>> records = messaging.list(org).stream().map(OutboundMessage::toJson).toList();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("totalSize", records.size());
        result.put("records", records);
        return ok(result, request);
    }

    @GetMapping({ONE, ONE + "/"})
    public ResponseEntity<byte[]> get(@PathVariable String id, HttpServletRequest request) {
        SandboxOrg org = authenticate(request);
        OutboundMessage message = messaging.find(org, SalesforceIds.normalize(id))
                .orElseThrow(SalesforceApiException::notFound);
        return ok(message.toJson(), request);
    }

    @DeleteMapping({ONE, ONE + "/"})
    public ResponseEntity<byte[]> delete(@PathVariable String id, HttpServletRequest request) {
        SandboxOrg org = authenticate(request);
        if (!messaging.remove(org, SalesforceIds.normalize(id))) {
            throw SalesforceApiException.notFound();
        }
        return noContent(request);
    }

    @GetMapping({ONE + "/deliveries", ONE + "/deliveries/"})
    public ResponseEntity<byte[]> deliveries(@PathVariable String id, HttpServletRequest request) {
        SandboxOrg org = authenticate(request);
        OutboundMessaging.DeliveryStatus status = messaging.deliveryStatus(org, SalesforceIds.normalize(id))
                .orElseThrow(SalesforceApiException::notFound);
        List<Map<String, Object>> pending = new ArrayList<>();
        for (OutboundMessaging.PendingNotification p : status.pending()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("notificationId", p.id());
            entry.put("recordId", p.recordId());
            entry.put("queuedDate", SandboxJson.dateTime(p.queuedDate()));
            entry.put("attempts", p.attempts());
            entry.put("nextAttemptDate", SandboxJson.dateTime(p.nextAttemptDate()));
            entry.put("inFlight", p.inFlight());
            entry.put("lastError", p.lastError());
            entry.put("lastStatusCode", p.lastStatusCode());
            entry.put("lastAttemptDate", p.lastAttemptDate() == null ? null : SandboxJson.dateTime(p.lastAttemptDate()));
            pending.add(entry);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("id", status.message().id());
        result.put("name", status.message().name());
        result.put("object", status.message().object().name());
        result.put("endpointUrl", status.message().endpointUrl().toString());
        result.put("deliveredCount", status.delivered());
        result.put("droppedCount", status.dropped());
        result.put("messagesSent", status.messagesSent());
        result.put("pendingCount", pending.size());
        result.put("pending", pending);
        return ok(result, request);
    }

    private static String text(JsonNode root, String key) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw SalesforceApiException.badRequest("JSON_PARSER_ERROR", key + ": expected a string");
        }
        return node.asText();
    }

    private static boolean flag(JsonNode root, String key) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw SalesforceApiException.badRequest("JSON_PARSER_ERROR", key + ": expected true or false");
        }
        return node.booleanValue();
    }

    /** An absolute http(s) URL with a host, as Setup requires, on a host and port this sandbox may call. */
    private URI endpointUrl(String text, HttpServletRequest request) {
        try {
            return messaging.destination(text, request.getLocalPort());
        } catch (WebhookDestinations.Refused e) {
            String problem = switch (e.problem()) {
                case MISSING -> "Endpoint URL is required";
                case MALFORMED -> "Endpoint URL is not a valid URL: " + e.detail();
                default -> "Endpoint URL " + e.getMessage();
            };
            throw new SalesforceApiException(HttpStatus.BAD_REQUEST, "FIELD_INTEGRITY_EXCEPTION", problem,
                    List.of("endpointUrl"));
        }
    }

    /** The fields to send: Id always, then the others alphabetically, each once. */
    private static List<SObjectField> fields(SObjectSchema object, JsonNode node) {
        List<SObjectField> fields = new ArrayList<>();
        fields.add(object.require("Id"));
        if (node == null || node.isNull()) {
            return fields;
        }
        if (!node.isArray()) {
            throw SalesforceApiException.badRequest("JSON_PARSER_ERROR", "fields: expected an array of field names");
        }
        List<SObjectField> others = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw SalesforceApiException.badRequest("JSON_PARSER_ERROR", "fields: expected an array of field names");
            }
            String name = item.asText().trim();
            SObjectField field = object.field(name).orElseThrow(() -> new SalesforceApiException(
                    HttpStatus.BAD_REQUEST, "INVALID_FIELD",
                    "No such column '" + name + "' on entity '" + object.name() + "'", List.of(name)));
            if (field.compound()) {
                throw new SalesforceApiException(HttpStatus.BAD_REQUEST, "INVALID_FIELD", "Compound field '"
                        + field.name() + "' cannot be sent in an outbound message; select its component fields",
                        List.of(field.name()));
            }
            if (!fields.contains(field) && !others.contains(field)) {
                others.add(field);
            }
        }
        others.sort(Comparator.comparing(SObjectField::name, String.CASE_INSENSITIVE_ORDER));
        fields.addAll(others);
        return fields;
    }
}
