package sandbox.dynamics365;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row as stored: its column values by logical name (String, Integer, Long, BigDecimal, Instant, LocalDate or
 * {@link EntityReference}; absent means null), immutable, so a read holds a consistent snapshot.
 */
final class DataverseRow {

    private final EntitySchema table;
    private final Map<String, Object> values;

    DataverseRow(EntitySchema table, Map<String, Object> values) {
        this.table = table;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    EntitySchema table() {
        return table;
    }

    String id() {
        return (String) values.get(table.primaryId());
    }

    long version() {
        return (Long) values.get("versionnumber");
    }

    /** The value of a column by logical name, or null. */
    Object get(String logicalName) {
        return values.get(logicalName);
    }

    Object get(Column column) {
        return values.get(column.logicalName());
    }

    Map<String, Object> values() {
        return values;
    }

    /** The weak ETag Dataverse sends and takes back: {@code W/"<versionnumber>"}. */
    String etag() {
        return "W/\"" + version() + "\"";
    }

    /** The primary name column's value (fullname, name), for lookups' formatted values. */
    String primaryName() {
        Object name = values.get(table.primaryName());
        return name == null ? null : name.toString();
    }
}
