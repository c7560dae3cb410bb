package sandbox.notion;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import sandbox.kit.CallAdmission;
import sandbox.kit.Population;

/**
 * One Notion workspace of the sandbox: its users, a Companies and a Notes database (each with its data source, as
 * API version 2025-09-03 shows them), their pages with typed property values, the pages' blocks, and its limits.
 * Pages are seeded from the shared {@link Population} as the provider "notion" holds it: the k-th company is a page
 * of Companies, and the notes are meeting notes about those companies and their people. Every change bumps the page's
 * {@code last_edited_time} (rounded down to the minute, as Notion's are) and is told to the listener (webhooks).
 */
final class NotionWorkspace {

    static final String PROVIDER = "notion";
    static final String CALLS = "api";

    /** Hears of every page change: created, properties_updated, content_updated, deleted, undeleted. */
    interface Listener {
        void changed(NotionWorkspace workspace, String type, Page page);
    }

    record User(String id, String name, String email, boolean bot) {
    }

    /** A database property: its short id, name, type and (select, multi_select) its options. */
    record Property(String id, String name, String type, String relatedDatabase) {
    }

    static final class Database {
        final String id;
        final String dataSourceId;
        final String title;
        final Instant created;
        final Map<String, Property> schema = new LinkedHashMap<>();

        Database(String id, String dataSourceId, String title, Instant created) {
            this.id = id;
            this.dataSourceId = dataSourceId;
            this.title = title;
            this.created = created;
        }

        Property property(String nameOrId) {
            Property byName = schema.get(nameOrId);
            if (byName != null) {
                return byName;
            }
            return schema.values().stream().filter(p -> p.id().equals(nameOrId)).findFirst().orElse(null);
        }

        Property title() {
            return schema.values().stream().filter(p -> p.type().equals("title")).findFirst().orElseThrow();
        }
    }

    static final class Block {
        final String id;
        final String parentId;
        final String type;
        String text;
        final Boolean checked;
        final List<Block> children = new ArrayList<>();
        final Instant created;
        Instant lastEdited;

        Block(String id, String parentId, String type, String text, Boolean checked, Instant created) {
            this.id = id;
            this.parentId = parentId;
            this.type = type;
            this.text = text;
            this.checked = checked;
            this.created = created;
            this.lastEdited = created;
        }
    }

    static final class Page {
        final String id;
        final Database database;
        final Instant created;
        final String createdBy;
        Instant lastEdited;
        String lastEditedBy;
        boolean inTrash;
        final Map<String, Object> values = new LinkedHashMap<>();
        final List<Block> blocks = new ArrayList<>();

        Page(String id, Database database, Instant created, String createdBy) {
            this.id = id;
            this.database = database;
            this.created = created;
            this.createdBy = createdBy;
            this.lastEdited = created;
            this.lastEditedBy = createdBy;
        }

        String title() {
            Object title = values.get(database.title().name());
            return title == null ? "" : title.toString();
        }
    }

    /** One page of a listing: the items and the id the next page starts at (null at the end). */
    record Listing<T>(List<T> items, String nextCursor) {
    }

    final String name;
    final String workspaceId;
    final String botId;
    final CallAdmission calls;
    /** The internal integration token was revoked (Notion's "refresh secret" on the integration's page). */
    volatile boolean internalTokenRevoked;
    private final Clock clock;
    private final Listener listener;
    private final List<User> users = new ArrayList<>();
    private final Map<String, Database> databases = new LinkedHashMap<>();
    private final Map<String, Page> pages = new LinkedHashMap<>();
    private final Map<String, Block> blocks = new LinkedHashMap<>();
    /** Seeded page id to the world entity ids it stands for. */
    private final Map<String, Map<String, Object>> groundTruth = new LinkedHashMap<>();
    final Database companies;
    final Database notes;

    NotionWorkspace(String name, NotionSandboxProperties properties, int companyCount, int noteCount, Population population,
                    Clock clock, Listener listener) {
        this.name = name;
        this.clock = clock;
        this.listener = listener;
        this.workspaceId = uuid("workspace");
        this.botId = uuid("bot");
        this.calls = new CallAdmission(clock, properties.latencyMs()).window(CALLS, properties.rateLimit(), properties.rateWindow());
        Instant base = clock.instant().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofDays(30));
        users.add(new User(botId, "Castiel Hub", null, true));
        this.companies = new Database(uuid("db/companies"), uuid("ds/companies"), "Companies", base);
        this.notes = new Database(uuid("db/notes"), uuid("ds/notes"), "Notes", base);
        databases.put(companies.id, companies);
        databases.put(notes.id, notes);
        schema(companies, List.of("Name:title", "Website:url", "Industry:select", "Type:select", "Employees:number",
                "Annual revenue:number", "Phone:phone_number", "Email:email", "City:rich_text", "Country:rich_text",
                "Description:rich_text", "Active:checkbox"));
        schema(notes, List.of("Name:title", "Company:relation", "Tags:multi_select", "Date:date"));
        seed(population, companyCount, noteCount, base);
    }

    private void schema(Database db, List<String> specs) {
        int i = 0;
        for (String spec : specs) {
            String[] parts = spec.split(":");
            String id = parts[1].equals("title") ? "title" : shortId(db.id + parts[0], i++);
            db.schema.put(parts[0], new Property(id, parts[0], parts[1], parts[1].equals("relation") ? companies.id : null));
        }
    }

    private void seed(Population population, int companyCount, int noteCount, Instant base) {
        List<String> companyIds = new ArrayList<>();
        List<Population.Account> accounts = new ArrayList<>();
        for (int k = 0; k < companyCount; k++) {
            Population.Account account = population.account(PROVIDER, k);
            accounts.add(account);
            if (k < 3) {
                Population.Person person = account.people().get(0);
                users.add(new User(uuid("user/" + k), person.firstName() + " " + person.lastName(), person.email(), false));
            }
        }
        String author = users.size() > 1 ? users.get(1).id() : botId;
        for (int k = 0; k < accounts.size(); k++) {
            Population.Company c = accounts.get(k).company();
            Instant at = base.plus(Duration.ofMinutes(7L * k));
            Page page = new Page(uuid("page/companies/" + k), companies, at, author);
            page.values.put("Name", c.name());
            page.values.put("Website", c.website());
            page.values.put("Industry", c.industry());
            page.values.put("Type", c.type());
            page.values.put("Employees", c.employees() == null ? null : new BigDecimal(c.employees()));
            page.values.put("Annual revenue", c.annualRevenue() == null ? null : new BigDecimal(c.annualRevenue()));
            page.values.put("Phone", c.phone());
            page.values.put("Email", accounts.get(k).people().get(0).email());
            page.values.put("City", c.address() == null ? null : c.address().city());
            page.values.put("Country", c.address() == null ? null : c.address().country());
            page.values.put("Description", c.description());
            page.values.put("Active", true);
            block(page, null, "paragraph", c.name() + " works in " + (c.industry() == null ? "its industry" : c.industry())
                    + "; main contact " + accounts.get(k).people().get(0).firstName() + " " + accounts.get(k).people().get(0).lastName()
                    + ".", null, at);
            pages.put(page.id, page);
            companyIds.add(page.id);
            groundTruth.put(page.id, Map.of("database", "Companies", "company", c.entityId()));
        }
        List<String> tags = List.of("call", "meeting", "email", "renewal", "support");
        for (int n = 0; n < noteCount && !accounts.isEmpty(); n++) {
            int k = n % accounts.size();
            Population.Account account = accounts.get(k);
            Population.Person person = account.people().get(n / accounts.size() % account.people().size());
            Instant at = base.plus(Duration.ofMinutes(11L * n + 3));
            String writer = users.get(1 + n % Math.max(1, users.size() - 1)).id();
            Page page = new Page(uuid("page/notes/" + n), notes, at, users.size() > 1 ? writer : botId);
            String company = account.company().name();
            page.values.put("Name", "Meeting with " + person.firstName() + " " + person.lastName() + " (" + company + ")");
            page.values.put("Company", List.of(companyIds.get(k)));
            page.values.put("Tags", List.of(tags.get(n % tags.size())));
            page.values.put("Date", LocalDate.ofInstant(at, ZoneOffset.UTC).toString());
            block(page, null, "heading_2", "Summary", null, at);
            block(page, null, "paragraph", person.firstName() + " " + person.lastName() + (person.title() == null ? ""
                    : ", " + person.title() + ",") + " of " + company + " talked about " + tags.get(n % tags.size())
                    + " plans for the next quarter.", null, at);
            Block next = block(page, null, "bulleted_list_item", "Next step: send the proposal to " + person.email(), null, at);
            block(page, next, "paragraph", "Deal: " + (account.deal() == null ? "none yet" : account.deal().name()), null, at);
            block(page, null, "numbered_list_item", "Follow up with " + company + " in two weeks", null, at);
            block(page, null, "to_do", "Book the renewal call", n % 2 == 0, at);
            pages.put(page.id, page);
            Map<String, Object> truth = new LinkedHashMap<>();
            truth.put("database", "Notes");
            truth.put("company", account.company().entityId());
            truth.put("person", person.entityId());
            groundTruth.put(page.id, truth);
        }
    }

    private Block block(Page page, Block parent, String type, String text, Boolean checked, Instant at) {
        Block block = new Block(uuid("block/" + page.id + "/" + blocks.size()), parent == null ? page.id : parent.id, type, text,
                checked, at);
        (parent == null ? page.blocks : parent.children).add(block);
        blocks.put(block.id, block);
        return block;
    }

    private String uuid(String what) {
        return UUID.nameUUIDFromBytes((PROVIDER + "/" + name + "/" + what).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static String shortId(String seed, int i) {
        String chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ%3B%3D";
        int h = Math.floorMod(seed.hashCode(), 1 << 20);
        return "" + chars.charAt(h % 36) + chars.charAt(h / 36 % 36) + "%3D" + chars.charAt((h / 1296 + i) % 36);
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MINUTES);
    }

    synchronized List<User> users() {
        return List.copyOf(users);
    }

    synchronized User user(String id) {
        return users.stream().filter(u -> u.id().equals(id)).findFirst().orElse(null);
    }

    synchronized Database database(String id) {
        return databases.get(normalize(id));
    }

    synchronized Database dataSource(String id) {
        String wanted = normalize(id);
        return databases.values().stream().filter(d -> d.dataSourceId.equals(wanted)).findFirst().orElse(null);
    }

    synchronized Page page(String id) {
        return pages.get(normalize(id));
    }

    synchronized Map<String, Map<String, Object>> groundTruth() {
        return new LinkedHashMap<>(groundTruth);
    }

    synchronized long live(Database db) {
        return pages.values().stream().filter(p -> p.database == db && !p.inTrash).count();
    }

    /** Ids as clients give them: with dashes, or the 32-hex form of Notion's URLs. */
    static String normalize(String id) {
        if (id == null) {
            return "";
        }
        String s = id.trim().toLowerCase(Locale.ROOT);
        if (s.matches("[0-9a-f]{32}")) {
            return s.substring(0, 8) + "-" + s.substring(8, 12) + "-" + s.substring(12, 16) + "-" + s.substring(16, 20) + "-" + s.substring(20);
        }
        return s;
    }

    // ------------------------------------------------------------------ queries

    /** A database query: the filter, sorts and paging of Notion's query body. */
    synchronized Listing<Page> query(Database db, JsonNode body, boolean includeTrash) {
        JsonNode filter = body.path("filter");
        List<Page> matching = new ArrayList<>();
        for (Page page : pages.values()) {
            if (page.database == db && (includeTrash || !page.inTrash) && (filter.isMissingNode() || filter.isNull()
                    || NotionFilters.matches(page, filter))) {
                matching.add(page);
            }
        }
        matching.sort(NotionFilters.order(db, body.path("sorts")));
        return slice(matching, body.path("start_cursor"), body.path("page_size"), p -> p.id);
    }

    /** Pages whose title contains the query (case-insensitive), and the databases when not filtered to pages. */
    synchronized Listing<Object> search(String query, String objectFilter, JsonNode cursor, JsonNode pageSize) {
        List<Object> found = new ArrayList<>();
        String q = query == null ? "" : query.toLowerCase(Locale.ROOT);
        if (objectFilter == null || objectFilter.equals("database") || objectFilter.equals("data_source")) {
            databases.values().stream().filter(d -> d.title.toLowerCase(Locale.ROOT).contains(q)).forEach(found::add);
        }
        if (objectFilter == null || objectFilter.equals("page")) {
            pages.values().stream().filter(p -> !p.inTrash && p.title().toLowerCase(Locale.ROOT).contains(q))
                    .sorted(Comparator.comparing((Page p) -> p.lastEdited).reversed().thenComparing(p -> p.id)).forEach(found::add);
        }
        return slice(found, cursor, pageSize, o -> o instanceof Page p ? p.id : ((Database) o).id);
    }

    synchronized Listing<Block> children(String blockId, JsonNode cursor, JsonNode pageSize) {
        String id = normalize(blockId);
        Page page = pages.get(id);
        List<Block> list;
        if (page != null) {
            list = page.blocks;
        } else {
            Block block = blocks.get(id);
            if (block == null) {
                throw NotionApiException.notFound("block", blockId);
            }
            list = block.children;
        }
        return slice(new ArrayList<>(list), cursor, pageSize, b -> b.id);
    }

    synchronized Block block(String id) {
        return blocks.get(normalize(id));
    }

    private static <T> Listing<T> slice(List<T> all, JsonNode cursor, JsonNode pageSizeNode, java.util.function.Function<T, String> idOf) {
        int pageSize = 100;
        if (!pageSizeNode.isMissingNode() && !pageSizeNode.isNull()) {
            if (!pageSizeNode.canConvertToInt() || pageSizeNode.asInt() < 1 || pageSizeNode.asInt() > 100) {
                throw NotionApiException.validation("body failed validation: body.page_size should be a number between 1 and 100,"
                        + " instead was " + pageSizeNode + ".");
            }
            pageSize = pageSizeNode.asInt();
        }
        int start = 0;
        if (!cursor.isMissingNode() && !cursor.isNull()) {
            String wanted = normalize(cursor.asText());
            start = -1;
            for (int i = 0; i < all.size(); i++) {
                if (idOf.apply(all.get(i)).equals(wanted)) {
                    start = i;
                    break;
                }
            }
            if (start < 0) {
                throw NotionApiException.validation("body failed validation: start_cursor provided is invalid: " + cursor.asText());
            }
        }
        int end = Math.min(all.size(), start + pageSize);
        return new Listing<>(List.copyOf(all.subList(start, end)), end < all.size() ? idOf.apply(all.get(end)) : null);
    }

    // ------------------------------------------------------------------ writes

    /** Applies {@code properties} (Notion's request shapes) and {@code in_trash}/{@code archived}; answers the page. */
    Page update(String pageId, JsonNode body, String editor) {
        String event;
        Page page;
        synchronized (this) {
            page = pages.get(normalize(pageId));
            if (page == null) {
                throw NotionApiException.notFound("page", pageId);
            }
            JsonNode trash = body.has("in_trash") ? body.get("in_trash") : body.get("archived");
            JsonNode properties = body.path("properties");
            if (page.inTrash && (trash == null || trash.asBoolean()) && properties.size() > 0) {
                throw NotionApiException.validation("Can't edit block that is archived. You must unarchive the block before editing.");
            }
            Map<String, Object> values = NotionFilters.values(page.database, properties);
            boolean wasTrash = page.inTrash;
            page.values.putAll(values);
            if (trash != null && !trash.isNull()) {
                if (!trash.isBoolean()) {
                    throw NotionApiException.validation("body failed validation: body.in_trash should be a boolean, instead was "
                            + trash + ".");
                }
                page.inTrash = trash.asBoolean();
            }
            page.lastEdited = now();
            page.lastEditedBy = editor;
            event = page.inTrash != wasTrash ? (page.inTrash ? "page.deleted" : "page.undeleted") : "page.properties_updated";
        }
        listener.changed(this, event, page);
        return page;
    }

    /** A new page in a database (POST /v1/pages), with its properties and optional paragraph children. */
    Page create(Database db, JsonNode body, String editor) {
        Page page;
        synchronized (this) {
            Map<String, Object> values = NotionFilters.values(db, body.path("properties"));
            page = new Page(UUID.randomUUID().toString(), db, now(), editor);
            for (Property p : db.schema.values()) {
                page.values.put(p.name(), values.getOrDefault(p.name(), NotionFilters.empty(p.type())));
            }
            for (JsonNode child : body.path("children")) {
                addChild(page, child);
            }
            pages.put(page.id, page);
        }
        listener.changed(this, "page.created", page);
        return page;
    }

    /** Appends blocks to a page (PATCH /v1/blocks/{page}/children). */
    List<Block> append(String blockId, JsonNode body, String editor) {
        Page page;
        List<Block> added = new ArrayList<>();
        synchronized (this) {
            page = pages.get(normalize(blockId));
            if (page == null) {
                throw NotionApiException.notFound("block", blockId);
            }
            JsonNode children = body.path("children");
            if (!children.isArray()) {
                throw NotionApiException.validation("body failed validation: body.children should be defined, instead was undefined.");
            }
            for (JsonNode child : children) {
                added.add(addChild(page, child));
            }
            page.lastEdited = now();
            page.lastEditedBy = editor;
        }
        listener.changed(this, "page.content_updated", page);
        return added;
    }

    private Block addChild(Page page, JsonNode child) {
        String type = child.path("type").asText(null);
        if (type == null) {
            type = child.fieldNames().hasNext() ? child.fieldNames().next() : null;
        }
        if (type == null || !NotionJson.TEXT_BLOCKS.contains(type)) {
            throw NotionApiException.validation("body failed validation: unsupported block type " + type);
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode rt : child.path(type).path("rich_text")) {
            text.append(rt.path("text").path("content").asText(rt.path("plain_text").asText("")));
        }
        Boolean checked = type.equals("to_do") ? child.path(type).path("checked").asBoolean(false) : null;
        return block(page, null, type, text.toString(), checked, now());
    }
}
