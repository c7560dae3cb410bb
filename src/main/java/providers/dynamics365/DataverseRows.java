package providers.dynamics365;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import providers.PermanentProviderException;
import providers.PullFilter;

/**
 * Rows between the Web API and the hub's mappings. Reading: a row keeps its columns and {@code @odata.etag} (its version
 * marker), each lookup also appears under the navigation property that names its target
 * ({@code parentcustomerid_account} when the customer is an account), and a column's formatted value
 * ({@code industrycode@OData.Community.Display.V1.FormattedValue}) stays when a mapping asked for it; other annotations
 * go. Writing: a lookup is set through its navigation property, {@code parentcustomerid_account@odata.bind:
 * "/accounts(<id>)"}, whether the mapping writes to the navigation property or to the {@code _x_value} column.
 */
final class DataverseRows {

    static final String ETAG = "@odata.etag";
    static final String NAVIGATION = "@Microsoft.Dynamics.CRM.associatednavigationproperty";
    static final String LOGICAL_NAME = "@Microsoft.Dynamics.CRM.lookuplogicalname";
    static final String FORMATTED = "@OData.Community.Display.V1.FormattedValue";
    private static final Pattern LOOKUP_COLUMN = Pattern.compile("_(.+)_value");

    private DataverseRows() {
    }

    /** What a read asks for: the columns to select, and whether formatted values are wanted. */
    record Selection(List<String> columns, boolean formatted) {
    }

    /**
     * The columns behind a mapping's source fields: annotations are not columns, a navigation property reads its
     * {@code _x_value} column, {@code x@...FormattedValue} (as the mapping's top-level path {@code x@OData}) reads {@code x}.
     */
    static Selection selection(DataverseTables.Table table, List<String> fields) {
        Set<String> columns = new LinkedHashSet<>();
        columns.add(table.primaryKey());
        boolean formatted = false;
        for (String field : fields == null ? List.<String>of() : fields) {
            if (field == null || field.isEmpty() || field.startsWith("@")) {
                continue;
            }
            int at = field.indexOf('@');
            if (at > 0) {
                formatted = true;
                columns.add(field.substring(0, at));
                continue;
            }
            String lookup = table.lookups().stream().filter(l -> l.navigationToEntitySet().containsKey(field))
                    .map(l -> "_" + l.attribute() + "_value").findFirst().orElse(null);
            columns.add(lookup != null ? lookup : field);
        }
        return new Selection(new ArrayList<>(columns), formatted);
    }

    /** The Prefer header of a read: the lookup annotations always, formatted values when asked, and the page size. */
    static String prefer(Selection selection, Integer pageSize, boolean trackChanges) {
        StringBuilder prefer = new StringBuilder("odata.include-annotations=\"Microsoft.Dynamics.CRM.associatednavigationproperty,"
                + "Microsoft.Dynamics.CRM.lookuplogicalname" + (selection.formatted() ? ",OData.Community.Display.V1.FormattedValue" : "") + "\"");
        if (pageSize != null) {
            prefer.append(",odata.maxpagesize=").append(Math.max(1, Math.min(5000, pageSize)));
        }
        if (trackChanges) {
            prefer.append(",odata.track-changes");
        }
        return prefer.toString();
    }

    /** A row as the mapping reads it (see the class comment). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> record(ObjectMapper json, DataverseTables.Table table, JsonNode row, boolean keepFormatted) {
        Map<String, Object> values = json.convertValue(row, LinkedHashMap.class);
        Map<String, Object> navigations = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, Object>> it = values.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Object> entry = it.next();
            String key = entry.getKey();
            int at = key.indexOf('@');
            if (at < 0 || key.equals(ETAG)) {
                continue;
            }
            if (at > 0 && key.endsWith(NAVIGATION) && entry.getValue() instanceof String navigation) {
                navigations.put(navigation, row.path(key.substring(0, at)).isTextual() ? row.path(key.substring(0, at)).asText() : null);
            }
            if (!(keepFormatted && at > 0 && key.endsWith(FORMATTED))) {
                it.remove();
            }
        }
        // a lookup Dataverse did not annotate: the navigation property of a single-target lookup is known
        for (DataverseTables.Lookup lookup : table.lookups()) {
            String column = "_" + lookup.attribute() + "_value";
            if (values.containsKey(column) && lookup.navigationToEntitySet().keySet().stream().noneMatch(navigations::containsKey)) {
                String logical = row.path(column + LOGICAL_NAME).asText(null);
                String navigation = lookup.single().orElse(logical == null ? null : lookup.attribute() + "_" + logical);
                if (navigation != null && lookup.navigationToEntitySet().containsKey(navigation)) {
                    navigations.put(navigation, values.get(column) instanceof String id ? id : null);
                }
            }
        }
        navigations.forEach(values::putIfAbsent);
        return values;
    }

    /** Whether a row of a delta response is a deletion stub ({@code $deletedEntity}). */
    static boolean isDeletion(JsonNode row) {
        return row.path("@odata.context").asText("").endsWith("$deletedEntity")
                || "deleted".equals(row.path("reason").asText(null)) && !row.has(ETAG);
    }

    /** A write's fields in the Web API's terms: lookups bound through their navigation property. */
    static Map<String, Object> forWrite(DataverseTables.Table table, Map<String, Object> fields) {
        Map<String, Object> body = new LinkedHashMap<>();
        fields.forEach((key, value) -> {
            if (key.endsWith("@odata.bind")) {
                body.put(key, value);
                return;
            }
            String target = table.bindTarget(key).orElse(null);
            if (target != null) {
                body.put(key + "@odata.bind", bind(target, value));
                return;
            }
            Matcher lookupColumn = LOOKUP_COLUMN.matcher(key);
            if (lookupColumn.matches()) {
                DataverseTables.Lookup lookup = table.lookupByAttribute(lookupColumn.group(1)).orElseThrow(() ->
                        new PermanentProviderException("Dynamics 365 " + table.entitySet() + ": " + key + " is a lookup the hub cannot write"));
                String navigation = lookup.single().orElseThrow(() -> new PermanentProviderException("Dynamics 365 "
                        + table.entitySet() + ": " + key + " has several target tables; write one of " + lookup.navigationToEntitySet().keySet()));
                body.put(navigation + "@odata.bind", bind(lookup.navigationToEntitySet().get(navigation), value));
                return;
            }
            body.put(key, value);
        });
        return body;
    }

    private static String bind(String entitySet, Object value) {
        if (value == null || value instanceof String s && s.isBlank()) {
            return null;
        }
        return "/" + entitySet + "(" + DataverseTables.rowId(String.valueOf(value)) + ")";
    }

    /** The tenant's pull filters, applied to the rows read: change tracking takes no {@code $filter}. */
    static boolean matches(Map<String, Object> record, List<PullFilter> filters) {
        for (PullFilter filter : filters == null ? List.<PullFilter>of() : filters) {
            if (!matches(record.get(filter.field()), filter.op(), filter.value())) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(Object actual, String op, Object expected) {
        if (actual == null || expected == null) {
            boolean same = actual == null && expected == null;
            return switch (op) {
                case "=" -> same;
                case "!=" -> !same;
                default -> false;
            };
        }
        int order;
        if (actual instanceof Number a && expected instanceof Number e) {
            order = new java.math.BigDecimal(a.toString()).compareTo(new java.math.BigDecimal(e.toString()));
        } else {
            order = String.valueOf(actual).compareTo(String.valueOf(expected));
        }
        return switch (op) {
            case "=" -> order == 0;
            case "!=" -> order != 0;
            case "<" -> order < 0;
            case "<=" -> order <= 0;
            case ">" -> order > 0;
            case ">=" -> order >= 0;
            default -> false;
        };
    }
}
