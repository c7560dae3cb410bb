package sandbox.dynamics365;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The query options of a collection request checked against its table: {@code $select}, {@code $filter},
 * {@code $orderby} (the primary key always last, so the order is total and pages are keyset cursors), {@code $top}
 * and {@code $count}. What the sandbox does not serve ({@code $expand}, {@code $apply}, {@code $search}) and what
 * Dataverse refuses ({@code $skip}) are 400s that say so.
 */
final class CollectionQuery {

    record Order(Column column, boolean descending) {
    }

    private final EntitySchema table;
    private final List<Column> select;
    private final ODataFilter filter;
    private final List<Order> orderBy;
    private final Integer top;
    private final boolean count;

    private CollectionQuery(EntitySchema table, List<Column> select, ODataFilter filter, List<Order> orderBy,
            Integer top, boolean count) {
        this.table = table;
        this.select = select;
        this.filter = filter;
        this.orderBy = orderBy;
        this.top = top;
        this.count = count;
    }

    static CollectionQuery parse(EntitySchema table, QueryOptions options) {
        if (options.has("$skip")) {
            throw DataverseApiException.badQuery("The query parameter $skip is not supported. Page with the"
                    + " odata.maxpagesize preference and @odata.nextLink.");
        }
        for (String unsupported : List.of("$expand", "$apply", "$search", "$format")) {
            if (options.has(unsupported)) {
                throw DataverseApiException.badQuery("The Dynamics 365 sandbox does not support " + unsupported
                        + ": query each table on its own and join on the _<lookup>_value properties.");
            }
        }
        List<Column> select = select(table, options.get("$select"));
        String filterText = options.get("$filter");
        ODataFilter filter = filterText == null || filterText.isBlank() ? null
                : ODataFilter.parse(filterText, properties(table));
        return new CollectionQuery(table, select, filter, orderBy(table, options.get("$orderby")),
                top(options.get("$top")), count(options.get("$count")));
    }

    /** The table's properties for {@code $filter}. */
    static ODataFilter.Properties properties(EntitySchema table) {
        return new ODataFilter.Properties() {
            @Override
            public Optional<ODataFilter.Kind> kindOf(String property) {
                return table.column(property).map(c -> ODataFilter.Kind.of(c.type()));
            }

            @Override
            public String typeName() {
                return table.typeName();
            }
        };
    }

    /** The selected columns, in the order given; null when all are. */
    static List<Column> select(EntitySchema table, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        List<Column> columns = new ArrayList<>();
        for (String name : text.split(",")) {
            String property = name.strip();
            Column column = table.column(property).orElseThrow(() -> DataverseApiException.unknownProperty(table, property));
            if (!columns.contains(column)) {
                columns.add(column);
            }
        }
        return List.copyOf(columns);
    }

    private static List<Order> orderBy(EntitySchema table, String text) {
        List<Order> orders = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return orders;
        }
        for (String item : text.split(",")) {
            String[] words = item.strip().split("\\s+");
            if (words.length == 0 || words.length > 2 || words[0].isEmpty()) {
                throw DataverseApiException.badQuery("Syntax error in $orderby '" + text + "': expected a property"
                        + " name, optionally followed by asc or desc, per item.");
            }
            Column column = table.column(words[0]).orElseThrow(() -> DataverseApiException.unknownProperty(table, words[0]));
            String direction = words.length == 2 ? words[1].toLowerCase(Locale.ROOT) : "asc";
            if (!direction.equals("asc") && !direction.equals("desc")) {
                throw DataverseApiException.badQuery("Syntax error in $orderby '" + text + "': '" + words[1]
                        + "' is not asc or desc.");
            }
            orders.add(new Order(column, direction.equals("desc")));
        }
        return orders;
    }

    private static Integer top(String text) {
        if (text == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(text.strip());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw DataverseApiException.badQuery("Invalid value '" + text + "' for $top query option found. The $top"
                    + " query option requires a non-negative integer value.");
        }
    }

    private static boolean count(String text) {
        if (text == null) {
            return false;
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw DataverseApiException.badQuery("'" + text + "' is not a valid count option.");
        };
    }

    List<Column> select() {
        return select;
    }

    boolean hasFilter() {
        return filter != null;
    }

    boolean hasOrderBy() {
        return !orderBy.isEmpty();
    }

    Integer top() {
        return top;
    }

    boolean count() {
        return count;
    }

    /** {@code (name,telephone1)} for {@code @odata.context}, empty without {@code $select}. */
    String contextSelect() {
        return select == null ? "" : "(" + String.join(",", select.stream().map(Column::property).toList()) + ")";
    }

    boolean matches(DataverseRow row) {
        return filter == null || filter.test(property -> {
            Column column = table.column(property).orElseThrow();
            return row.get(column);
        });
    }

    /** The sort columns, then the primary key: what a page's cursor holds. */
    List<Column> keyColumns() {
        List<Column> columns = new ArrayList<>(orderBy.stream().map(Order::column).toList());
        columns.add(table.require(table.primaryId()));
        return columns;
    }

    List<Object> keyOf(DataverseRow row) {
        List<Object> key = new ArrayList<>();
        for (Order order : orderBy) {
            key.add(row.get(order.column()));
        }
        key.add(row.id());
        return key;
    }

    /** Rows in the requested order (nulls first ascending, as SQL Server sorts), ties broken by primary key. */
    Comparator<DataverseRow> order() {
        return (a, b) -> compareKeys(keyOf(a), keyOf(b));
    }

    int compareKeys(List<Object> a, List<Object> b) {
        for (int i = 0; i < a.size(); i++) {
            boolean descending = i < orderBy.size() && orderBy.get(i).descending();
            Object x = a.get(i);
            Object y = b.get(i);
            int c;
            if (x == null || y == null) {
                c = x == null ? (y == null ? 0 : -1) : 1;
            } else {
                c = ODataFilter.compare(x, y);
            }
            if (c != 0) {
                return descending ? -c : c;
            }
        }
        return 0;
    }
}
