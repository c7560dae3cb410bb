package providers.notion;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import providers.PermanentProviderException;

/**
 * Notion pages as the hub reads them, and property values as Notion takes them. A page becomes a flat record: each
 * property by its name with a plain value (title and rich text as their plain text, number as a number, select and
 * status as the option's name, multi-select as the names joined with ", ", date as its start, checkbox as a boolean,
 * relation as the first related page's id, people as the first person's id, url/email/phone as text), beside the
 * page's {@code id}, {@code url}, {@code created_time}, {@code last_edited_time}, {@code created_by},
 * {@code last_edited_by}, {@code in_trash}, {@code database_id} and {@code data_source_id}. Writes go the other way by
 * the property's type.
 */
final class NotionPages {

    static final String ID = "id";
    static final String LAST_EDITED = "last_edited_time";
    static final String TEXT = "text";
    static final String AUTHOR = "author";
    /** The fields every record has besides its properties; never written as properties. */
    static final Set<String> RECORD_FIELDS = Set.of(ID, "url", "created_time", LAST_EDITED, "created_by", "last_edited_by",
            "in_trash", "archived", "database_id", "data_source_id", TEXT, AUTHOR);
    /** Property types the hub writes back. */
    static final Set<String> WRITABLE = Set.of("title", "rich_text", "number", "select", "status", "multi_select", "url", "email",
            "phone_number", "checkbox", "date", "relation");
    /** Notion's longest text item; longer text goes in several. */
    static final int TEXT_ITEM = 2000;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private NotionPages() {
    }

    static Map<String, Object> flat(JsonNode page) {
        Map<String, Object> flat = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> properties = page.path("properties").fields();
        while (properties.hasNext()) {
            Map.Entry<String, JsonNode> p = properties.next();
            flat.put(p.getKey(), value(p.getValue()));
        }
        flat.put(ID, page.path("id").asText(null));
        flat.put("url", page.path("url").asText(null));
        flat.put("created_time", page.path("created_time").asText(null));
        flat.put(LAST_EDITED, page.path(LAST_EDITED).asText(null));
        flat.put("created_by", page.path("created_by").path("id").asText(null));
        flat.put("last_edited_by", page.path("last_edited_by").path("id").asText(null));
        flat.put("in_trash", trashed(page));
        flat.put("database_id", page.path("parent").path("database_id").asText(null));
        flat.put("data_source_id", page.path("parent").path("data_source_id").asText(null));
        return flat;
    }

    static boolean trashed(JsonNode page) {
        return page.path("in_trash").asBoolean(false) || page.path("archived").asBoolean(false);
    }

    /** A property value's plain value. */
    static Object value(JsonNode property) {
        String type = property.path("type").asText("");
        JsonNode v = property.path(type);
        return switch (type) {
            case "title", "rich_text" -> v.isArray() && !v.isEmpty() ? plainText(v) : null;
            case "number" -> v.isNumber() ? v.decimalValue() : null;
            case "select", "status" -> v.isObject() ? v.path("name").asText(null) : null;
            case "multi_select" -> {
                List<String> names = new ArrayList<>();
                v.forEach(o -> names.add(o.path("name").asText()));
                yield names.isEmpty() ? null : String.join(", ", names);
            }
            case "url", "email", "phone_number" -> v.isTextual() ? v.asText() : null;
            case "checkbox" -> v.isBoolean() ? v.asBoolean() : null;
            case "date" -> v.isObject() ? v.path("start").asText(null) : null;
            case "relation", "people" -> v.isArray() && !v.isEmpty() ? v.get(0).path("id").asText(null) : null;
            case "created_by", "last_edited_by" -> v.path("id").asText(null);
            case "created_time", "last_edited_time" -> v.asText(null);
            case "unique_id" -> v.isObject() && v.path("number").isNumber()
                    ? (v.path("prefix").isTextual() ? v.path("prefix").asText() + "-" : "") + v.path("number").asLong() : null;
            case "formula" -> {
                String kind = v.path("type").asText("");
                JsonNode f = v.path(kind);
                yield f.isNumber() ? f.decimalValue() : f.isBoolean() ? f.asBoolean() : f.isObject() ? f.path("start").asText(null)
                        : f.isTextual() ? f.asText() : null;
            }
            default -> null;
        };
    }

    static String plainText(JsonNode richText) {
        StringBuilder text = new StringBuilder();
        for (JsonNode item : richText) {
            text.append(item.path("plain_text").asText(item.path("text").path("content").asText("")));
        }
        return text.toString();
    }

    /** A block's line of text, with a marker for its kind (headings, list items, to-dos, quotes); null for none. */
    static String line(JsonNode block) {
        String type = block.path("type").asText("");
        JsonNode content = block.path(type);
        if (!content.path("rich_text").isArray()) {
            return null;
        }
        String text = plainText(content.path("rich_text"));
        String marker = switch (type) {
            case "heading_1" -> "# ";
            case "heading_2" -> "## ";
            case "heading_3" -> "### ";
            case "bulleted_list_item" -> "- ";
            case "numbered_list_item" -> "1. ";
            case "to_do" -> content.path("checked").asBoolean(false) ? "[x] " : "[ ] ";
            case "quote" -> "> ";
            default -> "";
        };
        return marker + text;
    }

    /** Notion's request value of a property of this type. */
    static JsonNode request(String name, String type, Object value) {
        ObjectNode out = NODES.objectNode();
        switch (type) {
            case "title", "rich_text" -> {
                ArrayNode items = out.putArray(type);
                String text = value == null ? "" : text(value);
                for (int i = 0; i < text.length(); i += TEXT_ITEM) {
                    items.addObject().putObject("text").put("content", text.substring(i, Math.min(text.length(), i + TEXT_ITEM)));
                }
            }
            case "number" -> {
                if (value == null || value.toString().isBlank()) {
                    out.putNull("number");
                } else {
                    try {
                        out.put("number", value instanceof BigDecimal d ? d : new BigDecimal(value.toString().trim()));
                    } catch (NumberFormatException e) {
                        throw new PermanentProviderException("Notion property '" + name + "' is a number, not '" + shorten(value) + "'");
                    }
                }
            }
            case "select", "status" -> {
                if (value == null || value.toString().isBlank()) {
                    out.putNull(type);
                } else {
                    out.putObject(type).put("name", value.toString());
                }
            }
            case "multi_select" -> {
                ArrayNode options = out.putArray(type);
                for (String part : list(value)) {
                    options.addObject().put("name", part);
                }
            }
            case "relation" -> {
                ArrayNode ids = out.putArray(type);
                for (String part : list(value)) {
                    ids.addObject().put("id", part);
                }
            }
            case "url", "email", "phone_number" -> {
                if (value == null || value.toString().isBlank()) {
                    out.putNull(type);
                } else {
                    out.put(type, value.toString());
                }
            }
            case "checkbox" -> out.put(type, value instanceof Boolean b ? b.booleanValue() : Boolean.parseBoolean(String.valueOf(value)));
            case "date" -> {
                if (value == null || value.toString().isBlank()) {
                    out.putNull(type);
                } else {
                    out.putObject(type).put("start", value.toString());
                }
            }
            default -> throw new PermanentProviderException("Notion property '" + name + "' of type " + type + " cannot be written");
        }
        return out;
    }

    private static String text(Object value) {
        return value instanceof BigDecimal d ? d.toPlainString() : value.toString();
    }

    private static List<String> list(Object value) {
        List<String> parts = new ArrayList<>();
        if (value instanceof Collection<?> c) {
            c.forEach(o -> parts.add(String.valueOf(o)));
        } else if (value != null) {
            for (String part : value.toString().split(",")) {
                if (!part.isBlank()) {
                    parts.add(part.trim());
                }
            }
        }
        return parts;
    }

    private static String shorten(Object value) {
        String text = String.valueOf(value);
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

}
