package sandbox.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * CRM v3 objects ({@code /crm/v3/objects/{companies|contacts|deals}}): list with {@code after} paging, read, create
 * (201), update (200), archive (204), and the batch read, create, update and archive endpoints, with HubSpot's status
 * codes per operation ({@code @hubspot/api-client} checks them exactly).
 */
@RestController
@ConditionalOnProperty(name = "hub.sandbox.enabled", havingValue = "true")
public class HubSpotObjectsController extends HubSpotApiSupport {

    static final String OBJECTS = BASE + "/crm/v3/objects/{objectType}";
    static final int DEFAULT_LIMIT = 10;
    static final int MAX_LIMIT = 100;
    static final int MAX_BATCH = 100;

    public HubSpotObjectsController(HubSpotPortals portals, HubSpotTokens tokens, HubSpotSandboxProperties properties) {
        super(portals, tokens, properties);
    }

    @GetMapping(OBJECTS)
    public ResponseEntity<byte[]> list(@PathVariable String objectType, HttpServletRequest request) {
        HubSpotPortal portal = authenticate(request, Call.API);
        HubSpotObjectType type = objectType(objectType);
        int limit = limit(request.getParameter("limit"));
        String after = request.getParameter("after");
        Long from = after == null || after.isBlank() ? Long.valueOf(Long.MIN_VALUE) : parseId(after);
        if (from == null) {
            throw HubSpotApiException.validation("after: " + after + " is not a valid paging cursor");
        }
        boolean archived = archivedParameter(request);
        List<String> properties = listParameter(request, "properties");
        List<HubSpotObjectType> associations = associationTypes(listParameter(request, "associations"));
        HubSpotPortal.Page page = portal.list(type, from, limit, archived);
        List<Map<String, Object>> results = new ArrayList<>(page.records().size());
        for (HubSpotRecord record : page.records()) {
            results.add(withAssociations(portal, record, RecordViews.record(record, properties), associations));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("results", results);
        if (page.nextAfter() != null) {
            String next = Long.toString(page.nextAfter());
            Map<String, Object> nextPage = new LinkedHashMap<>();
            nextPage.put("after", next);
            nextPage.put("link", baseUrl(request) + "/crm/v3/objects/" + type.plural() + "?limit=" + limit
                    + "&after=" + URLEncoder.encode(next, StandardCharsets.UTF_8)
                    + (archived ? "&archived=true" : ""));
            body.put("paging", Map.of("next", nextPage));
        }
        return ok(body, request);
    }

    @GetMapping(OBJECTS + "/{id}")
    public ResponseEntity<byte[]> get(@PathVariable String objectType, @PathVariable String id,
            HttpServletRequest request) {
        HubSpotPortal portal = authenticate(request, Call.API);
        HubSpotObjectType type = objectType(objectType);
        boolean archived = archivedParameter(request);
        HubSpotRecord record = find(portal, type, id, request.getParameter("idProperty"), archived);
        if (record == null || record.isArchived() != archived) {
            throw HubSpotApiException.notFound();
        }
        List<HubSpotObjectType> associations = associationTypes(listParameter(request, "associations"));
        return ok(withAssociations(portal, record, RecordViews.record(record, listParameter(request, "properties")),
                associations), request);
    }

    @PostMapping(OBJECTS)
    public ResponseEntity<byte[]> create(@PathVariable String objectType, @RequestBody(required = false) byte[] body,
            HttpServletRequest request) {
        HubSpotPortal portal = authenticate(request, Call.API);
        HubSpotObjectType type = objectType(objectType);
        JsonNode root = HubSpotJson.read(body, false);
        Map<String, String> values = PropertyWrites.read(type, root.get("properties"), true);
        List<HubSpotPortal.AssociationInput> associations = associationInputs(type, root.get("associations"));
        HubSpotRecord created = portal.create(type, List.of(values), List.of(associations)).get(0);
        return json(HttpStatus.CREATED, RecordViews.record(created, new ArrayList<>(values.keySet())), request);
    }

    @PatchMapping(OBJECTS + "/{id}")
    public ResponseEntity<byte[]> update(@PathVariable String objectType, @PathVariable String id,
            @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        HubSpotPortal portal = authenticate(request, Call.API);
        HubSpotObjectType type = objectType(objectType);
        JsonNode root = HubSpotJson.read(body, false);
        Map<String, String> values = PropertyWrites.read(type, root.get("properties"), false);
        HubSpotRecord current = find(portal, type, id, request.getParameter("idProperty"), false);
        if (current == null || current.isArchived()) {
            throw HubSpotApiException.notFound();
        }
        HubSpotRecord updated = portal.update(type, List.of(current.id()), List.of(values)).get(0);
        if (updated == null) {
            throw HubSpotApiException.notFound();
        }
        return ok(RecordViews.record(updated, new ArrayList<>(values.keySet())), request);
    }

    /** 204 whether or not the record exists, as HubSpot answers. */
    @DeleteMapping(OBJECTS + "/{id}")
    public ResponseEntity<byte[]> archive(@PathVariable String objectType, @PathVariable String id,
            HttpServletRequest request) {
        HubSpotPortal portal = authenticate(request, Call.API);
        HubSpotObjectType type = objectType(objectType);
        Long recordId = parseId(id);
        if (recordId != null) {
            portal.archive(type, List.of(recordId));
        }
        return noContent(request);
    }

    @PostMapping(OBJECTS + "/batch/read")
    public ResponseEntity<byte[]> batchRead(@PathVariable String objectType, @RequestBody(required = false) byte[] body,
            HttpServletRequest request) {
        HubSpotPortal portal = authenticate(request, Call.API);
        HubSpotObjectType type = objectType(objectType);
        Instant started = portal.now();
        boolean archived = archivedParameter(request);
        JsonNode root = HubSpotJson.read(body, false);
        List<String> properties = stringList(root.get("properties"), "properties");
        String idProperty = root.hasNonNull("idProperty") ? root.get("idProperty").asText() : null;
        List<Map<String, Object>> results = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (JsonNode input : inputs(root, MAX_BATCH)) {
            String id = text(input.get("id"));
            if (id == null) {
                throw HubSpotApiException.validation("Invalid input JSON: each input needs an id");
            }
            if (!seen.add(id)) {
                continue;
            }
            HubSpotRecord record = find(portal, type, id, idProperty, archived);
            if (record == null || record.isArchived() != archived) {
                missing.add(id);
            } else {
                results.add(RecordViews.record(record, properties));
            }
        }
        List<Map<String, Object>> errors = missing.isEmpty() ? List.of() : List.of(RecordViews.batchError(
                "OBJECT_NOT_FOUND", "Could not get some " + type.upperName()
                        + " objects, they may be deleted or not exist. Check that ids are valid.",
                Map.of("ids", missing)));
        return json(errors.isEmpty() ? HttpStatus.OK : HttpStatus.MULTI_STATUS,
                RecordViews.batch(results, errors, started, portal.now()), request);
    }

    /** All or nothing: one invalid input refuses the batch with 400. */
    @PostMapping(OBJECTS + "/batch/create")
    public ResponseEntity<byte[]> batchCreate(@PathVariable String objectType, @RequestBody(required = false) byte[] body,
            HttpServletRequest request) {
        HubSpotPortal portal = authenticate(request, Call.API);
        HubSpotObjectType type = objectType(objectType);
        Instant started = portal.now();
        JsonNode root = HubSpotJson.read(body, false);
        List<Map<String, String>> values = new ArrayList<>();
        List<List<HubSpotPortal.AssociationInput>> associations = new ArrayList<>();
        for (JsonNode input : inputs(root, MAX_BATCH)) {
            values.add(PropertyWrites.read(type, input.get("properties"), true));
            associations.add(associationInputs(type, input.get("associations")));
        }
        List<HubSpotRecord> created = portal.create(type, values, associations);
        List<Map<String, Object>> results = new ArrayList<>();
        for (int i = 0; i < created.size(); i++) {
            results.add(RecordViews.record(created.get(i), new ArrayList<>(values.get(i).keySet())));
        }
        return json(HttpStatus.CREATED, RecordViews.batch(results, List.of(), started, portal.now()), request);
    }

    /** Ids that are missing or archived come back as errors (207); the others are updated. */
    @PostMapping(OBJECTS + "/batch/update")
    public ResponseEntity<byte[]> batchUpdate(@PathVariable String objectType, @RequestBody(required = false) byte[] body,
            HttpServletRequest request) {
        HubSpotPortal portal = authenticate(request, Call.API);
        HubSpotObjectType type = objectType(objectType);
        Instant started = portal.now();
        JsonNode root = HubSpotJson.read(body, false);
        List<Long> ids = new ArrayList<>();
        List<Map<String, String>> values = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        List<String> duplicates = new ArrayList<>();
        for (JsonNode input : inputs(root, MAX_BATCH)) {
            String id = text(input.get("id"));
            if (id == null) {
                throw HubSpotApiException.validation("Invalid input JSON: each input needs an id");
            }
            if (!seen.add(id)) {
                duplicates.add(id);
            }
            Map<String, String> properties = PropertyWrites.read(type, input.get("properties"), false);
            Long recordId = parseId(id);
            if (recordId == null) {
                missing.add(id);
            } else {
                ids.add(recordId);
                values.add(properties);
            }
        }
        if (!duplicates.isEmpty()) {
            throw HubSpotApiException.validation("Duplicate IDs found in batch input: " + duplicates);
        }
        List<HubSpotRecord> updated = portal.update(type, ids, values);
        List<Map<String, Object>> results = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            HubSpotRecord record = updated.get(i);
            if (record == null) {
                missing.add(Long.toString(ids.get(i)));
            } else {
                results.add(RecordViews.record(record, new ArrayList<>(values.get(i).keySet())));
            }
        }
        List<Map<String, Object>> errors = missing.isEmpty() ? List.of() : List.of(RecordViews.batchError(
                "OBJECT_NOT_FOUND", "Could not get some " + type.upperName()
                        + " objects, they may be deleted or not exist. Check that ids are valid.",
                Map.of("ids", missing)));
        return json(errors.isEmpty() ? HttpStatus.OK : HttpStatus.MULTI_STATUS,
                RecordViews.batch(results, errors, started, portal.now()), request);
    }

    @PostMapping(OBJECTS + "/batch/archive")
    public ResponseEntity<byte[]> batchArchive(@PathVariable String objectType, @RequestBody(required = false) byte[] body,
            HttpServletRequest request) {
        HubSpotPortal portal = authenticate(request, Call.API);
        HubSpotObjectType type = objectType(objectType);
        JsonNode root = HubSpotJson.read(body, false);
        List<Long> ids = new ArrayList<>();
        for (JsonNode input : inputs(root, MAX_BATCH)) {
            Long id = parseId(text(input.get("id")));
            if (id != null) {
                ids.add(id);
            }
        }
        portal.archive(type, ids);
        return noContent(request);
    }

    /** A record by id, or by a unique property ({@code idProperty=email} for contacts); null when there is none. */
    static HubSpotRecord find(HubSpotPortal portal, HubSpotObjectType type, String id, String idProperty,
            boolean archived) {
        if (idProperty != null && !idProperty.isBlank() && !idProperty.equals("hs_object_id")) {
            HubSpotProperty property = type.property(idProperty.trim()).filter(HubSpotProperty::unique)
                    .orElseThrow(() -> HubSpotApiException.validation("Invalid idProperty " + idProperty
                            + ": it is not a unique property of " + type.plural()));
            // archived records are not looked up by value
            return archived ? null : portal.findBy(type, property, id);
        }
        Long recordId = parseId(id);
        return recordId == null ? null : portal.get(type, recordId);
    }

    /** {@code limit}: 10 when absent, at most 100 (larger values are served as 100). */
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

    /** The object types named by {@code associations}; names HubSpot does not know here are ignored. */
    private static List<HubSpotObjectType> associationTypes(List<String> names) {
        List<HubSpotObjectType> types = new ArrayList<>();
        if (names != null) {
            for (String name : names) {
                HubSpotObjectType.find(name).filter(t -> !types.contains(t)).ifPresent(types::add);
            }
        }
        return types;
    }

    /**
     * Adds {@code "associations": {"contacts": {"results": [{"id": "201", "type": "company_to_contact"}, ...]}}} for
     * each requested type with associations: one entry per association type (Primary, then unlabeled).
     */
    private static Map<String, Object> withAssociations(HubSpotPortal portal, HubSpotRecord record,
            Map<String, Object> json, List<HubSpotObjectType> types) {
        if (types.isEmpty() || record.isArchived()) {
            return json;
        }
        Map<String, Object> associations = new LinkedHashMap<>();
        for (HubSpotObjectType toType : types) {
            if (AssociationTypes.unlabeled(record.type(), toType).isEmpty()) {
                continue;
            }
            NavigableMap<Long, Boolean> targets = portal.associations(record.type(), record.id(), toType);
            if (targets == null || targets.isEmpty()) {
                continue;
            }
            List<Map<String, Object>> results = new ArrayList<>();
            targets.forEach((toId, primary) -> {
                for (AssociationTypes.Spec spec : AssociationTypes.of(record.type(), toType, primary)) {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("id", Long.toString(toId));
                    item.put("type", spec.v3Name());
                    results.add(item);
                }
            });
            associations.put(toType.plural(), Map.of("results", results));
        }
        if (!associations.isEmpty()) {
            json.put("associations", associations);
        }
        return json;
    }

    /**
     * A create's {@code associations}: {@code [{"to": {"id": "123"}, "types": [{"associationCategory":
     * "HUBSPOT_DEFINED", "associationTypeId": 279}]}]}; each type must lead from this object type, and all of one
     * entry to the same type.
     */
    static List<HubSpotPortal.AssociationInput> associationInputs(HubSpotObjectType from, JsonNode node) {
        List<HubSpotPortal.AssociationInput> inputs = new ArrayList<>();
        if (node == null || node.isNull()) {
            return inputs;
        }
        if (!node.isArray()) {
            throw HubSpotApiException.validation("Invalid input JSON: associations must be an array");
        }
        for (JsonNode entry : node) {
            Long toId = parseId(text(entry.path("to").get("id")));
            if (toId == null) {
                throw HubSpotApiException.validation("Invalid input JSON: each association needs to.id, a record id");
            }
            JsonNode types = entry.get("types");
            if (types == null || !types.isArray() || types.isEmpty()) {
                throw HubSpotApiException.validation("Invalid input JSON: each association needs types");
            }
            List<AssociationTypes.Spec> specs = new ArrayList<>();
            for (JsonNode type : types) {
                specs.add(associationSpec(from, type));
            }
            if (specs.stream().map(AssociationTypes.Spec::to).distinct().count() > 1) {
                throw HubSpotApiException.validation("The association types of one association must all lead to one object type");
            }
            inputs.add(new HubSpotPortal.AssociationInput(toId, specs));
        }
        return inputs;
    }

    /** One {@code {"associationCategory", "associationTypeId"}}, which must be a HubSpot-defined type from {@code from}. */
    static AssociationTypes.Spec associationSpec(HubSpotObjectType from, JsonNode type) {
        String category = text(type.get("associationCategory"));
        JsonNode idNode = type.get("associationTypeId");
        if (!"HUBSPOT_DEFINED".equals(category)) {
            throw HubSpotApiException.validation("associationCategory " + category + " is not supported by the sandbox:"
                    + " use HUBSPOT_DEFINED (custom labels do not exist here)");
        }
        if (idNode == null || !idNode.canConvertToInt() || !(idNode.isIntegralNumber() || idNode.isTextual())) {
            throw HubSpotApiException.validation("associationTypeId must be a number");
        }
        int typeId = idNode.isTextual() ? parseInt(idNode.asText()) : idNode.asInt();
        AssociationTypes.Spec spec = AssociationTypes.byId(typeId).orElseThrow(() -> HubSpotApiException.validation(
                "associationTypeId " + typeId + " is not a HUBSPOT_DEFINED association type"));
        if (spec.from() != from) {
            throw HubSpotApiException.validation("associationTypeId " + typeId + " associates " + spec.from().singular()
                    + " to " + spec.to().singular() + ", not a " + from.singular());
        }
        return spec;
    }

    private static int parseInt(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw HubSpotApiException.validation("associationTypeId must be a number");
        }
    }

    /** The {@code inputs} array of a batch body: present, and at most {@code max} long. */
    static List<JsonNode> inputs(JsonNode root, int max) {
        JsonNode inputs = root.get("inputs");
        if (inputs == null || !inputs.isArray()) {
            throw HubSpotApiException.validation("Invalid input JSON: inputs must be an array");
        }
        if (inputs.size() > max) {
            throw HubSpotApiException.validation("Batch input limit exceeded: " + inputs.size() + " inputs, at most " + max);
        }
        List<JsonNode> list = new ArrayList<>();
        inputs.forEach(list::add);
        return list;
    }

    /** A JSON string or number as text; null for anything else. */
    static String text(JsonNode node) {
        return node != null && (node.isTextual() || node.isNumber()) ? node.asText() : null;
    }

    /** An optional array of strings. */
    static List<String> stringList(JsonNode node, String name) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw HubSpotApiException.validation("Invalid input JSON: " + name + " must be an array of strings");
        }
        List<String> list = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw HubSpotApiException.validation("Invalid input JSON: " + name + " must be an array of strings");
            }
            list.add(item.asText());
        }
        return list;
    }
}
