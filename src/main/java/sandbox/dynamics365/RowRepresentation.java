package sandbox.dynamics365;

import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A row as the Web API writes it: {@code @odata.etag} first, then the selected columns (all of them, nulls included,
 * without {@code $select}) with the primary key always present, lookups as {@code _<name>_value} GUIDs, money as
 * numbers with four decimals, datetimes in whole seconds with {@code Z} and date-only columns as dates. Asked-for
 * annotations come just before the value they describe: formatted values, and a lookup's navigation property and
 * table.
 */
final class RowRepresentation {

    static final String FORMATTED_VALUE = "OData.Community.Display.V1.FormattedValue";
    static final String NAVIGATION_PROPERTY = "Microsoft.Dynamics.CRM.associatednavigationproperty";
    static final String LOOKUP_LOGICAL_NAME = "Microsoft.Dynamics.CRM.lookuplogicalname";
    /** Seconds and a Z, as Dataverse sends them (dynamics-web-api turns exactly this shape into Dates). */
    static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter FORMATTED_DATETIME =
            DateTimeFormatter.ofPattern("M/d/yyyy h:mm a", Locale.US).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter FORMATTED_DATE = DateTimeFormatter.ofPattern("M/d/yyyy", Locale.US);
    /** The application user a client-credentials caller acts as, as Dataverse names application users. */
    static final String APPLICATION_USER_NAME = "# sandbox-client";
    static final String ADMIN_USER_NAME = "Sandbox Admin";

    private RowRepresentation() {
    }

    /**
     * The row as JSON, {@code selected} naming its columns (null for all).
     *
     * @param names the formatted value of a lookup: the primary name of the row it points at
     */
    static Map<String, Object> of(DataverseRow row, List<Column> selected, Preferences preferences, LookupNames names) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("@odata.etag", row.etag());
        EntitySchema table = row.table();
        List<Column> columns = selected == null ? table.columns() : selected;
        for (Column column : columns) {
            put(out, column, row.get(column), preferences, names);
        }
        if (selected != null && selected.stream().noneMatch(c -> c.logicalName().equals(table.primaryId()))) {
            out.put(table.primaryId(), row.id());
        }
        return out;
    }

    /** Names of the rows lookups point at. */
    interface LookupNames {
        String nameOf(EntityReference reference);
    }

    private static void put(Map<String, Object> out, Column column, Object value, Preferences preferences,
            LookupNames names) {
        String property = column.property();
        if (value != null && preferences != null) {
            String formatted = formatted(column, value, names);
            if (formatted != null && preferences.wantsAnnotation(FORMATTED_VALUE)) {
                out.put(property + "@" + FORMATTED_VALUE, formatted);
            }
            if (value instanceof EntityReference ref) {
                if (preferences.wantsAnnotation(NAVIGATION_PROPERTY)) {
                    String navigation = column.targetByTable(ref.table()).map(Column.Target::navigation)
                            .orElse(column.logicalName());
                    out.put(property + "@" + NAVIGATION_PROPERTY, navigation);
                }
                if (preferences.wantsAnnotation(LOOKUP_LOGICAL_NAME)) {
                    out.put(property + "@" + LOOKUP_LOGICAL_NAME, ref.table());
                }
            }
        }
        out.put(property, wire(value));
    }

    /** A stored value as JSON. */
    static Object wire(Object value) {
        if (value instanceof Instant instant) {
            return DATETIME.format(instant);
        }
        if (value instanceof LocalDate date) {
            return date.toString();
        }
        if (value instanceof EntityReference ref) {
            return ref.id();
        }
        return value;
    }

    private static String formatted(Column column, Object value, LookupNames names) {
        return switch (column.type()) {
            case LOOKUP, CUSTOMER, OWNER -> names.nameOf((EntityReference) value);
            case MONEY -> "$" + decimal("#,##0.00").format((BigDecimal) value);
            case INTEGER -> decimal("#,##0").format(((Number) value).longValue());
            case PICKLIST, STATE, STATUS -> column.options().get(value);
            case DATETIME -> FORMATTED_DATETIME.format((Instant) value);
            case DATEONLY -> FORMATTED_DATE.format((LocalDate) value);
            default -> null;
        };
    }

    private static DecimalFormat decimal(String pattern) {
        return new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.US));
    }
}
