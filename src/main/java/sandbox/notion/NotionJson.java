package sandbox.notion;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.http.MediaType;

import sandbox.notion.NotionWorkspace.Block;
import sandbox.notion.NotionWorkspace.Database;
import sandbox.notion.NotionWorkspace.Page;
import sandbox.notion.NotionWorkspace.Property;
import sandbox.notion.NotionWorkspace.User;

/**
 * The sandbox's Notion JSON, shaped by the request's {@code Notion-Version}: pages with typed property values,
 * databases (2022-06-28: with their schema; 2025-09-03 and later: with their data sources), data sources, blocks,
 * users and lists. Its own ObjectMapper, so the hub's Jackson settings never change the wire format.
 */
final class NotionJson {

    static final String V2022 = "2022-06-28";
    static final String V2025 = "2025-09-03";
    static final String V2026 = "2026-03-11";
    static final Set<String> VERSIONS = Set.of(V2022, V2025, V2026);
    static final Set<String> TEXT_BLOCKS = Set.of("paragraph", "heading_1", "heading_2", "heading_3", "bulleted_list_item",
            "numbered_list_item", "to_do", "toggle", "quote", "callout");
    static final MediaType CONTENT_TYPE = MediaType.parseMediaType("application/json; charset=utf-8");
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private NotionJson() {
    }

    static byte[] bytes(Object body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    static String time(Instant at) {
        return TIME.format(at);
    }

    static boolean dataSources(String version) {
        return !V2022.equals(version);
    }

    static Map<String, Object> user(User u) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("object", "user");
        user.put("id", u.id());
        user.put("name", u.name());
        user.put("avatar_url", null);
        if (u.bot()) {
            user.put("type", "bot");
            user.put("bot", Map.of("owner", Map.of("type", "workspace", "workspace", true)));
        } else {
            user.put("type", "person");
            user.put("person", Map.of("email", u.email()));
        }
        return user;
    }

    static Map<String, Object> list(List<?> results, String nextCursor, String type) {
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("object", "list");
        list.put("results", results);
        list.put("next_cursor", nextCursor);
        list.put("has_more", nextCursor != null);
        list.put("type", type);
        list.put(type, Map.of());
        return list;
    }

    static Map<String, Object> page(Page p, String version) {
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("object", "page");
        page.put("id", p.id);
        page.put("created_time", time(p.created));
        page.put("last_edited_time", time(p.lastEdited));
        page.put("created_by", Map.of("object", "user", "id", p.createdBy));
        page.put("last_edited_by", Map.of("object", "user", "id", p.lastEditedBy));
        page.put("cover", null);
        page.put("icon", null);
        Map<String, Object> parent = new LinkedHashMap<>();
        if (dataSources(version)) {
            parent.put("type", "data_source_id");
            parent.put("data_source_id", p.database.dataSourceId);
            parent.put("database_id", p.database.id);
        } else {
            parent.put("type", "database_id");
            parent.put("database_id", p.database.id);
        }
        page.put("parent", parent);
        if (!V2026.equals(version)) {
            page.put("archived", p.inTrash);
        }
        page.put("in_trash", p.inTrash);
        page.put("is_locked", false);
        page.put("url", "https://www.notion.so/" + slug(p.title()) + p.id.replace("-", ""));
        page.put("public_url", null);
        Map<String, Object> properties = new LinkedHashMap<>();
        for (Property property : p.database.schema.values()) {
            properties.put(property.name(), value(property, p.values.get(property.name())));
        }
        page.put("properties", properties);
        return page;
    }

    private static String slug(String title) {
        String slug = title.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return slug.isEmpty() ? "" : slug + "-";
    }

    static Map<String, Object> value(Property p, Object v) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("id", p.id());
        value.put("type", p.type());
        switch (p.type()) {
            case "title", "rich_text" -> value.put(p.type(), v == null || v.toString().isEmpty() ? List.of() : List.of(richText(v.toString())));
            case "number" -> value.put("number", v instanceof BigDecimal d ? (d.scale() <= 0 ? (Object) d.longValue() : d) : null);
            case "select" -> value.put("select", v == null ? null : option(v.toString()));
            case "multi_select" -> {
                List<Object> options = new ArrayList<>();
                ((List<?>) v).forEach(o -> options.add(option(o.toString())));
                value.put("multi_select", options);
            }
            case "relation" -> {
                List<Object> ids = new ArrayList<>();
                ((List<?>) v).forEach(o -> ids.add(Map.of("id", o.toString())));
                value.put("relation", ids);
                value.put("has_more", false);
            }
            case "date" -> {
                if (v == null) {
                    value.put("date", null);
                } else {
                    Map<String, Object> date = new LinkedHashMap<>();
                    date.put("start", v.toString());
                    date.put("end", null);
                    date.put("time_zone", null);
                    value.put("date", date);
                }
            }
            default -> value.put(p.type(), v);
        }
        return value;
    }

    private static Map<String, Object> option(String name) {
        Map<String, Object> option = new LinkedHashMap<>();
        option.put("id", Integer.toHexString(name.hashCode()));
        option.put("name", name);
        option.put("color", "default");
        return option;
    }

    static Map<String, Object> richText(String text) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("type", "text");
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("content", text);
        content.put("link", null);
        item.put("text", content);
        Map<String, Object> annotations = new LinkedHashMap<>();
        for (String a : List.of("bold", "italic", "strikethrough", "underline", "code")) {
            annotations.put(a, false);
        }
        annotations.put("color", "default");
        item.put("annotations", annotations);
        item.put("plain_text", text);
        item.put("href", null);
        return item;
    }

    static Map<String, Object> block(Block b, NotionWorkspace w) {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("object", "block");
        block.put("id", b.id);
        boolean onPage = w.page(b.parentId) != null;
        block.put("parent", onPage ? Map.of("type", "page_id", "page_id", b.parentId) : Map.of("type", "block_id", "block_id", b.parentId));
        block.put("created_time", time(b.created));
        block.put("last_edited_time", time(b.lastEdited));
        block.put("created_by", Map.of("object", "user", "id", w.botId));
        block.put("last_edited_by", Map.of("object", "user", "id", w.botId));
        block.put("has_children", !b.children.isEmpty());
        block.put("archived", false);
        block.put("in_trash", false);
        block.put("type", b.type);
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("rich_text", b.text.isEmpty() ? List.of() : List.of(richText(b.text)));
        content.put("color", "default");
        if (b.checked != null) {
            content.put("checked", b.checked);
        }
        if (b.type.startsWith("heading_")) {
            content.put("is_toggleable", false);
        }
        block.put(b.type, content);
        return block;
    }

    static Map<String, Object> database(Database d, String version, NotionWorkspace w) {
        Map<String, Object> db = new LinkedHashMap<>();
        db.put("object", "database");
        db.put("id", d.id);
        db.put("created_time", time(d.created));
        db.put("last_edited_time", time(d.created));
        db.put("title", List.of(richText(d.title)));
        db.put("parent", Map.of("type", "workspace", "workspace", true));
        db.put("url", "https://www.notion.so/" + d.id.replace("-", ""));
        if (!V2026.equals(version)) {
            db.put("archived", false);
        }
        db.put("in_trash", false);
        db.put("is_inline", false);
        if (dataSources(version)) {
            db.put("data_sources", List.of(Map.of("id", d.dataSourceId, "name", d.title)));
        } else {
            db.put("properties", schema(d, w));
        }
        return db;
    }

    static Map<String, Object> dataSource(Database d, NotionWorkspace w) {
        Map<String, Object> ds = new LinkedHashMap<>();
        ds.put("object", "data_source");
        ds.put("id", d.dataSourceId);
        ds.put("created_time", time(d.created));
        ds.put("last_edited_time", time(d.created));
        ds.put("name", d.title);
        ds.put("title", List.of(richText(d.title)));
        ds.put("parent", Map.of("type", "database_id", "database_id", d.id));
        ds.put("database_parent", Map.of("type", "workspace", "workspace", true));
        ds.put("in_trash", false);
        ds.put("properties", schema(d, w));
        return ds;
    }

    private static Map<String, Object> schema(Database d, NotionWorkspace w) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (Property p : d.schema.values()) {
            Map<String, Object> property = new LinkedHashMap<>();
            property.put("id", p.id());
            property.put("name", p.name());
            property.put("type", p.type());
            property.put(p.type(), p.type().equals("relation") ? Map.of("database_id", p.relatedDatabase(), "type", "single_property",
                    "single_property", Map.of()) : p.type().equals("number") ? Map.of("format", "number") : Map.of());
            properties.put(p.name(), property);
        }
        return properties;
    }
}
