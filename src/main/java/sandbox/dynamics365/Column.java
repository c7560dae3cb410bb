package sandbox.dynamics365;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One column of a Dataverse table.
 *
 * @param logicalName the attribute's logical name ({@code parentcustomerid})
 * @param writable whether a create or update may set it (system columns are read only; writes of them are ignored)
 * @param maxLength the longest text a string column takes (0 for other types)
 * @param options a choice column's values and labels
 * @param targets a lookup's tables, each with its single-valued navigation property
 */
record Column(String logicalName, ColumnType type, String displayName, boolean writable, int maxLength,
        Map<Integer, String> options, List<Target> targets) {

    /**
     * A table a lookup can point at: the navigation property that binds it ({@code parentcustomerid_account}) and
     * what deleting the target row does to this row (Dataverse's cascade: delete it too, or clear the lookup).
     */
    record Target(String table, String navigation, boolean cascadeDelete) {
    }

    static Column text(String name, String display, int maxLength) {
        return new Column(name, ColumnType.STRING, display, true, maxLength, Map.of(), List.of());
    }

    static Column memo(String name, String display) {
        return new Column(name, ColumnType.MEMO, display, true, 2000, Map.of(), List.of());
    }

    static Column of(String name, ColumnType type, String display) {
        return new Column(name, type, display, true, 0, Map.of(), List.of());
    }

    static Column readOnly(String name, ColumnType type, String display) {
        return new Column(name, type, display, false, 0, Map.of(), List.of());
    }

    static Column choice(String name, ColumnType type, String display, Map<Integer, String> options) {
        return new Column(name, type, display, true, 0, options, List.of());
    }

    static Column lookup(String name, ColumnType type, String display, Target... targets) {
        return new Column(name, type, display, true, 0, Map.of(), List.of(targets));
    }

    /** A lookup the system sets (owner, created by): read only, pointing at a table the sandbox does not serve. */
    static Column systemLookup(String name, ColumnType type, String display, String table) {
        return new Column(name, type, display, false, 0, Map.of(), List.of(new Target(table, name, false)));
    }

    /** The property's name on the wire: {@code _parentcustomerid_value} for a lookup, the logical name otherwise. */
    String property() {
        return type.isLookup() ? "_" + logicalName + "_value" : logicalName;
    }

    /** {@code address1_city} -> {@code Address1_City}, the shape of Dataverse's schema names. */
    String schemaName() {
        StringBuilder out = new StringBuilder(logicalName.length());
        boolean upper = true;
        for (char c : logicalName.toCharArray()) {
            out.append(upper ? Character.toUpperCase(c) : c);
            upper = c == '_';
        }
        return out.toString();
    }

    Optional<Target> targetByNavigation(String navigation) {
        return targets.stream().filter(t -> t.navigation().equals(navigation)).findFirst();
    }

    Optional<Target> targetByTable(String table) {
        return targets.stream().filter(t -> t.table().equals(table.toLowerCase(Locale.ROOT))).findFirst();
    }
}
