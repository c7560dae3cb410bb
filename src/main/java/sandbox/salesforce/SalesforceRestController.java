package sandbox.salesforce;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** Salesforce REST: versions, resources, limits and SOQL queries with cursor paging. */
@RestController
@ConditionalOnProperty(name = "hub.sandbox.enabled", havingValue = "true")
public class SalesforceRestController extends SalesforceRestSupport {

    private static final Pattern BATCH_SIZE = Pattern.compile("batchSize\\s*=\\s*(\\d+)", Pattern.CASE_INSENSITIVE);
    private static final String[] SEASONS = {"Winter", "Spring", "Summer"};
    private static final int FIRST_VERSION = 50;
    private static final int LATEST_VERSION = 64;

    public SalesforceRestController(SandboxOrgs orgs, SandboxTokens tokens, SalesforceSandboxProperties properties) {
        super(orgs, tokens, properties);
    }

    /** No authentication and no Sforce-Limit-Info here, as in Salesforce. */
    @GetMapping({BASE + "/services/data", BASE + "/services/data/"})
    public ResponseEntity<byte[]> versions() {
        List<Map<String, Object>> versions = new ArrayList<>();
        for (int v = FIRST_VERSION; v <= LATEST_VERSION; v++) {
            // v50 was Winter '21; three releases a year
            int n = v - FIRST_VERSION;
            String year = Integer.toString(21 + n / 3);
            Map<String, Object> version = new LinkedHashMap<>();
            version.put("label", SEASONS[n % 3] + " '" + year);
            version.put("url", "/services/data/v" + v + ".0");
            version.put("version", v + ".0");
            versions.add(version);
        }
        return ResponseEntity.ok().contentType(SandboxJson.CONTENT_TYPE).body(SandboxJson.bytes(versions));
    }

    @GetMapping({DATA, DATA + "/"})
    public ResponseEntity<byte[]> resources(@PathVariable String version, HttpServletRequest request) {
        SandboxOrg org = authenticate(request);
        String base = "/services/data/" + version;
        Map<String, Object> resources = new LinkedHashMap<>();
        for (String name : List.of("sobjects", "query", "queryAll", "limits", "search", "recent")) {
            resources.put(name, base + "/" + name);
        }
        resources.put("identity", identityUrl(request, org));
        return ok(resources, request);
    }

    @GetMapping({DATA + "/limits", DATA + "/limits/"})
    public ResponseEntity<byte[]> limits(HttpServletRequest request) {
        SandboxOrg org = authenticate(request);
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("DailyApiRequests", limit(properties.apiDailyLimit(),
                (int) Math.max(0, properties.apiDailyLimit() - org.usage().used())));
        limits.put("DailyBulkApiBatches", limit(15000, 15000));
        limits.put("DataStorageMB", limit(5, 5));
        limits.put("FileStorageMB", limit(20, 20));
        limits.put("ConcurrentAsyncGetReportInstances", limit(200, 200));
        return ok(limits, request);
    }

    @GetMapping({DATA + "/recent", DATA + "/recent/"})
    public ResponseEntity<byte[]> recent(HttpServletRequest request) {
        authenticate(request);
        return ok(List.of(), request);
    }

    /** SOSL is not modelled; an empty result keeps clients that probe it working. */
    @GetMapping({DATA + "/search", DATA + "/search/"})
    public ResponseEntity<byte[]> search(HttpServletRequest request) {
        authenticate(request);
        return ok(Map.of("searchRecords", List.of()), request);
    }

    @GetMapping({DATA + "/query", DATA + "/query/"})
    public ResponseEntity<byte[]> query(@PathVariable String version, HttpServletRequest request) {
        return runQuery(version, queryParameter(request, "q"), false, request);
    }

    @GetMapping({DATA + "/queryAll", DATA + "/queryAll/"})
    public ResponseEntity<byte[]> queryAll(@PathVariable String version, HttpServletRequest request) {
        return runQuery(version, queryParameter(request, "q"), true, request);
    }

    /** Next pages; a cursor from queryAll is served under /query too, as Salesforce documents. */
    @GetMapping({DATA + "/query/{locator}", DATA + "/queryAll/{locator}"})
    public ResponseEntity<byte[]> queryMore(@PathVariable String version, @PathVariable String locator,
            HttpServletRequest request) {
        SandboxOrg org = authenticate(request);
        int dash = locator.lastIndexOf('-');
        QueryLocators.Cursor cursor = dash < 0 ? null : org.cursors().find(locator.substring(0, dash));
        int offset = dash < 0 ? -1 : parseOffset(locator.substring(dash + 1));
        if (cursor == null || offset < 0 || offset >= cursor.records().size()) {
            throw SalesforceApiException.badRequest("INVALID_QUERY_LOCATOR", "invalid query locator");
        }
        Integer asked = requestedBatchSize(request);
        int batchSize = asked == null ? cursor.batchSize() : Math.min(properties.pageSize(), asked);
        return ok(page(org, cursor, offset, batchSize, version), request);
    }

    /** Anything else under /services/data: Salesforce answers NOT_FOUND once the session is valid. */
    @RequestMapping(BASE + "/services/data/**")
    public ResponseEntity<byte[]> unknownResource(HttpServletRequest request) {
        authenticate(request);
        throw SalesforceApiException.notFound();
    }

    private ResponseEntity<byte[]> runQuery(String version, String soql, boolean includeDeleted,
            HttpServletRequest request) {
        SandboxOrg org = authenticate(request);
        SoqlQuery query = SoqlQuery.parse(soql);
        List<SandboxRecord> rows = org.query(query, includeDeleted);
        Map<String, Object> result;
        if (query.isCount()) {
            result = new LinkedHashMap<>();
            result.put("totalSize", rows.size());
            result.put("done", true);
            result.put("records", List.of());
        } else {
            int batchSize = batchSize(request);
            QueryLocators.Cursor cursor = new QueryLocators.Cursor(null, rows, query.fields(), batchSize);
            if (rows.size() > batchSize) {
                cursor = org.cursors().open(rows, query.fields(), batchSize);
            }
            result = page(org, cursor, 0, batchSize, version);
        }
        return ok(result, request);
    }

    /**
     * One page. nextRecordsUrl is a path without the sandbox prefix: camel requests instance_url +
     * nextRecordsUrl (instance_url already ends in /sandbox/salesforce), jsforce takes only the last segment.
     */
    private Map<String, Object> page(SandboxOrg org, QueryLocators.Cursor cursor, int offset, int batchSize,
            String version) {
        int total = cursor.records().size();
        int end = Math.min(total, offset + batchSize);
        List<Map<String, Object>> records = new ArrayList<>(end - offset);
        for (SandboxRecord r : cursor.records().subList(offset, end)) {
            records.add(SandboxJson.record(r, cursor.fields(), version));
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("totalSize", total);
        page.put("done", end == total);
        if (end < total) {
            page.put("nextRecordsUrl", "/services/data/" + version + "/query/" + cursor.id() + "-" + end);
        } else if (cursor.id() != null) {
            org.cursors().close(cursor.id());
        }
        page.put("records", records);
        return page;
    }

    /** The configured page size, lowered by {@code Sforce-Query-Options: batchSize=N} (200..2000). */
    private int batchSize(HttpServletRequest request) {
        Integer asked = requestedBatchSize(request);
        return asked == null ? properties.pageSize() : Math.min(properties.pageSize(), asked);
    }

    private static Integer requestedBatchSize(HttpServletRequest request) {
        String options = request.getHeader("Sforce-Query-Options");
        Matcher m = options == null ? null : BATCH_SIZE.matcher(options);
        if (m == null || !m.find()) {
            return null;
        }
        long asked = Long.parseLong(m.group(1).length() > 9 ? "2000" : m.group(1));
        return (int) Math.max(200, Math.min(2000, asked));
    }

    private static int parseOffset(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Map<String, Object> limit(int max, int remaining) {
        Map<String, Object> limit = new LinkedHashMap<>();
        limit.put("Max", max);
        limit.put("Remaining", remaining);
        return limit;
    }

    static String instanceUrl(HttpServletRequest request) {
        return ServletUriComponentsBuilder.fromContextPath(request).path(BASE).build().toUriString();
    }

    static String identityUrl(HttpServletRequest request, SandboxOrg org) {
        return instanceUrl(request) + "/id/" + org.orgId() + "/" + org.userId();
    }
}
