package sandbox.google;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import sandbox.kit.SetupResources;
import sandbox.kit.TokenText;

/**
 * Setup of the Google sandbox, standing in for the Admin console and the Drive UI: the service account's key file,
 * a domain's folders and files (ground truth, and changes that land in the change log and the watch channels),
 * token expiry and revocation, rate limits (and whether Drive answers 403 or 429 past them), latency, channels and a
 * reset. A domain is named by {@code ?domain=} (default: the default domain). Not counted against the limits.
 */
@RestController
@ConditionalOnExpression("${hub.sandbox.enabled:false} and ${hub.sandbox.google.enabled:true}")
@RequestMapping(GoogleSandboxSupport.BASE + "/setup")
class GoogleSetupController {

    private final GoogleDomains domains;

    GoogleSetupController(GoogleDomains domains) {
        this.domains = domains;
    }

    /** The service account's key, {@code token_uri} at this sandbox (at {@code /token} when asked on the sandbox port). */
    @GetMapping("/service-account.json")
    ResponseEntity<byte[]> serviceAccount(HttpServletRequest request) {
        String url = request.getRequestURL().toString();
        int path = url.indexOf('/', url.indexOf("//") + 2);
        String origin = path < 0 ? url : url.substring(0, path);
        boolean onSandboxPort = request.getAttribute(RequestDispatcher.FORWARD_REQUEST_URI) != null;
        String tokenUri = onSandboxPort ? origin + "/token" : origin + request.getContextPath() + GoogleSandboxSupport.BASE + "/token";
        return GoogleSandboxSupport.ok(domains.serviceAccountJson(tokenUri));
    }

    /** The domain's folders and shared drive by name, with their ids (what an integration selects as sources). */
    @GetMapping("/containers")
    ResponseEntity<byte[]> containers(@RequestParam(defaultValue = "") String domain) {
        DriveDomain d = domain(domain);
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, Object> folders = new LinkedHashMap<>();
        for (DriveFile file : d.files()) {
            if (file.isFolder()) {
                folders.put(file.name, file.id);
            }
        }
        body.put("folders", folders);
        Map<String, Object> drives = new LinkedHashMap<>();
        d.drives().forEach((id, name) -> drives.put(name, id));
        body.put("drives", drives);
        body.put("users", List.of("maya.ortiz@" + d.emailDomain, "jonas.berg@" + d.emailDomain, "priya.nair@" + d.emailDomain));
        return GoogleSandboxSupport.ok(body);
    }

    /** Ground truth: every file with all its members, and the text length of Docs Editors files. */
    @GetMapping("/files")
    ResponseEntity<byte[]> files(@RequestParam(defaultValue = "") String domain) {
        List<Map<String, Object>> files = new ArrayList<>();
        for (DriveFile file : domain(domain).files()) {
            Map<String, Object> resource = file.resource();
            if (file.text != null) {
                resource.put("textLength", file.text.length());
            }
            files.add(resource);
        }
        return GoogleSandboxSupport.ok(Map.of("files", files));
    }

    /** A new file: {@code {"name", "mimeType" (default a Google Doc), "parent" (a folder or shared drive id), "text", "size"}}. */
    @PostMapping("/files")
    ResponseEntity<byte[]> create(@RequestParam(defaultValue = "") String domain, @RequestBody(required = false) byte[] body) {
        DriveDomain d = domain(domain);
        JsonNode root = SetupResources.object(body, GoogleSetupController::invalid);
        String name = root.path("name").asText("");
        String parent = root.path("parent").asText("");
        if (name.isBlank()) {
            throw invalid("name: required");
        }
        String driveId = d.driveName(parent) != null ? parent : null;
        DriveFile container = d.file(parent);
        if (driveId == null && (container == null || !container.isFolder())) {
            throw invalid("parent: no folder or shared drive " + parent);
        }
        if (driveId == null && container.driveId != null) {
            driveId = container.driveId;
        }
        String mimeType = root.path("mimeType").asText(DriveFile.DOCUMENT);
        DriveFile file = new DriveFile("1" + TokenText.urlSafe(24), name, mimeType, parent, driveId,
                d.now(), List.of(new DriveFile.Owner("Maya Ortiz", "maya.ortiz@" + d.emailDomain, "04231568791234567801")));
        if (file.isWorkspaceFile()) {
            file.text = root.path("text").asText("");
        } else {
            file.binarySize = root.path("size").asLong(1024);
        }
        return GoogleSandboxSupport.ok(d.create(file).resource());
    }

    /** A new name and/or text: {@code {"name", "text"}}. */
    @PatchMapping("/files/{fileId}")
    ResponseEntity<byte[]> update(@RequestParam(defaultValue = "") String domain, @PathVariable String fileId,
                                  @RequestBody(required = false) byte[] body) {
        JsonNode root = SetupResources.object(body, GoogleSetupController::invalid);
        DriveFile file = domain(domain).update(fileId, root.path("name").isTextual() ? root.path("name").asText() : null,
                root.path("text").isTextual() ? root.path("text").asText() : null);
        if (file == null) {
            throw DriveApiException.notFound(fileId);
        }
        return GoogleSandboxSupport.ok(file.resource());
    }

    @PostMapping("/files/{fileId}/trash")
    ResponseEntity<byte[]> trash(@RequestParam(defaultValue = "") String domain, @PathVariable String fileId,
                                 @RequestParam(defaultValue = "true") boolean trashed) {
        DriveFile file = domain(domain).trash(fileId, trashed);
        if (file == null) {
            throw DriveApiException.notFound(fileId);
        }
        return GoogleSandboxSupport.ok(file.resource());
    }

    @DeleteMapping("/files/{fileId}")
    ResponseEntity<byte[]> delete(@RequestParam(defaultValue = "") String domain, @PathVariable String fileId) {
        if (!domain(domain).delete(fileId)) {
            throw DriveApiException.notFound(fileId);
        }
        return ResponseEntity.noContent().build();
    }

    /** Ends the domain's access tokens now, as if an hour had passed; refresh tokens and the service account still work. */
    @PostMapping("/expire-tokens")
    ResponseEntity<byte[]> expireTokens(@RequestParam(defaultValue = "") String domain) {
        domain(domain);
        return GoogleSandboxSupport.ok(Map.of("expired", domains.tokens.expireAccess(domain)));
    }

    /** Revokes the domain's grants ({@code revoked=false} restores them): tokens end, refreshing and assertions fail. */
    @PostMapping("/revoke")
    ResponseEntity<byte[]> revoke(@RequestParam(defaultValue = "") String domain, @RequestParam(defaultValue = "true") boolean revoked) {
        domain(domain).revoked = revoked;
        if (revoked) {
            domains.tokens.expireAccess(domain);
        }
        return GoogleSandboxSupport.ok(Map.of("revoked", revoked));
    }

    /** {@code {"rateLimit", "windowSeconds", "used", "violations", "status"}}. */
    @GetMapping("/limits")
    ResponseEntity<byte[]> limits(@RequestParam(defaultValue = "") String domain) {
        DriveDomain d = domain(domain);
        Map<String, Object> state = new LinkedHashMap<>(SetupResources.limits(d.calls, DriveDomain.USER_WINDOW));
        state.put("status", d.rateStatus);
        return GoogleSandboxSupport.ok(state);
    }

    /** Sets {@code rateLimit} (0: off) and {@code windowSeconds}, and {@code status}: 403 (userRateLimitExceeded) or 429. */
    @PutMapping("/limits")
    ResponseEntity<byte[]> configureLimits(@RequestParam(defaultValue = "") String domain, @RequestBody(required = false) byte[] body) {
        DriveDomain d = domain(domain);
        JsonNode root = SetupResources.object(body, GoogleSetupController::invalid);
        Long status = SetupResources.wholeNumber(root, "status", GoogleSetupController::invalid);
        if (status != null && status != 403 && status != 429) {
            throw invalid("status: 403 or 429, not " + status);
        }
        Map<String, Object> state = new LinkedHashMap<>(SetupResources.configureLimits(d.calls, DriveDomain.USER_WINDOW, body,
                GoogleSetupController::invalid));
        if (status != null) {
            d.rateStatus = status.intValue();
        }
        state.put("status", d.rateStatus);
        return GoogleSandboxSupport.ok(state);
    }

    @GetMapping("/latency")
    ResponseEntity<byte[]> latency(@RequestParam(defaultValue = "") String domain) {
        return GoogleSandboxSupport.ok(SetupResources.latency(domain(domain).calls));
    }

    @PutMapping("/latency")
    ResponseEntity<byte[]> configureLatency(@RequestParam(defaultValue = "") String domain, @RequestBody(required = false) byte[] body) {
        return GoogleSandboxSupport.ok(SetupResources.configureLatency(domain(domain).calls, body, GoogleSetupController::invalid));
    }

    /** The live watch channels: id, resource id, address, expiry, notifications sent and delivered. */
    @GetMapping("/channels")
    ResponseEntity<byte[]> channels(@RequestParam(defaultValue = "") String domain) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (DriveDomain.Channel channel : domain(domain).liveChannels()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", channel.id);
            item.put("resourceId", channel.resourceId);
            item.put("address", channel.address.toString());
            item.put("expiration", GoogleJson.time(channel.expiration));
            item.put("messages", channel.messages.get());
            item.put("delivered", channel.queue == null ? 0 : channel.queue.status().delivered());
            list.add(item);
        }
        return GoogleSandboxSupport.ok(Map.of("channels", list));
    }

    /** A freshly seeded domain ({@code ?files=} how many); its page tokens, channels and access tokens lapse. */
    @PostMapping("/reset")
    ResponseEntity<byte[]> reset(@RequestParam(defaultValue = "") String domain, @RequestParam(required = false) Integer files) {
        check(domain);
        int count = files == null ? domains.properties.files() : Math.max(0, Math.min(files, 100_000));
        DriveDomain d = domains.reset(domain, count);
        return GoogleSandboxSupport.ok(Map.of("domain", d.emailDomain, "files", d.files().size(), "startPageToken",
                Long.toString(d.startPageToken())));
    }

    private DriveDomain domain(String name) {
        check(name);
        return domains.domain(name);
    }

    private static void check(String name) {
        if (!GoogleDomains.isValidName(name)) {
            throw invalid("domain: lower-case letters, digits and dashes, at most 40");
        }
    }

    private static DriveApiException invalid(String message) {
        return new DriveApiException(400, "INVALID_ARGUMENT", "global", "badRequest", message, null, null);
    }

    @ExceptionHandler(DriveApiException.class)
    ResponseEntity<byte[]> apiError(DriveApiException e) {
        return ResponseEntity.status(e.status).contentType(GoogleSandboxSupport.JSON).body(GoogleJson.bytes(e.body()));
    }
}
