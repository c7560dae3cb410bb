package sandbox.hubspot;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Records as the CRM API writes them ({@code SimplePublicObject}). */
final class RecordViews {

    private RecordViews() {
    }

    /**
     * {@code {"id", "properties", "createdAt", "updatedAt", "archived"[, "archivedAt"]}}. Properties are the requested
     * ones (the type's defaults when none are), always with {@code hs_object_id}, {@code createdate} and the
     * modification date, in name order; a requested property without a value is null, one the type does not have is
     * left out.
     */
    static Map<String, Object> record(HubSpotRecord record, List<String> requested) {
        HubSpotObjectType type = record.type();
        Map<String, Object> properties = new TreeMap<>();
        for (String name : requested == null || requested.isEmpty() ? type.defaultProperties() : requested) {
            type.property(name).ifPresent(p -> properties.put(p.name(), record.get(p)));
        }
        for (String always : List.of("hs_object_id", "createdate", type.modifiedProperty())) {
            properties.put(always, record.get(always));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", Long.toString(record.id()));
        json.put("properties", properties);
        json.put("createdAt", HubSpotJson.dateTime(record.createdAt()));
        json.put("updatedAt", HubSpotJson.dateTime(record.updatedAt()));
        json.put("archived", record.isArchived());
        if (record.isArchived()) {
            json.put("archivedAt", HubSpotJson.dateTime(record.archivedAt()));
        }
        return json;
    }

    /** A batch answer: {@code COMPLETE} with the results, and the errors when there are any (status 207). */
    static Map<String, Object> batch(List<?> results, List<Map<String, Object>> errors, java.time.Instant startedAt,
            java.time.Instant completedAt) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("status", "COMPLETE");
        json.put("results", results);
        if (!errors.isEmpty()) {
            json.put("numErrors", errors.size());
            json.put("errors", errors);
        }
        json.put("startedAt", HubSpotJson.dateTime(startedAt));
        json.put("completedAt", HubSpotJson.dateTime(completedAt));
        return json;
    }

    /** One entry of a batch's {@code errors}. */
    static Map<String, Object> batchError(String category, String message, Map<String, List<String>> context) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("status", "error");
        error.put("category", category);
        error.put("message", message);
        error.put("context", context);
        return error;
    }
}
