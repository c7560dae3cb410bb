package sandbox.dynamics365;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;

/**
 * The operations on an entity set and its rows: query with paging and change tracking, {@code $count}, read one row,
 * create, update or upsert, delete, with Dataverse's statuses, headers and bodies.
 */
final class EntitySetRequests {

    private static final Pattern GUID = Pattern.compile("\\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
            + "[0-9a-fA-F]{12})\\}?");
    /** Query options Dataverse refuses together with change tracking. */
    private static final List<String> NOT_WITH_TRACKING = List.of("$filter", "$orderby", "$expand", "$top");
    private static final String UPSERTED = "u";
    private static final String DELETED = "d";

    private final Duration deltaTokenTtl;

    EntitySetRequests(Duration deltaTokenTtl) {
        this.deltaTokenTtl = deltaTokenTtl;
    }

    /** The row id in {@code accounts(<key>)}: a GUID, with or without braces, or {@code accountid=<guid>}. */
    static String key(EntitySchema table, String key) {
        String text = key.strip();
        int eq = text.indexOf('=');
        if (eq > 0) {
            String name = text.substring(0, eq).strip();
            if (!name.equals(table.primaryId())) {
                throw DataverseApiException.badQuery("The Dynamics 365 sandbox defines no alternate key '" + name
                        + "' on " + table.logicalName() + ": address a row by its " + table.primaryId() + ".");
            }
            text = text.substring(eq + 1).strip();
        }
        var m = GUID.matcher(text);
        if (!m.matches()) {
            throw DataverseApiException.badQuery("Bad Request - Error in query syntax: '" + key + "' is not a GUID key"
                    + " of " + table.entitySetName() + ".");
        }
        return m.group(1).toLowerCase(Locale.ROOT);
    }

    // ------------------------------------------------------------------ reads

    ApiResponse list(ApiCall call, EntitySchema table) {
        QueryOptions options = call.query();
        CollectionQuery query = CollectionQuery.parse(table, options);
        if (options.has("$deltatoken")) {
            refuseWithTracking(options);
            return delta(call, table, query);
        }
        String skip = options.get("$skiptoken");
        PageCursor cursor = skip == null ? null : PageCursor.decode(skip, query.keyColumns());
        if (cursor != null && cursor.isDelta()) {
            throw DataverseApiException.badQuery("The $skiptoken belongs to a delta link's pages: send it with its"
                    + " $deltatoken, as the @odata.nextLink has it.");
        }
        boolean tracking = call.preferences().trackChanges() || (cursor != null && cursor.trackingVersion() != null);
        if (tracking) {
            refuseWithTracking(options);
        }
        // the version the delta link counts from is read before the rows, so no write falls between the two
        long trackingVersion = cursor != null && cursor.trackingVersion() != null ? cursor.trackingVersion()
                : call.org().currentVersion();
        List<DataverseRow> rows = new ArrayList<>(call.org().rows(table).stream().filter(query::matches).toList());
        rows.sort(query.order());
        int total = rows.size();
        if (cursor != null) {
            rows.removeIf(r -> query.compareKeys(query.keyOf(r), cursor.lastKey()) <= 0);
        }
        Integer maxPageSize = call.preferences().maxPageSize();
        int limit;
        boolean more;
        if (maxPageSize != null) {
            limit = maxPageSize;
            more = rows.size() > limit;
        } else if (query.top() != null) {
            limit = Math.min(query.top(), Preferences.MAX_PAGE_SIZE);
            more = false;
        } else {
            limit = Preferences.MAX_PAGE_SIZE;
            more = rows.size() > limit;
        }
        List<DataverseRow> page = rows.subList(0, Math.min(limit, rows.size()));

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("@odata.context", call.context(table.entitySetName() + query.contextSelect()));
        if (tracking && !more) {
            body.put("@odata.deltaLink", deltaLink(call, table, new DeltaToken(trackingVersion, call.org().now())));
        }
        if (query.count()) {
            body.put("@odata.count", Math.min(total, Preferences.MAX_PAGE_SIZE));
        }
        body.put("value", page.stream().map(r -> RowRepresentation.of(r, query.select(), call.preferences(), call::nameOf))
                .toList());
        if (more) {
            List<Object> last = query.keyOf(page.get(page.size() - 1));
            body.put("@odata.nextLink", nextLink(call, table,
                    PageCursor.afterRow(last, tracking ? trackingVersion : null)));
        }
        ApiResponse response = ApiResponse.ok(body);
        return applied(response, call, tracking && call.preferences().trackChanges(), false);
    }

    /** The rows written and deleted since a delta token, written rows first, each in version order, paged. */
    private ApiResponse delta(ApiCall call, EntitySchema table, CollectionQuery query) {
        DataverseOrg org = call.org();
        DeltaToken token = checkedToken(org, call.query().get("$deltatoken"));
        String skip = call.query().get("$skiptoken");
        PageCursor cursor = skip == null ? null : PageCursor.decode(skip, query.keyColumns());
        if (cursor != null && !cursor.isDelta()) {
            throw DataverseApiException.badQuery("The $skiptoken does not belong to this delta link's pages.");
        }
        long upTo = cursor != null ? cursor.upTo() : org.currentVersion();
        DataverseOrg.Changes changes = org.changes(table, token.version(), upTo);
        int limit = call.preferences().maxPageSize() != null ? call.preferences().maxPageSize() : Preferences.MAX_PAGE_SIZE;

        List<Object> items = new ArrayList<>();
        String lastPhase = null;
        long lastVersion = 0;
        boolean more = false;
        for (DataverseRow row : changes.upserted()) {
            if (cursor != null && (cursor.phase().equals(DELETED) || row.version() <= cursor.after())) {
                continue;
            }
            if (items.size() == limit) {
                more = true;
                break;
            }
            items.add(RowRepresentation.of(row, query.select(), call.preferences(), call::nameOf));
            lastPhase = UPSERTED;
            lastVersion = row.version();
        }
        if (!more) {
            for (DataverseOrg.Deletion deletion : changes.deleted()) {
                if (cursor != null && cursor.phase().equals(DELETED) && deletion.version() <= cursor.after()) {
                    continue;
                }
                if (items.size() == limit) {
                    more = true;
                    break;
                }
                Map<String, Object> stub = new LinkedHashMap<>();
                stub.put("@odata.context", call.context(table.entitySetName() + "/$deletedEntity"));
                stub.put("id", deletion.id());
                stub.put("reason", "deleted");
                items.add(stub);
                lastPhase = DELETED;
                lastVersion = deletion.version();
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("@odata.context", call.context(table.entitySetName() + query.contextSelect() + "/$delta"));
        if (!more) {
            body.put("@odata.deltaLink", deltaLink(call, table, new DeltaToken(upTo, org.now())));
        }
        body.put("value", items);
        if (more) {
            body.put("@odata.nextLink", nextLink(call, table, PageCursor.delta(lastPhase, lastVersion, upTo)));
        }
        return applied(ApiResponse.ok(body), call, false, false);
    }

    /** {@code accounts/$count}: the rows (or, with a delta token, the changes) as plain text, at most 5,000. */
    ApiResponse count(ApiCall call, EntitySchema table) {
        QueryOptions options = call.query();
        CollectionQuery query = CollectionQuery.parse(table, options);
        int n;
        if (options.has("$deltatoken")) {
            DeltaToken token = checkedToken(call.org(), options.get("$deltatoken"));
            DataverseOrg.Changes changes = call.org().changes(table, token.version(), call.org().currentVersion());
            n = changes.upserted().size() + changes.deleted().size();
        } else {
            n = (int) call.org().rows(table).stream().filter(query::matches).count();
        }
        return ApiResponse.text(Integer.toString(Math.min(n, Preferences.MAX_PAGE_SIZE)));
    }

    ApiResponse get(ApiCall call, EntitySchema table, String id, String ifNoneMatch) {
        List<Column> select = select(call, table);
        DataverseRow row = call.org().get(table, id);
        if (row == null) {
            throw DataverseApiException.notFound(table, id);
        }
        if (row.etag().equals(ifNoneMatch) && call.preferences().includeAnnotations() == null) {
            return ApiResponse.empty(HttpStatus.NOT_MODIFIED).header("ETag", row.etag());
        }
        return applied(ApiResponse.ok(entity(call, table, row, select)).header("ETag", row.etag()), call, false, false);
    }

    // ------------------------------------------------------------------ writes

    ApiResponse create(ApiCall call, EntitySchema table, byte[] body) {
        List<Column> select = select(call, table);
        Map<String, Object> values = RowPayload.read(table, body);
        String id = (String) values.remove(table.primaryId());
        DataverseRow row = call.org().create(table, id, values, call.userId());
        if (call.preferences().returnRepresentation()) {
            return applied(ApiResponse.json(HttpStatus.CREATED, entity(call, table, row, select)), call, false, true);
        }
        return ApiResponse.empty(HttpStatus.NO_CONTENT).header("OData-EntityId", entityId(call, table, row.id()));
    }

    /**
     * {@code PATCH}: an update ({@code If-Match: *} or an ETag), a create only ({@code If-None-Match: *}), or an
     * upsert (neither). 204 with {@code OData-EntityId} (sent for updates too, so a client's upsert learns the id
     * either way), or the row with {@code return=representation}: 200 updated, 201 created.
     */
    ApiResponse patch(ApiCall call, EntitySchema table, String id, byte[] body, String ifMatch, String ifNoneMatch) {
        List<Column> select = select(call, table);
        Map<String, Object> values = RowPayload.read(table, body);
        values.remove(table.primaryId());
        DataverseOrg.Precondition precondition = new DataverseOrg.Precondition(blankToNull(ifMatch),
                "*".equals(blankToNull(ifNoneMatch)));
        DataverseOrg.WriteResult result = call.org().write(table, id, values, precondition, call.userId());
        if (call.preferences().returnRepresentation()) {
            HttpStatus status = result.created() ? HttpStatus.CREATED : HttpStatus.OK;
            return applied(ApiResponse.json(status, entity(call, table, result.row(), select)), call, false, true);
        }
        return ApiResponse.empty(HttpStatus.NO_CONTENT).header("OData-EntityId", entityId(call, table, id));
    }

    ApiResponse delete(ApiCall call, EntitySchema table, String id, String ifMatch) {
        call.org().delete(table, id, blankToNull(ifMatch));
        return ApiResponse.empty(HttpStatus.NO_CONTENT);
    }

    // ------------------------------------------------------------------ parts

    private static List<Column> select(ApiCall call, EntitySchema table) {
        if (call.query().has("$expand")) {
            throw DataverseApiException.badQuery("The Dynamics 365 sandbox does not support $expand: read the related"
                    + " row by the _<lookup>_value id.");
        }
        return CollectionQuery.select(table, call.query().get("$select"));
    }

    private static Map<String, Object> entity(ApiCall call, EntitySchema table, DataverseRow row, List<Column> select) {
        Map<String, Object> body = new LinkedHashMap<>();
        String columns = select == null ? "" : "(" + String.join(",", select.stream().map(Column::property).toList()) + ")";
        body.put("@odata.context", call.context(table.entitySetName() + columns + "/$entity"));
        body.putAll(RowRepresentation.of(row, select, call.preferences(), call::nameOf));
        return body;
    }

    private DeltaToken checkedToken(DataverseOrg org, String text) {
        DeltaToken token = DeltaToken.parse(text);
        boolean tooOld = token.issued().plus(deltaTokenTtl).isBefore(org.now());
        boolean invalidated = token.version() <= org.deltaTokensValidAbove();
        boolean foreign = token.version() > org.currentVersion();
        if (tooOld || invalidated || foreign) {
            throw new DataverseApiException(HttpStatus.BAD_REQUEST, DataverseApiException.EXPIRED_VERSION_STAMP,
                    "Version stamp associated with the client has expired. Please perform a full sync.");
        }
        return token;
    }

    private static void refuseWithTracking(QueryOptions options) {
        for (String option : NOT_WITH_TRACKING) {
            if (options.has(option)) {
                throw DataverseApiException.badQuery("The \"" + option + "\" query parameter isn't supported when"
                        + " Change Tracking is enabled.");
            }
        }
    }

    private static String nextLink(ApiCall call, EntitySchema table, PageCursor cursor) {
        return link(call, table, Set.of("$skiptoken"), "$skiptoken=" + cursor.encode());
    }

    private static String deltaLink(ApiCall call, EntitySchema table, DeltaToken token) {
        return link(call, table, Set.of("$skiptoken", "$deltatoken"), "$deltatoken=" + token.encoded());
    }

    /** The request's own query as sent, less the options replaced, plus one: links keep what the client asked. */
    private static String link(ApiCall call, EntitySchema table, Set<String> replaced, String added) {
        String kept = call.query().rawWithout(replaced);
        return call.base() + table.entitySetName() + "?" + (kept.isEmpty() ? "" : kept + "&") + added;
    }

    static String entityId(ApiCall call, EntitySchema table, String id) {
        return call.base() + table.entitySetName() + "(" + id + ")";
    }

    /** Preference-Applied: the preferences this response honoured. */
    private static ApiResponse applied(ApiResponse response, ApiCall call, boolean tracking, boolean representation) {
        List<String> applied = new ArrayList<>();
        Preferences preferences = call.preferences();
        if (representation) {
            applied.add("return=representation");
        }
        if (preferences.includeAnnotations() != null) {
            applied.add(preferences.annotationsApplied());
        }
        if (preferences.maxPageSize() != null && response.body() instanceof Map<?, ?> body && body.containsKey("value")) {
            applied.add("odata.maxpagesize=" + preferences.maxPageSize());
        }
        if (tracking) {
            applied.add("odata.track-changes");
        }
        return applied.isEmpty() ? response : response.header("Preference-Applied", String.join(",", applied));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
