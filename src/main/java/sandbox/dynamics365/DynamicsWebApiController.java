package sandbox.dynamics365;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import sandbox.entra.EntraTokens;
import sandbox.kit.CallAdmission;
import sandbox.kit.RateWindow;

/**
 * The Dataverse Web API of each sandbox org, at {@code /sandbox/dynamics365/api/data/v9.2/} (the default org) and
 * {@code /sandbox/dynamics365/<org>/api/data/v9.2/} (v9.0 to v9.2): a client's server URL is the part before
 * {@code api/}, ending with a slash. Every call is authenticated, counted against its user's service protection window
 * (429 with Dataverse's body, {@code Retry-After} and {@code x-ms-ratelimit-*} headers when exceeded), delayed by the
 * configured latency, then served. A {@code $batch} ({@link BatchRequests}) is one call for all of that: its requests
 * are served within it.
 */
@RestController
@ConditionalOnProperty(name = "hub.sandbox.enabled", havingValue = "true")
public class DynamicsWebApiController extends DynamicsSandboxSupport {

    private static final Pattern VERSION = Pattern.compile("v9\\.[0-2]");
    private static final Pattern ENTITY_PATH = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(?:\\(([^)]*)\\))?(?:/(.+))?");
    private static final String PROTECTION = DynamicsWebApiController.class.getName() + ".protection";
    private static final String DECISION = DynamicsWebApiController.class.getName() + ".decision";

    private final EntitySetRequests entitySets;
    private final BatchRequests batches = new BatchRequests();

    public DynamicsWebApiController(DataverseOrgs orgs, EntraTokens tokens, DynamicsSandboxProperties properties) {
        super(orgs, tokens, properties);
        this.entitySets = new EntitySetRequests(properties.deltaTokenTtl());
    }

    @RequestMapping(BASE + "/api/data/{version}/{*path}")
    public ResponseEntity<byte[]> defaultOrg(@PathVariable String version, @PathVariable String path,
            @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        return serve(DataverseOrgs.DEFAULT, version, path, body, request);
    }

    @RequestMapping(BASE + "/{org}/api/data/{version}/{*path}")
    public ResponseEntity<byte[]> namedOrg(@PathVariable String org, @PathVariable String version,
            @PathVariable String path, @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        return serve(org, version, path, body, request);
    }

    private ResponseEntity<byte[]> serve(String orgName, String version, String path, byte[] body,
            HttpServletRequest request) {
        if (!VERSION.matcher(version).matches()) {
            throw DataverseApiException.segmentNotFound(version);
        }
        Caller caller = authenticate(orgName, request);
        DataverseOrg org = caller.org();
        ServiceProtection protection = org.protection();
        request.setAttribute(PROTECTION, new Protected(protection, caller.userKey()));
        // counted against the user's window and, when let in, delayed by the org's latency
        CallAdmission.Admission admission = protection.admit(caller.userKey());
        RateWindow.Decision decision = admission.window(ServiceProtection.REQUESTS);
        if (decision != null) {
            request.setAttribute(DECISION, decision);
        }
        if (!admission.allowed()) {
            throw new DataverseApiException(HttpStatus.TOO_MANY_REQUESTS, DataverseApiException.REQUEST_LIMIT,
                    "Number of requests exceeded the limit of " + decision.limit() + " over time window of "
                            + protection.calls().length(ServiceProtection.REQUESTS).toSeconds() + " seconds.");
        }
        String url = request.getRequestURL().toString();
        String marker = "/api/data/" + version + "/";
        int at = url.indexOf(marker);
        String base = at < 0 ? url + "/" : url.substring(0, at + marker.length());
        ApiCall call = new ApiCall(org, org.systemUserId(caller.userKey()), base,
                Preferences.parse(request.getHeaders("Prefer")), QueryOptions.parse(request.getQueryString()));
        String resource = path.startsWith("/") ? path.substring(1) : path;
        ApiResponse response = dispatch(request.getMethod(), resource, call, body, request::getHeader, url);
        ResponseEntity.BodyBuilder builder = respond(response.status(), request);
        response.headers().forEach(builder::header);
        if (response.body() == null) {
            return builder.build();
        }
        byte[] bytes = response.body() instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : json(response.body());
        return builder.contentType(response.type()).body(bytes);
    }

    /** One request, alone or within a {@code $batch}: its headers looked up by name, its URL for messages. */
    private ApiResponse dispatch(String method, String resource, ApiCall call, byte[] body, UnaryOperator<String> header,
            String url) {
        if (resource.equals("$batch")) {
            if (!method.equals("POST")) {
                throw notSupported(method);
            }
            return batches.serve(call, header.apply("Content-Type"), body, this::dispatch);
        }
        if (resource.isEmpty()) {
            requireGet(method, resource);
            return MetadataRequests.serviceDocument(call);
        }
        if (resource.equals("$metadata")) {
            requireGet(method, resource);
            return MetadataRequests.csdl();
        }
        if (resource.equals("WhoAmI") || resource.equals("WhoAmI()")) {
            if (!method.equals("GET")) {
                throw new DataverseApiException(HttpStatus.NOT_FOUND, "", "No HTTP resource was found that matches the"
                        + " request URI '" + url + "'.");
            }
            return MetadataRequests.whoAmI(call);
        }
        Matcher definitions = MetadataRequests.DEFINITIONS.matcher(resource);
        if (definitions.matches()) {
            requireGet(method, resource);
            return MetadataRequests.definitions(call, definitions);
        }
        Matcher m = ENTITY_PATH.matcher(resource);
        if (!m.matches()) {
            throw DataverseApiException.segmentNotFound(resource);
        }
        EntitySchema table = EntitySchema.byEntitySet(m.group(1))
                .orElseThrow(() -> DataverseApiException.segmentNotFound(m.group(1)));
        String key = m.group(2);
        String sub = m.group(3);
        if (key == null && "$count".equals(sub)) {
            requireGet(method, resource);
            return entitySets.count(call, table);
        }
        if (sub != null) {
            throw DataverseApiException.segmentNotFound(sub);
        }
        if (key == null) {
            return switch (method) {
                case "GET" -> entitySets.list(call, table);
                case "POST" -> entitySets.create(call, table, body);
                default -> throw notSupported(method);
            };
        }
        String id = EntitySetRequests.key(table, key);
        return switch (method) {
            case "GET" -> entitySets.get(call, table, id, header.apply("If-None-Match"));
            case "PATCH" -> entitySets.patch(call, table, id, body, header.apply("If-Match"), header.apply("If-None-Match"));
            case "DELETE" -> entitySets.delete(call, table, id, header.apply("If-Match"));
            default -> throw notSupported(method);
        };
    }

    private static void requireGet(String method, String resource) {
        if (!method.equals("GET")) {
            throw notSupported(method);
        }
    }

    private static DataverseApiException notSupported(String method) {
        return new DataverseApiException(HttpStatus.METHOD_NOT_ALLOWED, "",
                "The requested resource does not support http method '" + method + "'.");
    }

    /** A request's user and the service protection it counts against. */
    private record Protected(ServiceProtection protection, String user) {
    }

    /**
     * Adds the service protection headers while the org's limit is on: the requests and the execution time left
     * in the user's window, and on a refusal {@code Retry-After} in whole seconds.
     */
    @Override
    protected ResponseEntity.BodyBuilder respond(HttpStatus status, HttpServletRequest request) {
        ResponseEntity.BodyBuilder builder = super.respond(status, request);
        if (request.getAttribute(DECISION) instanceof RateWindow.Decision decision
                && request.getAttribute(PROTECTION) instanceof Protected caller) {
            if (decision.allowed()) {
                caller.protection().recordExecution(caller.user(), elapsedMillis(request));
            } else {
                builder.header("Retry-After", Long.toString(decision.retryAfterSeconds()));
            }
            builder.header("x-ms-ratelimit-burst-remaining-xrm-requests", Integer.toString(decision.remaining()));
            builder.header("x-ms-ratelimit-time-remaining-xrm-requests",
                    Long.toString(caller.protection().executionRemainingMillis(caller.user())));
        }
        return builder;
    }
}
