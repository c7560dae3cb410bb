package sandbox.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * CRM v4 associations between companies, contacts and deals: a record's associations of one type (paged), default and
 * labeled creation, removal, and the batch endpoints (read, create, associate default, archive). Object types are
 * named by plural, singular or type id; associations are visible from both sides.
 */
@RestController
@ConditionalOnProperty(name = "hub.sandbox.enabled", havingValue = "true")
public class HubSpotAssociationsController extends HubSpotApiSupport {

    static final String RECORD = BASE + "/crm/v4/objects/{fromType}/{fromId}/associations";
    static final String BATCH = BASE + "/crm/v4/associations/{fromType}/{toType}/batch";
    static final int DEFAULT_LIMIT = 500;
    static final int MAX_LIMIT = 500;
    static final int MAX_BATCH_READ = 1_000;
    static final int MAX_BATCH_WRITE = 2_000;

    public HubSpotAssociationsController(HubSpotPortals portals, HubSpotTokens tokens,
            HubSpotSandboxProperties properties) {
        super(portals, tokens, properties);
    }

    /** {@code {"results": [{"toObjectId": 5790939450, "associationTypes": [...]}], "paging"?}}, by target id. */
    @GetMapping(RECORD + "/{toType}")
    public ResponseEntity<byte[]> list(@PathVariable String fromType, @PathVariable String fromId,
            @PathVariable String toType, HttpServletRequest request) {
        HubSpotPortal portal = authenticate(request, Call.API);
        HubSpotObjectType from = objectType(fromType);
        HubSpotObjectType to = objectType(toType);
        int limit = limit(request.getParameter("limit"));
        String after = request.getParameter("after");
        Long start = after == null || after.isBlank() ? Long.valueOf(Long.MIN_VALUE) : parseId(after);
        if (start == null) {
            throw HubSpotApiException.validation("after: " + after + " is not a valid paging cursor");
        }
        Long id = parseId(fromId);
        NavigableMap<Long, Boolean> targets = id == null ? null : portal.associations(from, id, to);
        List<Map<String, Object>> results = new ArrayList<>();
        Long next = null;
        if (targets != null && AssociationTypes.unlabeled(from, to).isPresent()) {
            for (Map.Entry<Long, Boolean> target : targets.tailMap(start, true).entrySet()) {
                if (results.size() == limit) {
                    next = target.getKey();
                    break;
                }
                results.add(associated(from, to, target.getKey(), target.getValue()));
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("results", results);
        if (next != null) {
            Map<String, Object> nextPage = new LinkedHashMap<>();
            nextPage.put("after", Long.toString(next));
            nextPage.put("link", baseUrl(request) + "/crm/v4/objects/" + from.singular() + "/" + id + "/associations/"
                    + to.singular() + "?limit=" + limit + "&after=" + next);
            body.put("paging", Map.of("next", nextPage));
        }
        return ok(body, request);
    }

    /** The default (unlabeled) association; Primary too when the contact or deal has no primary company yet. */
    @PutMapping(RECORD + "/default/{toType}/{toId}")
    public ResponseEntity<byte[]> createDefault(@PathVariable String fromType, @PathVariable String fromId,
            @PathVariable String toType, @PathVariable String toId, HttpServletRequest request) {
        HubSpotPortal portal = authenticate(request, Call.API);
        Instant started = portal.now();
        Map<String, Object> result = associateDefault(portal, objectType(fromType), objectType(toType), fromId, toId);
        return ok(RecordViews.batch(List.of(result), List.of(), started, portal.now()), request);
    }

    /** Labeled creation: the body is a JSON array of {@code {"associationCategory", "associationTypeId"}}. 201. */
    @PutMapping(RECORD + "/{toType}/{toId}")
    public ResponseEntity<byte[]> create(@PathVariable String fromType, @PathVariable String fromId,
            @PathVariable String toType, @PathVariable String toId, @RequestBody(required = false) byte[] body,
            HttpServletRequest request) {
        HubSpotPortal portal = authenticate(request, Call.API);
        HubSpotObjectType from = objectType(fromType);
        HubSpotObjectType to = objectType(toType);
        JsonNode specs = HubSpotJson.read(body, true);
        return json(HttpStatus.CREATED, associateLabeled(portal, from, to, fromId, toId, specs), request);
    }

    /** Removes the association with all its labels: 204, whether or not there was one. */
    @DeleteMapping(RECORD + "/{toType}/{toId}")
    public ResponseEntity<byte[]> archive(@PathVariable String fromType, @PathVariable String fromId,
            @PathVariable String toType, @PathVariable String toId, HttpServletRequest request) {
        HubSpotPortal portal = authenticate(request, Call.API);
        HubSpotObjectType from = objectType(fromType);
        HubSpotObjectType to = objectType(toType);
        Long a = parseId(fromId);
        Long b = parseId(toId);
        if (a != null && b != null) {
            portal.dissociate(from, a, to, b);
        }
        return noContent(request);
    }

    /**
     * {@code {"inputs": [{"id": "..."}]}}: per input its associations of the target type. An input without any (or a
     * record that does not exist) is an error entry, and the answer 207.
     */
    @PostMapping(BATCH + "/read")
    public ResponseEntity<byte[]> batchRead(@PathVariable String fromType, @PathVariable String toType,
            @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        HubSpotPortal portal = authenticate(request, Call.API);
        HubSpotObjectType from = objectType(fromType);
        HubSpotObjectType to = objectType(toType);
        Instant started = portal.now();
        JsonNode root = HubSpotJson.read(body, false);
        List<Map<String, Object>> results = new ArrayList<>();
        List<Map<String, Object>> errors = new ArrayList<>();
        for (JsonNode input : HubSpotObjectsController.inputs(root, MAX_BATCH_READ)) {
            String text = HubSpotObjectsController.text(input.get("id"));
            if (text == null) {
                throw HubSpotApiException.validation("Invalid input JSON: each input needs an id");
            }
            Long id = parseId(text);
            NavigableMap<Long, Boolean> targets = id == null || AssociationTypes.unlabeled(from, to).isEmpty() ? null
                    : portal.associations(from, id, to);
            if (targets == null || targets.isEmpty()) {
                Map<String, Object> error = RecordViews.batchError("OBJECT_NOT_FOUND", "No " + to.singular()
                        + " is associated with " + from.singular() + " " + text + ".", Map.of("fromObjectId", List.of(text)));
                error.put("subCategory", "crm.associations.NO_ASSOCIATIONS_FOUND");
                errors.add(error);
                continue;
            }
            List<Map<String, Object>> associated = new ArrayList<>();
            targets.forEach((toId, primary) -> associated.add(associated(from, to, toId, primary)));
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("from", Map.of("id", text));
            result.put("to", associated);
            results.add(result);
        }
        return json(errors.isEmpty() ? HttpStatus.OK : HttpStatus.MULTI_STATUS,
                RecordViews.batch(results, errors, started, portal.now()), request);
    }

    /** {@code {"inputs": [{"from": {"id"}, "to": {"id"}, "types": [...]}]}}: 201. */
    @PostMapping(BATCH + "/create")
    public ResponseEntity<byte[]> batchCreate(@PathVariable String fromType, @PathVariable String toType,
            @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        HubSpotPortal portal = authenticate(request, Call.API);
        HubSpotObjectType from = objectType(fromType);
        HubSpotObjectType to = objectType(toType);
        Instant started = portal.now();
        JsonNode root = HubSpotJson.read(body, false);
        List<Map<String, Object>> results = new ArrayList<>();
        for (JsonNode input : HubSpotObjectsController.inputs(root, MAX_BATCH_WRITE)) {
            JsonNode types = input.get("types");
            if (types == null || !types.isArray()) {
                throw HubSpotApiException.validation("Invalid input JSON: each input needs types");
            }
            results.add(associateLabeled(portal, from, to, HubSpotObjectsController.text(input.path("from").get("id")),
                    HubSpotObjectsController.text(input.path("to").get("id")), types));
        }
        return json(HttpStatus.CREATED, RecordViews.batch(results, List.of(), started, portal.now()), request);
    }

    /** {@code {"inputs": [{"from": {"id"}, "to": {"id"}}]}}: 200. */
    @PostMapping(BATCH + "/associate/default")
    public ResponseEntity<byte[]> batchDefault(@PathVariable String fromType, @PathVariable String toType,
            @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        HubSpotPortal portal = authenticate(request, Call.API);
        HubSpotObjectType from = objectType(fromType);
        HubSpotObjectType to = objectType(toType);
        Instant started = portal.now();
        JsonNode root = HubSpotJson.read(body, false);
        List<Map<String, Object>> results = new ArrayList<>();
        for (JsonNode input : HubSpotObjectsController.inputs(root, MAX_BATCH_WRITE)) {
            results.add(associateDefault(portal, from, to, HubSpotObjectsController.text(input.path("from").get("id")),
                    HubSpotObjectsController.text(input.path("to").get("id"))));
        }
        return ok(RecordViews.batch(results, List.of(), started, portal.now()), request);
    }

    /** {@code {"inputs": [{"from": {"id"}, "to": [{"id"}]}]}}: 204. */
    @PostMapping(BATCH + "/archive")
    public ResponseEntity<byte[]> batchArchive(@PathVariable String fromType, @PathVariable String toType,
            @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        HubSpotPortal portal = authenticate(request, Call.API);
        HubSpotObjectType from = objectType(fromType);
        HubSpotObjectType to = objectType(toType);
        JsonNode root = HubSpotJson.read(body, false);
        for (JsonNode input : HubSpotObjectsController.inputs(root, MAX_BATCH_WRITE)) {
            Long a = parseId(HubSpotObjectsController.text(input.path("from").get("id")));
            JsonNode targets = input.get("to");
            if (a == null || targets == null || !targets.isArray()) {
                throw HubSpotApiException.validation("Invalid input JSON: each input needs from.id and a to array");
            }
            for (JsonNode target : targets) {
                Long b = parseId(HubSpotObjectsController.text(target.get("id")));
                if (b != null) {
                    portal.dissociate(from, a, to, b);
                }
            }
        }
        return noContent(request);
    }

    private static Map<String, Object> associateDefault(HubSpotPortal portal, HubSpotObjectType from,
            HubSpotObjectType to, String fromId, String toId) {
        AssociationTypes.Spec spec = AssociationTypes.unlabeled(from, to).orElseThrow(() -> notAssociable(from, to));
        long a = requireId(fromId);
        long b = requireId(toId);
        // the first company of a contact or deal becomes its primary one
        boolean primary = false;
        if (from == HubSpotObjectType.COMPANIES || to == HubSpotObjectType.COMPANIES) {
            HubSpotObjectType childType = from == HubSpotObjectType.COMPANIES ? to : from;
            long child = from == HubSpotObjectType.COMPANIES ? b : a;
            NavigableMap<Long, Boolean> companies = portal.associations(childType, child, HubSpotObjectType.COMPANIES);
            primary = companies != null && !companies.containsValue(Boolean.TRUE);
        }
        portal.associate(from, a, to, b, primary);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("from", Map.of("id", Long.toString(a)));
        result.put("to", Map.of("id", Long.toString(b)));
        result.put("associationSpec", Map.of("associationCategory", "HUBSPOT_DEFINED", "associationTypeId", spec.typeId()));
        return result;
    }

    private static Map<String, Object> associateLabeled(HubSpotPortal portal, HubSpotObjectType from,
            HubSpotObjectType to, String fromId, String toId, JsonNode specs) {
        if (AssociationTypes.unlabeled(from, to).isEmpty()) {
            throw notAssociable(from, to);
        }
        long a = requireId(fromId);
        long b = requireId(toId);
        if (specs.isEmpty()) {
            throw HubSpotApiException.validation("Invalid input JSON: at least one association type is needed");
        }
        boolean primary = false;
        List<String> labels = new ArrayList<>();
        for (JsonNode node : specs) {
            AssociationTypes.Spec spec = HubSpotObjectsController.associationSpec(from, node);
            if (spec.to() != to) {
                throw HubSpotApiException.validation("associationTypeId " + spec.typeId() + " associates "
                        + from.singular() + " to " + spec.to().singular() + ", not to " + to.singular());
            }
            primary |= spec.primary();
            if (spec.label() != null && !labels.contains(spec.label())) {
                labels.add(spec.label());
            }
        }
        portal.associate(from, a, to, b, primary);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("fromObjectTypeId", from.typeId());
        result.put("fromObjectId", a);
        result.put("toObjectTypeId", to.typeId());
        result.put("toObjectId", b);
        result.put("labels", labels);
        return result;
    }

    /** {@code {"toObjectId": n, "associationTypes": [{"category", "typeId", "label"}]}}: Primary first. */
    private static Map<String, Object> associated(HubSpotObjectType from, HubSpotObjectType to, long toId,
            boolean primary) {
        List<Map<String, Object>> types = new ArrayList<>();
        for (AssociationTypes.Spec spec : AssociationTypes.of(from, to, primary)) {
            Map<String, Object> type = new LinkedHashMap<>();
            type.put("category", "HUBSPOT_DEFINED");
            type.put("typeId", spec.typeId());
            type.put("label", spec.label());
            types.add(type);
        }
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("toObjectId", toId);
        item.put("associationTypes", types);
        return item;
    }

    private static long requireId(String text) {
        Long id = parseId(text);
        if (id == null) {
            throw HubSpotApiException.validation("Invalid input JSON: " + text + " is not a record id");
        }
        return id;
    }

    private static HubSpotApiException notAssociable(HubSpotObjectType from, HubSpotObjectType to) {
        return HubSpotApiException.validation(from.singular() + " records cannot be associated with " + to.singular()
                + " records in the sandbox");
    }

    private static int limit(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text.trim());
            if (limit < 1) {
                throw HubSpotApiException.validation("limit: must be at least 1, got " + text);
            }
            return Math.min(limit, MAX_LIMIT);
        } catch (NumberFormatException e) {
            throw HubSpotApiException.validation("limit: not a number: " + text);
        }
    }
}
