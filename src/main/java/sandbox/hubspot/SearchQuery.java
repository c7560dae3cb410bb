package sandbox.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.NavigableMap;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * A CRM search request ({@code POST /crm/v3/objects/{type}/search}), parsed and checked as HubSpot does: filter groups
 * ORed, filters within a group ANDed (at most 5 groups, 6 filters per group, 18 in all), one sort, {@code limit} up to
 * 200, {@code after} an offset below 10,000, a free-text {@code query}, and the properties to return.
 */
final class SearchQuery {

    static final int MAX_GROUPS = 5;
    static final int MAX_FILTERS_PER_GROUP = 6;
    static final int MAX_FILTERS = 18;
    static final int DEFAULT_LIMIT = 10;
    static final int MAX_LIMIT = 200;
    /** HubSpot serves at most this many results of one query, whatever the paging. */
    static final int MAX_RESULTS = 10_000;
    static final int MAX_BODY_CHARS = 3_000;

    enum Operator { EQ, NEQ, LT, LTE, GT, GTE, BETWEEN, IN, NOT_IN, HAS_PROPERTY, NOT_HAS_PROPERTY, CONTAINS_TOKEN,
        NOT_CONTAINS_TOKEN }

    /**
     * One filter. {@code property} is null for the {@code associations.<type>} pseudo-property, whose target type is
     * then {@code associatedType}.
     */
    record Filter(HubSpotProperty property, HubSpotObjectType associatedType, Operator operator, String value,
            String highValue, List<String> values, Comparable<?> low, Comparable<?> high, List<Comparable<?>> listed) {

        Filter(HubSpotProperty property, HubSpotObjectType associatedType, Operator operator, String value,
                String highValue, List<String> values) {
            this(property, associatedType, operator, value, highValue, values, comparable(property, value),
                    comparable(property, highValue),
                    values.stream().<Comparable<?>>map(v -> comparable(property, v)).toList());
        }

        private static Comparable<?> comparable(HubSpotProperty property, String value) {
            return property == null ? null : property.comparable(value);
        }
    }

    private final HubSpotObjectType type;
    private final List<List<Filter>> groups;
    private final HubSpotProperty sortProperty;
    private final boolean descending;
    private final String query;
    private final List<String> properties;
    private final int limit;
    private final int after;

    private SearchQuery(HubSpotObjectType type, List<List<Filter>> groups, HubSpotProperty sortProperty,
            boolean descending, String query, List<String> properties, int limit, int after) {
        this.type = type;
        this.groups = groups;
        this.sortProperty = sortProperty;
        this.descending = descending;
        this.query = query;
        this.properties = properties;
        this.limit = limit;
        this.after = after;
    }

    static SearchQuery parse(HubSpotObjectType type, byte[] body) {
        if (body != null && new String(body, java.nio.charset.StandardCharsets.UTF_8).length() > MAX_BODY_CHARS) {
            throw HubSpotApiException.validation("The request body is longer than the limit of " + MAX_BODY_CHARS
                    + " characters");
        }
        JsonNode root = HubSpotJson.read(body, false);
        List<List<Filter>> groups = new ArrayList<>();
        JsonNode groupNodes = root.get("filterGroups");
        int total = 0;
        if (groupNodes != null && !groupNodes.isNull()) {
            if (!groupNodes.isArray()) {
                throw HubSpotApiException.validation("Invalid input JSON: filterGroups must be an array");
            }
            if (groupNodes.size() > MAX_GROUPS) {
                throw HubSpotApiException.validation("Too many filter groups: " + groupNodes.size() + ", at most "
                        + MAX_GROUPS + " are allowed");
            }
            for (JsonNode groupNode : groupNodes) {
                JsonNode filterNodes = groupNode.get("filters");
                if (filterNodes == null || !filterNodes.isArray()) {
                    throw HubSpotApiException.validation("Invalid input JSON: each filter group needs a filters array");
                }
                if (filterNodes.size() > MAX_FILTERS_PER_GROUP) {
                    throw HubSpotApiException.validation("Too many filters in a filter group: " + filterNodes.size()
                            + ", at most " + MAX_FILTERS_PER_GROUP + " are allowed");
                }
                total += filterNodes.size();
                List<Filter> filters = new ArrayList<>();
                for (JsonNode filterNode : filterNodes) {
                    filters.add(filter(type, filterNode));
                }
                groups.add(filters);
            }
            if (total > MAX_FILTERS) {
                throw HubSpotApiException.validation("Too many filters: " + total + ", at most " + MAX_FILTERS
                        + " are allowed in all");
            }
        }
        HubSpotProperty sortProperty = null;
        boolean descending = false;
        JsonNode sorts = root.get("sorts");
        if (sorts != null && !sorts.isNull()) {
            if (!sorts.isArray()) {
                throw HubSpotApiException.validation("Invalid input JSON: sorts must be an array");
            }
            if (!sorts.isEmpty()) {
                // HubSpot honours one sort
                JsonNode sort = sorts.get(0);
                String name;
                if (sort.isTextual()) {
                    name = sort.asText();
                    if (name.startsWith("-")) {
                        descending = true;
                        name = name.substring(1);
                    }
                } else if (sort.isObject()) {
                    name = HubSpotObjectsController.text(sort.get("propertyName"));
                    String direction = HubSpotObjectsController.text(sort.get("direction"));
                    if (direction != null && !direction.equals("ASCENDING") && !direction.equals("DESCENDING")) {
                        throw HubSpotApiException.validation("sorts: direction must be ASCENDING or DESCENDING, got "
                                + direction);
                    }
                    descending = "DESCENDING".equals(direction);
                } else {
                    throw HubSpotApiException.validation("Invalid input JSON: a sort is a property name or"
                            + " {\"propertyName\", \"direction\"}");
                }
                String sortName = name;
                sortProperty = type.property(sortName).orElseThrow(() -> HubSpotApiException.validation(
                        "sorts: property " + sortName + " does not exist on " + type.plural()));
            }
        }
        String query = root.hasNonNull("query") ? root.get("query").asText() : null;
        List<String> properties = HubSpotObjectsController.stringList(root.get("properties"), "properties");
        int limit = DEFAULT_LIMIT;
        JsonNode limitNode = root.get("limit");
        if (limitNode != null && !limitNode.isNull()) {
            limit = integer(limitNode, "limit");
            if (limit < 0 || limit > MAX_LIMIT) {
                throw HubSpotApiException.validation("limit: must be between 0 and " + MAX_LIMIT + ", got " + limit);
            }
        }
        int after = 0;
        JsonNode afterNode = root.get("after");
        if (afterNode != null && !afterNode.isNull() && !(afterNode.isTextual() && afterNode.asText().isEmpty())) {
            after = integer(afterNode, "after");
            if (after < 0) {
                throw HubSpotApiException.validation("after: must not be negative, got " + after);
            }
            if (after >= MAX_RESULTS) {
                throw HubSpotApiException.validation("Paging past " + MAX_RESULTS + " results is not supported: a search"
                        + " returns at most " + MAX_RESULTS + " results (after=" + after + "). Narrow the query, e.g. with a"
                        + " filter on " + type.modifiedProperty() + " GTE the last value seen.");
            }
        }
        return new SearchQuery(type, groups, sortProperty, descending, query, properties, limit, after);
    }

    private static Filter filter(HubSpotObjectType type, JsonNode node) {
        String name = HubSpotObjectsController.text(node.get("propertyName"));
        String operatorName = HubSpotObjectsController.text(node.get("operator"));
        if (name == null || operatorName == null) {
            throw HubSpotApiException.validation("Invalid input JSON: each filter needs propertyName and operator");
        }
        Operator operator;
        try {
            operator = Operator.valueOf(operatorName);
        } catch (IllegalArgumentException e) {
            throw HubSpotApiException.validation("filter on " + name + ": unknown operator " + operatorName);
        }
        HubSpotProperty property = null;
        HubSpotObjectType associated = null;
        if (name.startsWith("associations.")) {
            associated = HubSpotObjectType.find(name.substring("associations.".length())).filter(
                    t -> AssociationTypes.unlabeled(type, t).isPresent()).orElseThrow(() -> HubSpotApiException.validation(
                            "filter on " + name + ": not an association of " + type.plural()));
            if (operator != Operator.EQ) {
                throw HubSpotApiException.validation("filter on " + name + ": only EQ is supported on associations");
            }
        } else {
            property = type.property(name).orElseThrow(() -> HubSpotApiException.validation(
                    "filter on " + name + ": property " + name + " does not exist on " + type.plural()));
        }
        String value = HubSpotObjectsController.text(node.get("value"));
        String highValue = HubSpotObjectsController.text(node.get("highValue"));
        List<String> values = List.of();
        JsonNode valuesNode = node.get("values");
        if (valuesNode != null && valuesNode.isArray()) {
            values = new ArrayList<>();
            for (JsonNode v : valuesNode) {
                values.add(v.asText());
            }
        }
        switch (operator) {
            case HAS_PROPERTY, NOT_HAS_PROPERTY -> {
            }
            case IN, NOT_IN -> {
                if (values.isEmpty()) {
                    throw HubSpotApiException.validation("filter on " + name + ": " + operator + " needs values");
                }
                for (String v : values) {
                    check(property, name, v);
                }
            }
            case BETWEEN -> {
                if (value == null || highValue == null) {
                    throw HubSpotApiException.validation("filter on " + name + ": BETWEEN needs value and highValue");
                }
                check(property, name, value);
                check(property, name, highValue);
            }
            default -> {
                if (value == null) {
                    throw HubSpotApiException.validation("filter on " + name + ": " + operator + " needs a value");
                }
                if (operator != Operator.CONTAINS_TOKEN && operator != Operator.NOT_CONTAINS_TOKEN) {
                    check(property, name, value);
                }
            }
        }
        return new Filter(property, associated, operator, value, highValue, values);
    }

    /** A filter value must be of the property's kind: a number, or a datetime (epoch milliseconds or ISO). */
    private static void check(HubSpotProperty property, String name, String value) {
        if (property == null) {
            if (HubSpotApiSupport.parseId(value) == null) {
                throw HubSpotApiException.validation("filter on " + name + ": " + value + " is not a record id");
            }
        } else if (property.isDateTime() && HubSpotJson.parseDateTime(value) == null) {
            throw HubSpotApiException.validation("filter on " + name + ": " + value + " is not a valid date"
                    + " (milliseconds since the epoch or an ISO 8601 time)");
        } else if (property.isNumber() && number(value) == null) {
            throw HubSpotApiException.validation("filter on " + name + ": " + value + " is not a number");
        }
    }

    private static int integer(JsonNode node, String name) {
        String text = node.asText().trim();
        if (!(node.isIntegralNumber() || node.isTextual()) || !text.matches("-?\\d{1,9}")) {
            throw HubSpotApiException.validation(name + ": expected a whole number, got " + node);
        }
        return Integer.parseInt(text);
    }

    List<String> properties() {
        return properties;
    }

    int limit() {
        return limit;
    }

    int after() {
        return after;
    }

    /** Whether a live record matches; {@code associations} gives its associated ids of a type. */
    boolean matches(HubSpotRecord record,
            BiFunction<HubSpotRecord, HubSpotObjectType, NavigableMap<Long, Boolean>> associations) {
        if (query != null && !query.isBlank() && !matchesQuery(record)) {
            return false;
        }
        if (groups.isEmpty()) {
            return true;
        }
        for (List<Filter> group : groups) {
            boolean all = true;
            for (Filter filter : group) {
                if (!matches(record, filter, associations)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    /** Sorted as asked, else by creation (oldest first); ties by id; records without the sort value last. */
    Comparator<HubSpotRecord> order() {
        Comparator<HubSpotRecord> byId = Comparator.comparingLong(HubSpotRecord::id);
        if (sortProperty == null) {
            return Comparator.comparing(HubSpotRecord::createdAt).thenComparing(byId);
        }
        HubSpotProperty p = sortProperty;
        Comparator<HubSpotRecord> byValue = (a, b) -> compare(a.comparable(p), b.comparable(p));
        if (descending) {
            byValue = byValue.reversed();
        }
        Comparator<HubSpotRecord> nullsLast = Comparator.comparing(r -> r.comparable(p) == null);
        return nullsLast.thenComparing(byValue).thenComparing(byId);
    }

    private boolean matchesQuery(HubSpotRecord record) {
        String needle = query.trim().toLowerCase(Locale.ROOT);
        for (String name : type.searchableProperties()) {
            String value = record.get(name);
            if (value != null && value.toLowerCase(Locale.ROOT).contains(needle)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(HubSpotRecord record, Filter filter,
            BiFunction<HubSpotRecord, HubSpotObjectType, NavigableMap<Long, Boolean>> associations) {
        if (filter.property() == null) {
            NavigableMap<Long, Boolean> targets = associations.apply(record, filter.associatedType());
            return targets != null && targets.containsKey(Long.parseLong(filter.value().trim()));
        }
        HubSpotProperty p = filter.property();
        String text = record.get(p);
        Comparable<?> actual = record.comparable(p);
        return switch (filter.operator()) {
            case HAS_PROPERTY -> text != null;
            case NOT_HAS_PROPERTY -> text == null;
            case EQ -> actual != null && compare(actual, filter.low()) == 0;
            case NEQ -> actual == null || compare(actual, filter.low()) != 0;
            case LT -> actual != null && compare(actual, filter.low()) < 0;
            case LTE -> actual != null && compare(actual, filter.low()) <= 0;
            case GT -> actual != null && compare(actual, filter.low()) > 0;
            case GTE -> actual != null && compare(actual, filter.low()) >= 0;
            case BETWEEN -> actual != null && compare(actual, filter.low()) >= 0 && compare(actual, filter.high()) <= 0;
            case IN -> actual != null && filter.listed().stream().anyMatch(v -> compare(actual, v) == 0);
            case NOT_IN -> actual == null || filter.listed().stream().noneMatch(v -> compare(actual, v) == 0);
            case CONTAINS_TOKEN -> text != null && containsToken(text, filter.value());
            case NOT_CONTAINS_TOKEN -> text == null || !containsToken(text, filter.value());
        };
    }
    /**
     * Compares two values of a property as {@link HubSpotProperty#comparable} gives them (numbers and datetimes by
     * value, enumerations exactly, text without regard to case); filter values were checked to parse when the query was.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Comparable<?> actual, Comparable<?> wanted) {
        return ((Comparable) actual).compareTo(wanted);
    }

    /** A token of the value equals the given one (case-insensitive); {@code *} in it stands for any characters. */
    private static boolean containsToken(String actual, String token) {
        Pattern pattern = Pattern.compile(("\\Q" + token.trim().toLowerCase(Locale.ROOT) + "\\E").replace("*", "\\E.*\\Q"));
        for (String part : actual.toLowerCase(Locale.ROOT).split("[\\s,;@.]+")) {
            if (pattern.matcher(part).matches()) {
                return true;
            }
        }
        return pattern.matcher(actual.toLowerCase(Locale.ROOT)).matches();
    }

    private static BigDecimal number(String text) {
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
