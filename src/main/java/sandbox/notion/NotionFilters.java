package sandbox.notion;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import sandbox.notion.NotionWorkspace.Database;
import sandbox.notion.NotionWorkspace.Page;
import sandbox.notion.NotionWorkspace.Property;

/**
 * Notion's query language over the sandbox's pages (filters: timestamp, typed property conditions, {@code and}/{@code or};
 * sorts by property or timestamp) and its property values in requests ({@code {"title":[{"text":{"content":..}}]}},
 * {@code {"number":42}}, {@code {"select":{"name":..}}} ...), checked against the database's schema as Notion checks
 * them: an unknown property or a value of the wrong type is a 400 {@code validation_error}.
 */
final class NotionFilters {

    private NotionFilters() {
    }

    static boolean matches(Page page, JsonNode filter) {
        if (filter.has("and")) {
            for (JsonNode f : filter.get("and")) {
                if (!matches(page, f)) {
                    return false;
                }
            }
            return true;
        }
        if (filter.has("or")) {
            for (JsonNode f : filter.get("or")) {
                if (matches(page, f)) {
                    return true;
                }
            }
            return false;
        }
        if (filter.has("timestamp")) {
            String which = filter.get("timestamp").asText();
            Instant value = switch (which) {
                case "last_edited_time" -> page.lastEdited;
                case "created_time" -> page.created;
                default -> throw NotionApiException.validation("body failed validation: body.filter.timestamp should be"
                        + " \"created_time\" or \"last_edited_time\", instead was \"" + which + "\".");
            };
            return dateMatches(value, filter.path(which), which);
        }
        String name = filter.path("property").asText(null);
        if (name == null) {
            throw NotionApiException.validation("body failed validation: body.filter should have a property, timestamp, and or or.");
        }
        Property property = page.database.property(name);
        if (property == null) {
            throw NotionApiException.validation("Could not find property with name or id: " + name);
        }
        JsonNode condition = filter.path(property.type());
        if (condition.isMissingNode()) {
            throw NotionApiException.validation("body failed validation: body.filter." + property.type() + " should be defined for"
                    + " property " + name + ".");
        }
        Object value = page.values.get(property.name());
        return switch (property.type()) {
            case "title", "rich_text", "url", "email", "phone_number" -> textMatches(value == null ? "" : value.toString(), condition);
            case "number" -> numberMatches((BigDecimal) value, condition);
            case "select" -> textMatches(value == null ? "" : value.toString(), condition);
            case "checkbox" -> condition.has("equals") ? Boolean.valueOf(condition.get("equals").asBoolean()).equals(value)
                    : !Boolean.valueOf(condition.path("does_not_equal").asBoolean()).equals(value);
            case "date" -> dateMatches(value == null ? null : instant(value.toString()), condition, name);
            case "multi_select", "relation" -> listMatches(value, condition);
            default -> false;
        };
    }

    private static boolean textMatches(String value, JsonNode c) {
        if (c.has("equals")) {
            return value.equals(c.get("equals").asText());
        }
        if (c.has("does_not_equal")) {
            return !value.equals(c.get("does_not_equal").asText());
        }
        if (c.has("contains")) {
            return value.contains(c.get("contains").asText());
        }
        if (c.has("does_not_contain")) {
            return !value.contains(c.get("does_not_contain").asText());
        }
        if (c.has("starts_with")) {
            return value.startsWith(c.get("starts_with").asText());
        }
        if (c.has("ends_with")) {
            return value.endsWith(c.get("ends_with").asText());
        }
        if (c.has("is_empty")) {
            return value.isEmpty();
        }
        if (c.has("is_not_empty")) {
            return !value.isEmpty();
        }
        throw NotionApiException.validation("body failed validation: unknown text condition " + c);
    }

    private static boolean numberMatches(BigDecimal value, JsonNode c) {
        if (c.has("is_empty")) {
            return value == null;
        }
        if (c.has("is_not_empty")) {
            return value != null;
        }
        if (value == null) {
            return false;
        }
        String op = c.fieldNames().hasNext() ? c.fieldNames().next() : "";
        BigDecimal other = c.path(op).decimalValue();
        int cmp = value.compareTo(other);
        return switch (op) {
            case "equals" -> cmp == 0;
            case "does_not_equal" -> cmp != 0;
            case "greater_than" -> cmp > 0;
            case "less_than" -> cmp < 0;
            case "greater_than_or_equal_to" -> cmp >= 0;
            case "less_than_or_equal_to" -> cmp <= 0;
            default -> throw NotionApiException.validation("body failed validation: unknown number condition " + op);
        };
    }

    private static boolean listMatches(Object value, JsonNode c) {
        List<?> list = value instanceof List<?> l ? l : List.of();
        if (c.has("contains")) {
            return list.contains(c.get("contains").asText());
        }
        if (c.has("does_not_contain")) {
            return !list.contains(c.get("does_not_contain").asText());
        }
        if (c.has("is_empty")) {
            return list.isEmpty();
        }
        if (c.has("is_not_empty")) {
            return !list.isEmpty();
        }
        throw NotionApiException.validation("body failed validation: unknown list condition " + c);
    }

    private static boolean dateMatches(Instant value, JsonNode c, String what) {
        if (c.has("is_empty")) {
            return value == null;
        }
        if (c.has("is_not_empty")) {
            return value != null;
        }
        String op = c.fieldNames().hasNext() ? c.fieldNames().next() : null;
        if (op == null) {
            throw NotionApiException.validation("body failed validation: body.filter." + what + " should have a condition.");
        }
        Instant other = instant(c.get(op).asText());
        if (other == null) {
            throw NotionApiException.validation("body failed validation: body.filter." + what + "." + op
                    + " should be a valid ISO 8601 date string, instead was \"" + c.get(op).asText() + "\".");
        }
        if (value == null) {
            return false;
        }
        return switch (op) {
            case "equals" -> value.equals(other);
            case "before" -> value.isBefore(other);
            case "after" -> value.isAfter(other);
            case "on_or_before" -> !value.isAfter(other);
            case "on_or_after" -> !value.isBefore(other);
            default -> throw NotionApiException.validation("body failed validation: unknown date condition " + op);
        };
    }

    static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    /** The order of {@code sorts} (earlier sorts win); without sorts, newest created first. Ties by id. */
    static Comparator<Page> order(Database db, JsonNode sorts) {
        Comparator<Page> order = null;
        if (sorts.isArray()) {
            for (JsonNode sort : sorts) {
                Comparator<Page> one;
                if (sort.has("timestamp")) {
                    String which = sort.get("timestamp").asText();
                    one = Comparator.comparing(p -> which.equals("created_time") ? p.created : p.lastEdited);
                } else {
                    Property property = db.property(sort.path("property").asText());
                    if (property == null) {
                        throw NotionApiException.validation("Could not find sort property with name or id: " + sort.path("property").asText());
                    }
                    one = Comparator.comparing(p -> sortKey(p.values.get(property.name())), Comparator.nullsLast(Comparator.naturalOrder()));
                }
                if ("descending".equals(sort.path("direction").asText())) {
                    one = one.reversed();
                }
                order = order == null ? one : order.thenComparing(one);
            }
        }
        if (order == null) {
            order = Comparator.comparing((Page p) -> p.created).reversed();
        }
        return order.thenComparing(p -> p.id);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparable sortKey(Object value) {
        if (value instanceof BigDecimal || value instanceof Boolean) {
            return (Comparable) value;
        }
        return value == null ? null : value.toString().toLowerCase(Locale.ROOT);
    }

    /** A property's empty value. */
    static Object empty(String type) {
        return switch (type) {
            case "multi_select", "relation" -> List.of();
            case "checkbox" -> false;
            default -> null;
        };
    }

    /** Property values of a request body, by property name, checked against the schema. */
    static Map<String, Object> values(Database db, JsonNode properties) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (properties.isMissingNode() || properties.isNull()) {
            return values;
        }
        if (!properties.isObject()) {
            throw NotionApiException.validation("body failed validation: body.properties should be an object, instead was " + properties + ".");
        }
        properties.fields().forEachRemaining(e -> {
            Property p = db.property(e.getKey());
            if (p == null) {
                throw NotionApiException.validation(e.getKey() + " is not a property that exists.");
            }
            values.put(p.name(), value(p, e.getValue()));
        });
        return values;
    }

    private static Object value(Property p, JsonNode given) {
        JsonNode v = given.path(p.type());
        String where = "body.properties." + p.name() + "." + p.type();
        if (v.isMissingNode()) {
            String other = given.fieldNames().hasNext() ? given.fieldNames().next() : "nothing";
            throw NotionApiException.validation("body failed validation: " + where + " should be defined, instead was `undefined`"
                    + " (the property is " + p.type() + ", the value " + other + ").");
        }
        switch (p.type()) {
            case "title", "rich_text" -> {
                if (!v.isArray()) {
                    throw NotionApiException.validation("body failed validation: " + where + " should be an array, instead was " + v + ".");
                }
                StringBuilder text = new StringBuilder();
                for (JsonNode item : v) {
                    String content = item.path("text").path("content").asText(null);
                    if (content == null) {
                        throw NotionApiException.validation("body failed validation: " + where + "[].text.content should be defined.");
                    }
                    if (content.length() > 2000) {
                        throw NotionApiException.validation("body failed validation: " + where + "[].text.content.length should be ≤ `2000`,"
                                + " instead was `" + content.length() + "`.");
                    }
                    text.append(content);
                }
                return text.toString();
            }
            case "number" -> {
                if (v.isNull()) {
                    return null;
                }
                if (!v.isNumber()) {
                    throw NotionApiException.validation("body failed validation: " + where + " should be a number or `null`, instead was `"
                            + v + "`.");
                }
                return v.decimalValue();
            }
            case "url", "email", "phone_number" -> {
                if (v.isNull()) {
                    return null;
                }
                if (!v.isTextual()) {
                    throw NotionApiException.validation("body failed validation: " + where + " should be a string or `null`, instead was `"
                            + v + "`.");
                }
                int max = p.type().equals("url") ? 2000 : 200;
                if (v.asText().length() > max) {
                    throw NotionApiException.validation("body failed validation: " + where + ".length should be ≤ `" + max + "`.");
                }
                return v.asText();
            }
            case "select" -> {
                if (v.isNull()) {
                    return null;
                }
                String name = v.path("name").asText(null);
                if (name == null) {
                    throw NotionApiException.validation("body failed validation: " + where + ".name should be defined.");
                }
                return name;
            }
            case "checkbox" -> {
                if (!v.isBoolean()) {
                    throw NotionApiException.validation("body failed validation: " + where + " should be a boolean, instead was `" + v + "`.");
                }
                return v.asBoolean();
            }
            case "date" -> {
                if (v.isNull()) {
                    return null;
                }
                String start = v.path("start").asText(null);
                if (start == null || instant(start) == null) {
                    throw NotionApiException.validation("body failed validation: " + where + ".start should be a valid ISO 8601 date string.");
                }
                return start;
            }
            case "multi_select" -> {
                List<String> names = new ArrayList<>();
                v.forEach(o -> names.add(o.path("name").asText()));
                return names;
            }
            case "relation" -> {
                List<String> ids = new ArrayList<>();
                v.forEach(o -> ids.add(NotionWorkspace.normalize(o.path("id").asText())));
                return ids;
            }
            default -> throw NotionApiException.validation("body failed validation: " + where + " cannot be written.");
        }
    }
}
