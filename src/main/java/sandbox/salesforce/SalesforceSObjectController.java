package sandbox.salesforce;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Salesforce sObject resources: describe, rows (get, create, update, delete) and the deleted/updated windows. */
@RestController
@ConditionalOnProperty(name = "hub.sandbox.enabled", havingValue = "true")
public class SalesforceSObjectController extends SalesforceRestSupport {

    /** Salesforce keeps deleted-record data for replication this far back. */
    static final Duration REPLICATION_WINDOW = Duration.ofDays(15);
    private static final String SOBJECTS = DATA + "/sobjects";
    private static final String TYPE = SOBJECTS + "/{type}";
    private static final String ROW = TYPE + "/{id}";

    public SalesforceSObjectController(SandboxOrgs orgs, SandboxTokens tokens, SalesforceSandboxProperties properties) {
        super(orgs, tokens, properties);
    }

    @GetMapping({SOBJECTS, SOBJECTS + "/"})
    public ResponseEntity<byte[]> describeGlobal(@PathVariable String version, HttpServletRequest request) {
        authenticate(request);
        return ok(SObjectDescribes.global(version), request);
    }

    @GetMapping({TYPE, TYPE + "/"})
    public ResponseEntity<byte[]> basicInfo(@PathVariable String version, @PathVariable String type,
            HttpServletRequest request) {
        authenticate(request);
        return ok(SObjectDescribes.basicInfo(schema(type), version), request);
    }

    @GetMapping({TYPE + "/describe", TYPE + "/describe/"})
    public ResponseEntity<byte[]> describe(@PathVariable String version, @PathVariable String type,
            HttpServletRequest request) {
        authenticate(request);
        return ok(SObjectDescribes.describe(schema(type), version), request);
    }

    @PostMapping({TYPE, TYPE + "/"})
    public ResponseEntity<byte[]> create(@PathVariable String type, @RequestBody(required = false) byte[] body,
            HttpServletRequest request) {
        SandboxOrg org = authenticate(request);
        SObjectSchema schema = schema(type);
        SandboxRecord created = org.create(schema, SObjectWrites.read(schema, body, true));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("id", created.id());
        result.put("success", true);
        result.put("errors", List.of());
        return json(HttpStatus.CREATED, result, request);
    }

    @GetMapping({ROW, ROW + "/"})
    public ResponseEntity<byte[]> get(@PathVariable String version, @PathVariable String type, @PathVariable String id,
            @RequestParam(required = false) String fields, HttpServletRequest request) {
        SandboxOrg org = authenticate(request);
        SObjectSchema schema = schema(type);
        List<SObjectField> selected = selectedFields(schema, fields);
        SandboxRecord record = org.get(schema, recordId(schema, id));
        if (record == null || record.isDeleted()) {
            throw SalesforceApiException.notFound();
        }
        String etag = etag(record);
        if (notModified(request, record, etag)) {
            return withLimitInfo(ResponseEntity.status(HttpStatus.NOT_MODIFIED), request).eTag(etag).build();
        }
        ResponseEntity.BodyBuilder response = withLimitInfo(ResponseEntity.ok(), request);
        if (schema == SObjectSchema.ACCOUNT) {
            // Salesforce returns ETags for Account rows only
            response.eTag(etag);
        }
        return response.contentType(SandboxJson.CONTENT_TYPE)
                .body(SandboxJson.bytes(SandboxJson.record(record, selected, version)));
    }

    @PatchMapping({ROW, ROW + "/"})
    public ResponseEntity<byte[]> update(@PathVariable String type, @PathVariable String id,
            @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        SandboxOrg org = authenticate(request);
        SObjectSchema schema = schema(type);
        String recordId = recordId(schema, id);
        Consumer<SandboxRecord> preconditions = preconditions(request);
        org.update(schema, recordId, SObjectWrites.read(schema, body, false), preconditions);
        return noContent(request);
    }

    @DeleteMapping({ROW, ROW + "/"})
    public ResponseEntity<byte[]> delete(@PathVariable String type, @PathVariable String id,
            HttpServletRequest request) {
        SandboxOrg org = authenticate(request);
        SObjectSchema schema = schema(type);
        org.delete(schema, recordId(schema, id));
        return noContent(request);
    }

    @GetMapping({TYPE + "/deleted", TYPE + "/deleted/"})
    public ResponseEntity<byte[]> deleted(@PathVariable String type, HttpServletRequest request) {
        SandboxOrg org = authenticate(request);
        SObjectSchema schema = schema(type);
        Window window = window(org, request);
        List<Map<String, Object>> deleted = new ArrayList<>();
        for (SandboxRecord r : org.deletedBetween(schema, window.from(), window.to())) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", r.id());
            entry.put("deletedDate", SandboxJson.dateTime(r.systemModstamp()));
            deleted.add(entry);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("deletedRecords", deleted);
        result.put("earliestDateAvailable", SandboxJson.dateTime(window.earliest()));
        result.put("latestDateCovered", SandboxJson.dateTime(window.to()));
        return ok(result, request);
    }

    @GetMapping({TYPE + "/updated", TYPE + "/updated/"})
    public ResponseEntity<byte[]> updated(@PathVariable String type, HttpServletRequest request) {
        SandboxOrg org = authenticate(request);
        SObjectSchema schema = schema(type);
        Window window = window(org, request);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("ids", org.updatedBetween(schema, window.from(), window.to()).stream().map(SandboxRecord::id).toList());
        result.put("latestDateCovered", SandboxJson.dateTime(window.to()));
        return ok(result, request);
    }

    static SObjectSchema schema(String type) {
        return SObjectSchema.find(type).orElseThrow(SalesforceApiException::notFound);
    }

    /** The canonical id; a well-formed id of another object is simply not found, a mangled one is malformed. */
    static String recordId(SObjectSchema schema, String id) {
        String normalized = SalesforceIds.normalize(id);
        if (normalized == null) {
            if (id.length() == 15 || id.length() == 18) {
                throw SalesforceApiException.badRequest("MALFORMED_ID",
                        schema.label() + " ID: id value of incorrect type: " + id);
            }
            throw SalesforceApiException.notFound();
        }
        if (!normalized.startsWith(schema.keyPrefix())) {
            throw SalesforceApiException.notFound();
        }
        return normalized;
    }

    static List<SObjectField> selectedFields(SObjectSchema schema, String fields) {
        if (fields == null || fields.isBlank()) {
            return schema.fields();
        }
        List<SObjectField> selected = new ArrayList<>();
        for (String name : fields.split(",")) {
            String trimmed = name.trim();
            SObjectField f = schema.field(trimmed).orElseThrow(() -> SalesforceApiException.badRequest("INVALID_FIELD",
                    "No such column '" + trimmed + "' on entity '" + schema.name() + "'. If you are attempting to use"
                            + " a custom field, be sure to append the '__c' after the custom field name. Please"
                            + " reference your WSDL or the describe call for the appropriate names."));
            if (!selected.contains(f)) {
                selected.add(f);
            }
        }
        return selected;
    }

    /** A strong validator that changes with every write. */
    static String etag(SandboxRecord record) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] digest = sha1.digest((record.id() + "/" + record.systemModstamp().toEpochMilli())
                    .getBytes(StandardCharsets.UTF_8));
            return "\"" + Base64.getEncoder().encodeToString(digest) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean notModified(HttpServletRequest request, SandboxRecord record, String etag) {
        String ifNoneMatch = request.getHeader("If-None-Match");
        if (ifNoneMatch != null) {
            return matchesAny(ifNoneMatch, etag);
        }
        String ifModifiedSince = request.getHeader("If-Modified-Since");
        return ifModifiedSince != null
                && !record.lastModifiedDate().truncatedTo(ChronoUnit.SECONDS).isAfter(httpDate(ifModifiedSince));
    }

    /** Parses conditional headers now (bad values are a 400 before any change) and checks them under the write lock. */
    private static Consumer<SandboxRecord> preconditions(HttpServletRequest request) {
        return preconditions(request::getHeader);
    }

    /** The same from any source of request headers (a Composite subrequest's {@code httpHeaders}). */
    static Consumer<SandboxRecord> preconditions(java.util.function.UnaryOperator<String> header) {
        String ifMatch = header.apply("If-Match");
        String ifNoneMatch = header.apply("If-None-Match");
        String ifUnmodifiedSinceText = header.apply("If-Unmodified-Since");
        if (ifMatch != null) {
            entityTags(ifMatch);
        }
        if (ifNoneMatch != null) {
            entityTags(ifNoneMatch);
        }
        Instant ifUnmodifiedSince = ifUnmodifiedSinceText == null ? null : httpDate(ifUnmodifiedSinceText);
        return current -> {
            String etag = etag(current);
            if (ifMatch != null && !matchesAny(ifMatch, etag)) {
                throw preconditionFailed("The requested resource's ETag does not match " + ifMatch);
            }
            if (ifNoneMatch != null && matchesAny(ifNoneMatch, etag)) {
                throw preconditionFailed("The requested resource's ETag matches " + ifNoneMatch);
            }
            // HTTP dates have whole seconds: a change later within the same second as the given date is not seen
            if (ifUnmodifiedSince != null
                    && current.lastModifiedDate().truncatedTo(ChronoUnit.SECONDS).isAfter(ifUnmodifiedSince)) {
                throw preconditionFailed("The requested resource has been modified since " + ifUnmodifiedSinceText);
            }
        };
    }

    private static SalesforceApiException preconditionFailed(String message) {
        return new SalesforceApiException(HttpStatus.PRECONDITION_FAILED, "PRECONDITION_FAILED", message);
    }

    private static boolean matchesAny(String header, String etag) {
        for (String tag : entityTags(header)) {
            if (tag.equals("*") || tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /** Quoted tags, weak or strong; "-gzip" suffixes (added by Salesforce's compression) are ignored. */
    private static List<String> entityTags(String header) {
        List<String> tags = new ArrayList<>();
        for (String part : header.split(",")) {
            String tag = part.trim();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals("*")) {
                tags.add(tag);
                continue;
            }
            if (tag.length() < 2 || !tag.startsWith("\"") || !tag.endsWith("\"")) {
                throw invalidHeader(header);
            }
            String inner = tag.substring(1, tag.length() - 1);
            tags.add("\"" + (inner.endsWith("-gzip") ? inner.substring(0, inner.length() - 5) : inner) + "\"");
        }
        return tags;
    }

    private static Instant httpDate(String value) {
        try {
            return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw invalidHeader(value);
        }
    }

    private static SalesforceApiException invalidHeader(String value) {
        return SalesforceApiException.badRequest("INVALID_HEADER_TYPE", "Invalid conditional request header value: "
                + value);
    }

    /** A replication window: what was asked, clamped to what is available. */
    private record Window(Instant from, Instant to, Instant earliest) {
    }

    private static Window window(SandboxOrg org, HttpServletRequest request) {
        Instant start = replicationDate(queryParameter(request, "start"), "start");
        Instant end = replicationDate(queryParameter(request, "end"), "end");
        if (end.isBefore(start)) {
            throw SalesforceApiException.badRequest("INVALID_REPLICATION_DATE",
                    "startDate must chronologically precede endDate");
        }
        Instant now = org.now();
        Instant earliest = now.minus(REPLICATION_WINDOW).truncatedTo(ChronoUnit.MINUTES);
        Instant from = start.isBefore(earliest) ? earliest : start;
        Instant to = end.isAfter(now) ? now : end;
        return new Window(from, to, earliest);
    }

    /** ISO 8601; a '+' that arrived unencoded has become a space, and a missing offset means UTC. */
    private static Instant replicationDate(String value, String name) {
        if (value == null || value.isBlank()) {
            throw SalesforceApiException.badRequest("MISSING_ARGUMENT", name + ": parameter value must be provided");
        }
        String text = value.trim().replace(' ', '+');
        if (text.matches(".*[+-]\\d{4}$")) {
            text = text.substring(0, text.length() - 2) + ":" + text.substring(text.length() - 2);
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException again) {
                throw SalesforceApiException.badRequest("INVALID_REPLICATION_DATE",
                        name + ": invalid date time value: " + value);
            }
        }
    }
}
