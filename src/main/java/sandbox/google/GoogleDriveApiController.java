package sandbox.google;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import sandbox.kit.SetupResources;
import sandbox.kit.WebhookDestinations;

/**
 * Drive v3 at {@code /sandbox/google/drive/v3} (and {@code /drive/v3} on the sandbox port; media downloads and exports
 * also below {@code download/}, where the current Java client sends them): files.list with {@code q},
 * {@code orderBy}, {@code fields}, paging; files.get; files.export; drives.get; changes.getStartPageToken, changes.list,
 * changes.watch; channels.stop. Answers as Drive does, int64 fields as strings.
 */
@RestController
@ConditionalOnExpression("${hub.sandbox.enabled:false} and ${hub.sandbox.google.enabled:true}")
@RequestMapping(GoogleSandboxSupport.BASE)
class GoogleDriveApiController extends GoogleSandboxSupport {

    private static final String PAGE_PREFIX = "~!!~";
    private static final Set<String> DOC_TEXT = Set.of("text/plain", "text/html", "text/markdown");
    private final Environment environment;

    GoogleDriveApiController(GoogleDomains domains, Environment environment) {
        super(domains);
        this.environment = environment;
    }

    @GetMapping("/drive/v3/files")
    ResponseEntity<byte[]> list(HttpServletRequest request, @RequestParam(required = false) String q,
                                @RequestParam(required = false) String pageSize, @RequestParam(required = false) String pageToken,
                                @RequestParam(required = false) String orderBy, @RequestParam(required = false) String fields,
                                @RequestParam(required = false) String driveId,
                                @RequestParam(defaultValue = "false") boolean includeItemsFromAllDrives) {
        DriveDomain domain = authenticate(request);
        FieldMask mask = FieldMask.parse(fields);
        int size = pageSize(pageSize, 100);
        Predicate<DriveFile> query = DriveQuery.parse(q);
        List<DriveFile> matching = new ArrayList<>();
        for (DriveFile file : domain.files()) {
            boolean inDrive = file.driveId != null;
            if (inDrive && !includeItemsFromAllDrives && driveId == null) {
                continue;
            }
            if (driveId != null && !driveId.equals(file.driveId)) {
                continue;
            }
            if (query.test(file)) {
                matching.add(file);
            }
        }
        matching.sort(order(orderBy));
        String key = (q == null ? "" : q) + "|" + (orderBy == null ? "" : orderBy) + "|" + driveId;
        int offset = pageToken == null || pageToken.isEmpty() ? 0 : offset(pageToken, key);
        List<Map<String, Object>> page = new ArrayList<>();
        for (int i = offset; i < Math.min(matching.size(), offset + size); i++) {
            page.add(fileFields(matching.get(i).resource(), mask == null ? null : mask.member("files"), mask != null));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", "drive#fileList");
        if (offset + size < matching.size()) {
            body.put("nextPageToken", PAGE_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(
                    ((offset + size) + ":" + Integer.toHexString(key.hashCode())).getBytes(StandardCharsets.UTF_8)));
        }
        body.put("incompleteSearch", false);
        body.put("files", page);
        return ok(mask == null ? body : mask.apply(body));
    }

    @GetMapping({"/drive/v3/files/{fileId}", "/download/drive/v3/files/{fileId}"})
    ResponseEntity<byte[]> get(HttpServletRequest request, @PathVariable String fileId, @RequestParam(required = false) String fields,
                               @RequestParam(required = false) String alt) {
        DriveDomain domain = authenticate(request);
        DriveFile file = domain.file(fileId);
        if (file == null) {
            throw DriveApiException.notFound(fileId);
        }
        if ("media".equals(alt)) {
            if (file.isWorkspaceFile() || file.isFolder()) {
                throw DriveApiException.forbidden("fileNotDownloadable",
                        "Only files with binary content can be downloaded. Use Export with Docs Editors files.");
            }
            byte[] content = new byte[(int) Math.min(file.binarySize, 1 << 20)];
            return ResponseEntity.ok().contentType(MediaType.parseMediaType(file.mimeType)).body(content);
        }
        FieldMask mask = FieldMask.parse(fields);
        return ok(fileFields(file.resource(), mask, mask != null));
    }

    @GetMapping({"/drive/v3/files/{fileId}/export", "/download/drive/v3/files/{fileId}/export"})
    ResponseEntity<byte[]> export(HttpServletRequest request, @PathVariable String fileId,
                                  @RequestParam(required = false) String mimeType) {
        DriveDomain domain = authenticate(request);
        if (mimeType == null || mimeType.isBlank()) {
            throw DriveApiException.required("mimeType");
        }
        DriveFile file = domain.file(fileId);
        if (file == null) {
            throw DriveApiException.notFound(fileId);
        }
        if (!file.isWorkspaceFile()) {
            throw DriveApiException.forbidden("fileNotExportable", "Export only supports Docs Editors files.");
        }
        boolean fits = switch (file.mimeType) {
            case DriveFile.DOCUMENT -> DOC_TEXT.contains(mimeType);
            case DriveFile.SPREADSHEET -> mimeType.equals("text/csv");
            case DriveFile.PRESENTATION -> mimeType.equals("text/plain");
            default -> false;
        };
        if (!fits) {
            throw new DriveApiException(400, "INVALID_ARGUMENT", "global", "badRequest",
                    "The requested conversion is not supported.", "convertTo", "parameter");
        }
        byte[] text = (file.text == null ? "" : file.text).getBytes(StandardCharsets.UTF_8);
        if (text.length > domains.properties.exportLimitBytes()) {
            throw DriveApiException.forbidden("exportSizeLimitExceeded", "This file is too large to be exported.");
        }
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(mimeType + "; charset=UTF-8")).body(text);
    }

    @GetMapping("/drive/v3/drives/{driveId}")
    ResponseEntity<byte[]> drive(HttpServletRequest request, @PathVariable String driveId) {
        DriveDomain domain = authenticate(request);
        String name = domain.driveName(driveId);
        if (name == null) {
            throw new DriveApiException(404, "NOT_FOUND", "global", "notFound", "Shared drive not found: " + driveId, "driveId",
                    "parameter");
        }
        return ok(object("kind", "drive#drive", "id", driveId, "name", name));
    }

    @GetMapping("/drive/v3/changes/startPageToken")
    ResponseEntity<byte[]> startPageToken(HttpServletRequest request) {
        DriveDomain domain = authenticate(request);
        return ok(object("kind", "drive#startPageToken", "startPageToken", Long.toString(domain.startPageToken())));
    }

    @GetMapping("/drive/v3/changes")
    ResponseEntity<byte[]> changes(HttpServletRequest request, @RequestParam(required = false) String pageToken,
                                   @RequestParam(required = false) String pageSize, @RequestParam(required = false) String fields,
                                   @RequestParam(defaultValue = "true") boolean includeRemoved,
                                   @RequestParam(defaultValue = "false") boolean includeItemsFromAllDrives) {
        DriveDomain domain = authenticate(request);
        long token = pageToken(domain, pageToken);
        int size = pageSize(pageSize, 100);
        FieldMask mask = FieldMask.parse(fields);
        FieldMask changeMask = mask == null ? null : mask.member("changes");
        List<DriveDomain.Change> page = domain.changesFrom(token, size);
        List<Map<String, Object>> changes = new ArrayList<>();
        for (DriveDomain.Change change : page) {
            DriveFile file = domain.file(change.fileId());
            if (file != null && file.driveId != null && !includeItemsFromAllDrives) {
                continue;
            }
            if (file == null && !includeRemoved) {
                continue;
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("kind", "drive#change");
            entry.put("changeType", "file");
            entry.put("type", "file");
            entry.put("time", GoogleJson.time(change.time()));
            entry.put("removed", file == null);
            entry.put("fileId", change.fileId());
            if (file != null) {
                entry.put("file", fileFields(file.resource(), changeMask == null ? null : changeMask.member("file"), mask != null));
            }
            changes.add(changeMask == null ? entry : changeMask.apply(entry));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", "drive#changeList");
        long next = page.isEmpty() ? token : page.get(page.size() - 1).seq() + 1;
        if (next < domain.startPageToken()) {
            body.put("nextPageToken", Long.toString(next));
        } else {
            body.put("newStartPageToken", Long.toString(domain.startPageToken()));
        }
        body.put("changes", changes);
        if (mask == null) {
            return ok(body);
        }
        return ok(mask.apply(body));
    }

    @PostMapping("/drive/v3/changes/watch")
    ResponseEntity<byte[]> watch(HttpServletRequest request, @RequestParam(required = false) String pageToken,
                                 @RequestBody(required = false) byte[] body) {
        DriveDomain domain = authenticate(request);
        pageToken(domain, pageToken);
        JsonNode channel = SetupResources.object(body(request, body), m -> DriveApiException.invalid("resource", m));
        String id = channel.path("id").asText("");
        String type = channel.path("type").asText("");
        String address = channel.path("address").asText("");
        if (id.isBlank()) {
            throw DriveApiException.required("resource.id");
        }
        if (!type.equals("web_hook") && !type.equals("webhook")) {
            throw DriveApiException.invalid("resource.type", "Invalid value for channel type: " + type);
        }
        java.net.URI target;
        try {
            target = domains.destination(address, environment.getProperty("local.server.port", Integer.class, request.getLocalPort()));
        } catch (WebhookDestinations.Refused e) {
            throw new DriveApiException(400, "INVALID_ARGUMENT", "push", "push.webhookUrlUnauthorized",
                    "Unauthorized WebHook callback channel: " + address, "resource.address", "parameter");
        }
        Instant now = domain.now();
        Instant latest = now.plus(domains.properties.channelMaxTtl());
        Instant expiration = now.plus(Duration.ofHours(1));
        JsonNode requested = channel.path("expiration");
        if (!requested.isMissingNode() && !requested.isNull()) {
            try {
                expiration = Instant.ofEpochMilli(Long.parseLong(requested.asText()));
            } catch (NumberFormatException e) {
                throw DriveApiException.invalid("resource.expiration", "Invalid value for expiration");
            }
        }
        if (expiration.isAfter(latest)) {
            expiration = latest;
        }
        String token = channel.path("token").isTextual() ? channel.path("token").asText() : null;
        DriveDomain.Channel made = domain.addChannel(new DriveDomain.Channel(id, token, target, expiration));
        domains.open(made);
        return ok(object("kind", "api#channel", "id", made.id, "resourceId", made.resourceId,
                "resourceUri", "https://www.googleapis.com/drive/v3/changes?alt=json&pageToken=" + pageToken,
                "token", made.token, "expiration", Long.toString(made.expiration.toEpochMilli())));
    }

    @PostMapping("/drive/v3/channels/stop")
    ResponseEntity<byte[]> stop(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        DriveDomain domain = authenticate(request);
        JsonNode channel = SetupResources.object(body(request, body), m -> DriveApiException.invalid("resource", m));
        if (domain.stopChannel(channel.path("id").asText(""), channel.path("resourceId").asText("")) == null) {
            throw new DriveApiException(404, "NOT_FOUND", "global", "notFound",
                    "Channel '" + channel.path("id").asText("") + "' not found for project", null, null);
        }
        return ResponseEntity.noContent().build();
    }

    // ------------------------------------------------------------------ parameters

    private static long pageToken(DriveDomain domain, String pageToken) {
        if (pageToken == null || pageToken.isBlank()) {
            throw DriveApiException.required("pageToken");
        }
        try {
            long token = Long.parseLong(pageToken.strip());
            if (domain.knows(token)) {
                return token;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw DriveApiException.invalid("pageToken", "Invalid Value");
    }

    private static int pageSize(String text, int fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int size = Integer.parseInt(text.strip());
            if (size >= 1) {
                return Math.min(size, 1000);
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw DriveApiException.invalid("pageSize", "Invalid value '" + text + "'. Values must be within the range: [1, 1000]");
    }

    private static int offset(String pageToken, String key) {
        try {
            if (pageToken.startsWith(PAGE_PREFIX)) {
                String[] parts = new String(Base64.getUrlDecoder().decode(pageToken.substring(PAGE_PREFIX.length())),
                        StandardCharsets.UTF_8).split(":");
                if (parts.length == 2 && parts[1].equals(Integer.toHexString(key.hashCode()))) {
                    return Integer.parseInt(parts[0]);
                }
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw DriveApiException.invalid("pageToken", "Invalid Value");
    }

    private static Comparator<DriveFile> order(String orderBy) {
        Comparator<DriveFile> order = null;
        if (orderBy != null && !orderBy.isBlank()) {
            for (String item : orderBy.split(",")) {
                String[] parts = item.strip().split("\\s+");
                Comparator<DriveFile> one = switch (parts[0]) {
                    case "modifiedTime" -> Comparator.comparing(f -> f.modifiedTime);
                    case "createdTime" -> Comparator.comparing(f -> f.createdTime);
                    case "name", "name_natural" -> Comparator.comparing(f -> f.name);
                    case "folder" -> Comparator.comparing(f -> !f.isFolder());
                    default -> throw DriveApiException.invalid("orderBy", "Invalid Value");
                };
                if (parts.length > 1 && parts[1].equalsIgnoreCase("desc")) {
                    one = one.reversed();
                }
                order = order == null ? one : order.thenComparing(one);
            }
        }
        Comparator<DriveFile> byId = Comparator.comparing(f -> f.id);
        return order == null ? (a, b) -> 0 : order.thenComparing(byId);
    }

    /** A file as the mask selects it; without {@code fields} Drive's default members. */
    private static Map<String, Object> fileFields(Map<String, Object> resource, FieldMask mask, boolean masked) {
        if (!masked) {
            return object("kind", resource.get("kind"), "id", resource.get("id"), "name", resource.get("name"),
                    "mimeType", resource.get("mimeType"));
        }
        return mask == null ? resource : mask.apply(resource);
    }
}
