package api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.HubClient.Response;

/**
 * The probe suite: what an attacker or a careless client would try, against every documented endpoint of the
 * running hub. The REST API is enumerated from its own OpenAPI document, so a new endpoint is probed without
 * editing this class. Each request has an expected refusal; the suite fails on any 5xx, any request accepted
 * that should have been refused, any operations endpoint that answers without the admin key, and any
 * connection that reaches an internal address a tenant named. It prints its figures.
 */
class ProbeSuiteTest extends EmbeddedHubTest {

    private static final HttpClient HTTP = client();
    /** Larger than any request body the hub takes. */
    private static final int OVERSIZED_BYTES = 3 * 1024 * 1024;
    private static final int FUZZ_PER_REGISTRATION = 120;

    // set up once for the class (the test's Camel context runs only around test methods, so not in @BeforeAll)
    private static final Tally tally = new Tally();
    private static HubClient hub;
    private static HubClient.Tenant owner;
    private static HubClient.Tenant other;
    /** Ids of the owner's records, by the kind of id a path parameter names. */
    private static final Map<String, String> ownerIds = new LinkedHashMap<>();
    private static final Map<String, JsonNode> registrations = new LinkedHashMap<>();
    private static JsonNode openApi;

    @BeforeEach
    void ownerWithRecordsOfEveryKind() {
        if (openApi != null) {
            return;
        }
        hub = hub();
        owner = hub.newTenant(ADMIN_KEY);
        other = hub.newTenant(ADMIN_KEY);
        String integration = hub.connectedSalesforce(owner.key(), "probe-" + UUID.randomUUID().toString().substring(0, 8), Map.of());
        String task = hub.task(owner.key(), integration, "Account", "full");
        JsonNode execution = hub.runAndWait(owner.key(), integration, task, Duration.ofSeconds(120));
        String shard = hub.allShards(owner.key(), "c_company").get(0).get("id").asText();
        ownerIds.put("integration", integration);
        ownerIds.put("task", task);
        ownerIds.put("execution", execution.get("id").asText());
        ownerIds.put("shard", shard);
        ownerIds.put("tenant", owner.id());
        String webhooks = "/api/tenant/integrations/" + integration + "/webhooks";
        for (Map<String, Object> registration : List.of(
                Map.<String, Object>of("scheme", "standard_webhooks"),
                Map.<String, Object>of("scheme", "github"),
                Map.<String, Object>of("scheme", "slack", "secret", "slack-signing-secret-0123456789ab"),
                Map.<String, Object>of("scheme", "hubspot", "secret", "hubspot-client-secret-0123456789"),
                Map.<String, Object>of("scheme", "zoom", "secret", "zoom-secret-token-0123456789abcd"),
                Map.<String, Object>of("scheme", "notion", "secret", "notion-verification-token-012345"),
                Map.<String, Object>of("scheme", "microsoft_graph"),
                Map.<String, Object>of("scheme", "google_drive", "settings", Map.of("channelId", "probe-channel")),
                Map.<String, Object>of("scheme", "google_pubsub", "settings",
                        Map.of("serviceAccountEmail", "push@probe.iam.gserviceaccount.com",
                                "jwksUri", hub.baseUrl() + "/no-such-certs")),
                Map.<String, Object>of("scheme", "salesforce_outbound", "settings", Map.of("organizationId", "00D000000000001AAA")))) {
            Map<String, Object> body = new LinkedHashMap<>(registration);
            body.put("events", List.of("*"));
            JsonNode created = hub.ok("POST", webhooks, owner.key(), body);
            registrations.put((String) registration.get("scheme"), created);
        }
        ownerIds.put("registration", registrations.get("standard_webhooks").get("id").asText());
        openApi = hub.ok("GET", "/api/openapi", null, null);
    }

    @AfterAll
    static void figures() {
        System.out.println(tally.summary());
    }

    @Test
    void everyDocumentedEndpointRefusesBadCallers() {
        List<Operation> operations = operations();
        assertThat(operations).as("operations in /api/openapi").hasSizeGreaterThan(30);
        for (Operation op : operations) {
            if (op.isPublic()) {
                // no key is the normal case: bad input must still be refused clearly
                expectRefused(op, "no key, no parameters", send(op.method, op.path(ownerIds, "unknown"), null, null), 400, 404);
                continue;
            }
            String valid = op.path(ownerIds, null);
            expectRefused(op, "no key", send(op.method, valid, null, op.hasBody ? "{}" : null), 401);
            // spellings the servlet container routes to the same controller: the key check must see them too
            for (String spelling : List.of(valid.replaceFirst("^/api/", "/api;x/"), valid.replaceFirst("^/api/", "/%61pi/"),
                    valid.replaceFirst("^/api/([a-z]+)/", "/api/$1;x/"))) {
                expectRefused(op, "no key, path spelled " + spelling, send(op.method, spelling, null, op.hasBody ? "{}" : null), 401, 400, 404);
                if (op.admin()) {
                    expectRefused(op, "tenant key, path spelled " + spelling, send(op.method, spelling, owner.key(), op.hasBody ? "{}" : null),
                            403, 400, 404);
                }
            }
            expectRefused(op, "wrong key", send(op.method, valid, "chk_wrong-" + UUID.randomUUID(), op.hasBody ? "{}" : null), 401);
            if (op.admin()) {
                expectRefused(op, "tenant key on an admin endpoint", send(op.method, valid, owner.key(), op.hasBody ? "{}" : null), 403);
            } else if (!op.path.equals("/api/integrations")) {
                expectRefused(op, "admin key on a tenant endpoint", send(op.method, valid, ADMIN_KEY, op.hasBody ? "{}" : null), 403);
            }
            String callerKey = op.admin() ? ADMIN_KEY : owner.key();
            if (op.hasIds() && !op.admin()) {
                // the other tenant names the owner's records: as if they did not exist
                // (a body checked before the lookup may be refused first: that tells the caller nothing either)
                expectRefused(op, "other tenant's ids", send(op.method, valid, other.key(), op.hasBody ? minimalBody(op) : null),
                        op.hasBody ? new int[] {404, 403, 400} : new int[] {404, 403});
                expectRefused(op, "unknown ids", send(op.method, op.path(ownerIds, "no-such-id"), callerKey, op.hasBody ? minimalBody(op) : null),
                        op.hasBody ? new int[] {404, 400} : new int[] {404});
            }
            if (op.hasBody) {
                expectRefused(op, "malformed JSON", send(op.method, valid, callerKey, "{\"name\": \"unterminated"), 400);
                expectRefused(op, "JSON that is not an object", send(op.method, valid, callerKey, "[1, 2, 3]"), 400);
                for (Map.Entry<String, String> wrong : wronglyTyped(op).entrySet()) {
                    expectRefused(op, "wrongly typed " + wrong.getKey(), send(op.method, valid, callerKey, wrong.getValue()), 400, 404, 409);
                }
                String huge = "{\"name\":\"" + "x".repeat(OVERSIZED_BYTES) + "\"}";
                expectRefused(op, "oversized body", sendOversized(op.method, valid, callerKey, huge), 413);
            }
        }
        assertThat(tally.failures).as(tally.summary()).isEmpty();
    }

    @Test
    void operationsEndpointsNeedTheAdminKey() {
        for (String path : List.of("/actuator", "/actuator/metrics", "/actuator/metrics/jvm.memory.used", "/actuator/camelroutes",
                "/actuator/info", "/actuator/jolokia", "/actuator/jolokia/list", "/actuator/jolokia/version",
                "/actuator/hawtio", "/actuator/hawtio/", "/actuator/hawtio/jolokia", "/hawtio", "/jolokia")) {
            Response anonymous = raw("GET", path, null, null);
            tally.tried.incrementAndGet();
            if (anonymous.status() >= 500) {
                tally.fail("GET " + path + " without a key answered " + anonymous.status());
                tally.serverErrors.incrementAndGet();
            } else if (anonymous.status() < 300) {
                tally.fail("GET " + path + " answered " + anonymous.status() + " without a key");
                tally.unauthenticatedOps.incrementAndGet();
            } else {
                tally.clear4xx.incrementAndGet();
            }
        }
        // the attack: read a file through the Camel context, without a key and with one
        String attack = "{\"type\":\"exec\",\"mbean\":\"org.apache.camel:context=castiel-hub,type=context,name=\\\"castiel-hub\\\"\","
                + "\"operation\":\"requestBody(java.lang.String,java.lang.Object)\","
                + "\"arguments\":[\"language:constant:resource:file:admin-api-key\",\"\"]}";
        for (String key : new String[] {null, "wrong", ADMIN_KEY}) {
            Response r = raw("POST", "/actuator/jolokia", key, attack);
            tally.tried.incrementAndGet();
            boolean executed = r.status() == 200 && r.body() != null && r.body().path("status").asInt() == 200;
            if (executed) {
                tally.fail("Jolokia executed requestBody on the Camel context with key " + (key == null ? "none" : key));
                tally.unauthenticatedOps.incrementAndGet();
            } else if (r.status() >= 500) {
                tally.serverErrors.incrementAndGet();
                tally.fail("Jolokia attack answered " + r.status());
            }
        }
        // Jolokia's proxy to other JMX agents (JNDI lookups, stub deserialization) is not there, even for the admin:
        // a request naming a target is answered from this hub's own MBeans, and nothing connects to the target
        try (ServerSocket registry = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String proxied = "{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"HeapMemoryUsage\","
                    + "\"target\":{\"url\":\"service:jmx:rmi:///jndi/rmi://127.0.0.1:" + registry.getLocalPort() + "/jmxrmi\"}}";
            Response proxy = raw("POST", "/actuator/jolokia", ADMIN_KEY, proxied);
            tally.tried.incrementAndGet();
            registry.setSoTimeout(300);
            try (Socket reached = registry.accept()) {
                tally.internalReached.incrementAndGet();
                tally.fail("Jolokia's proxy connected to the target it was given: " + abbreviate(proxy.raw()));
            } catch (java.net.SocketTimeoutException expected) {
                if (proxy.status() >= 500) {
                    tally.serverErrors.incrementAndGet();
                    tally.fail("Jolokia proxy request answered " + proxy.status());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        // another site's page cannot use a browser that holds an operator's login
        for (Map<String, String> crossSite : List.of(Map.of("Origin", "https://elsewhere.example"), Map.of("Sec-Fetch-Site", "cross-site"))) {
            Response r = raw("GET", "/actuator/metrics", ADMIN_KEY, null, crossSite);
            tally.tried.incrementAndGet();
            if (r.status() != 403) {
                tally.fail("operations endpoint answered " + r.status() + " to a cross-site request " + crossSite);
                tally.unauthenticatedOps.incrementAndGet();
            }
        }
        // the sandbox is for callers on this machine: a forwarded request is not one
        Response forwarded = raw("GET", "/sandbox/salesforce/services/data/v59.0/limits", null, null,
                Map.of("X-Forwarded-For", "203.0.113.9"));
        tally.tried.incrementAndGet();
        if (forwarded.status() != 404) {
            tally.fail("sandbox answered a forwarded request with " + forwarded.status());
            tally.wronglyAccepted.incrementAndGet();
        }
        Response health = raw("GET", "/actuator/health", null, null);
        tally.tried.incrementAndGet();
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().has("components")).as("anonymous health shows no details: " + health.raw()).isFalse();
        for (String probe : List.of("/actuator/health/liveness", "/actuator/health/readiness")) {
            tally.tried.incrementAndGet();
            assertThat(raw("GET", probe, null, null).status()).as(probe).isEqualTo(200);
        }
        assertThat(raw("GET", "/actuator/metrics", ADMIN_KEY, null).status()).as("metrics with the admin key").isEqualTo(200);
        assertThat(tally.failures).as(tally.summary()).isEmpty();
    }

    @Test
    void urlsATenantNamesNeverReachInternalAddresses() throws Exception {
        try (ServerSocket internal = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AtomicInteger reached = new AtomicInteger();
            Thread listener = new Thread(() -> {
                while (!internal.isClosed()) {
                    try (Socket ignored = internal.accept()) {
                        reached.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "internal-listener");
            listener.setDaemon(true);
            listener.start();
            int port = internal.getLocalPort();
            List<String> internalUrls = List.of("http://127.0.0.1:" + port, "http://localhost:" + port, "http://[::1]:" + port,
                    "http://0.0.0.0:" + port, "http://2130706433:" + port, "http://127.1:" + port,
                    "http://[::ffff:127.0.0.1]:" + port, "https://127.0.0.1:" + port);
            String integration = hub.ok("POST", "/api/tenant/integrations", owner.key(),
                    Map.of("providerId", "salesforce", "name", "probe-guard")).get("id").asText();
            String connect = "/api/tenant/integrations/" + integration + "/connect/api-key";
            for (String url : internalUrls) {
                for (String field : List.of("loginUrl", "instanceUrl")) {
                    Map<String, Object> credentials = new LinkedHashMap<>(hub.sandboxCredentials("probe-guard"));
                    credentials.put(field, url);
                    Response r = hub.call("POST", connect, owner.key(), Map.of("credentials", credentials));
                    tally.tried.incrementAndGet();
                    countRefusal("connect with " + field + "=" + url, r, 400);
                }
                Response oauth = hub.call("POST", "/api/tenant/integrations/" + integration + "/connect/oauth", owner.key(),
                        Map.of("clientId", "c", "clientSecret", "s", "loginUrl", url, "redirectAfter", hub.baseUrl() + "/"));
                tally.tried.incrementAndGet();
                countRefusal("connect/oauth with loginUrl=" + url, oauth, 400);
                Response pubsub = hub.call("POST", "/api/tenant/integrations/" + integration + "/webhooks", owner.key(),
                        Map.of("scheme", "google_pubsub", "events", List.of("*"),
                                "settings", Map.of("serviceAccountEmail", "push@probe.iam.gserviceaccount.com", "jwksUri", url + "/certs")));
                tally.tried.incrementAndGet();
                if (pubsub.status() < 300) {
                    // accepted at registration: a delivery with a token must still not fetch keys from there
                    String token = jwtShaped();
                    raw("POST", "/webhooks/" + pubsub.body().get("id").asText(), token, "{\"message\":{\"data\":\"e30=\"}}");
                } else {
                    countRefusal("google_pubsub jwksUri=" + url, pubsub, 400);
                }
            }
            internal.close();
            listener.join(5_000);
            tally.internalReached.addAndGet(reached.get());
            assertThat(reached.get()).as("connections that reached the internal listener").isZero();
        }
        assertThat(tally.failures).as(tally.summary()).isEmpty();
    }

    @Test
    void receiverFuzzAcceptsNothingUnsigned() {
        Random random = new Random(20261202L);
        for (Map.Entry<String, JsonNode> registration : registrations.entrySet()) {
            String path = "/webhooks/" + registration.getValue().get("id").asText();
            for (int i = 0; i < FUZZ_PER_REGISTRATION; i++) {
                Map<String, String> headers = fuzzHeaders(random);
                String contentType = pick(random, "application/json", "text/xml", "application/x-www-form-urlencoded",
                        "text/plain", "application/octet-stream", "application/json; charset=utf-8");
                byte[] body = fuzzBody(random);
                Response r = post(path, contentType, body, headers);
                tally.tried.incrementAndGet();
                if (r.status() >= 500) {
                    tally.serverErrors.incrementAndGet();
                    tally.fail("receiver " + registration.getKey() + " answered " + r.status() + " to fuzz #" + i);
                } else if (r.status() < 300) {
                    tally.wronglyAccepted.incrementAndGet();
                    tally.fail("receiver " + registration.getKey() + " accepted unsigned fuzz #" + i + ": " + r.raw());
                } else {
                    tally.clear4xx.incrementAndGet();
                }
            }
            // forgeries never disable a registration
            String health = "/api/tenant/integrations/" + ownerIds.get("integration") + "/webhooks/" + registration.getValue().get("id").asText()
                    + "/health";
            assertThat(hub.ok("GET", health, owner.key(), null).get("status").asText()).as(registration.getKey() + " after fuzz")
                    .isNotEqualTo("disabled");
        }
        assertThat(tally.failures).as(tally.summary()).isEmpty();
    }

    // ------------------------------------------------------------------ the matrix

    private void expectRefused(Operation op, String probe, Response r, int... expected) {
        tally.tried.incrementAndGet();
        String what = op.method + " " + op.path + " (" + probe + ")";
        if (r.status() >= 500) {
            tally.serverErrors.incrementAndGet();
            tally.fail(what + " answered " + r.status() + ": " + abbreviate(r.raw()));
            return;
        }
        if (r.status() < 400) {
            tally.wronglyAccepted.incrementAndGet();
            tally.fail(what + " was accepted with " + r.status() + ": " + abbreviate(r.raw()));
            return;
        }
        boolean clear = r.body() != null && r.body().hasNonNull("message") && !r.body().get("message").asText().isBlank();
        boolean leaks = r.raw() != null && (r.raw().contains("Exception") || r.raw().contains("\tat ") || r.raw().contains("HttpClient@"));
        if (clear && !leaks) {
            tally.clear4xx.incrementAndGet();
        } else {
            tally.unclear4xx.incrementAndGet();
            tally.fail(what + " answered " + r.status() + " without a clear message: " + abbreviate(r.raw()));
        }
        boolean matches = false;
        for (int status : expected) {
            matches |= r.status() == status;
        }
        if (!matches) {
            tally.fail(what + " answered " + r.status() + ", expected one of " + java.util.Arrays.toString(expected));
        }
    }

    private void countRefusal(String what, Response r, int expected) {
        if (r.status() >= 500) {
            tally.serverErrors.incrementAndGet();
            tally.fail(what + " answered " + r.status());
        } else if (r.status() < 300 && (r.body() == null || r.body().path("ok").asBoolean(true))) {
            tally.wronglyAccepted.incrementAndGet();
            tally.fail(what + " was accepted: " + abbreviate(r.raw()));
        } else {
            tally.clear4xx.incrementAndGet();
            if (r.raw() != null && (r.raw().contains("Exception") || r.raw().contains("HttpClient@"))) {
                tally.fail(what + " leaked internals: " + abbreviate(r.raw()));
            }
        }
    }

    private String minimalBody(Operation op) {
        return "{}";
    }

    /** One body per top-level property of the request schema, with that property of a type the schema does not allow. */
    private Map<String, String> wronglyTyped(Operation op) {
        Map<String, String> bodies = new LinkedHashMap<>();
        JsonNode schema = resolve(op.requestSchema);
        if (schema == null || !schema.has("properties")) {
            return bodies;
        }
        Iterator<Map.Entry<String, JsonNode>> properties = schema.get("properties").fields();
        while (properties.hasNext()) {
            Map.Entry<String, JsonNode> property = properties.next();
            JsonNode type = resolve(property.getValue());
            String wrong = switch (type == null ? "" : type.path("type").asText()) {
                case "string" -> type.has("enum") || type.has("format") ? "12345" : "true";
                case "integer" -> "1.5";
                case "number" -> "\"many\"";
                case "boolean" -> "\"yes\"";
                case "array" -> "\"not-a-list\"";
                case "object" -> "\"not-an-object\"";
                default -> null;
            };
            if (wrong != null) {
                bodies.put(property.getKey(), "{\"" + property.getKey() + "\":" + wrong + "}");
            }
        }
        return bodies;
    }

    private static JsonNode resolve(JsonNode schema) {
        if (schema == null) {
            return null;
        }
        if (schema.has("$ref")) {
            String name = schema.get("$ref").asText().replace("#/components/schemas/", "");
            return openApi.path("components").path("schemas").path(name);
        }
        return schema;
    }

    private List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        openApi.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(method -> {
            JsonNode body = method.getValue().path("requestBody").path("content");
            JsonNode schema = body.path("application/json").path("schema");
            operations.add(new Operation(method.getKey().toUpperCase(), path.getKey(), body.size() > 0,
                    schema.isMissingNode() ? null : schema));
        }));
        return operations;
    }

    private record Operation(String method, String path, boolean hasBody, JsonNode requestSchema) {

        boolean admin() {
            return path.startsWith("/api/admin/");
        }

        boolean isPublic() {
            return path.startsWith("/api/oauth/");
        }

        boolean hasIds() {
            return path.contains("{");
        }

        /** The path with each parameter replaced by the owner's id of that kind, or by {@code unknown}. */
        String path(Map<String, String> ids, String unknown) {
            StringBuilder out = new StringBuilder();
            String previous = "";
            for (String segment : path.substring(1).split("/")) {
                out.append('/');
                if (segment.startsWith("{")) {
                    String kind = switch (previous) {
                        case "integrations" -> "integration";
                        case "tasks" -> "task";
                        case "executions" -> "execution";
                        case "shards" -> "shard";
                        case "webhooks" -> "registration";
                        case "tenants" -> "tenant";
                        default -> previous;
                    };
                    out.append(unknown != null ? unknown : ids.getOrDefault(kind, "no-such-" + kind));
                } else {
                    out.append(segment);
                }
                previous = segment;
            }
            return out.toString();
        }
    }

    // ------------------------------------------------------------------ fuzz material

    private static Map<String, String> fuzzHeaders(Random random) {
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> names = List.of("X-Hub-Signature-256", "X-GitHub-Delivery", "X-GitHub-Event", "X-Slack-Signature",
                "X-Slack-Request-Timestamp", "X-HubSpot-Signature-v3", "X-HubSpot-Signature", "X-HubSpot-Request-Timestamp",
                "x-zm-signature", "x-zm-request-timestamp", "X-Notion-Signature", "webhook-id", "webhook-timestamp",
                "webhook-signature", "X-Goog-Channel-ID", "X-Goog-Channel-Token", "X-Goog-Resource-State", "Authorization");
        for (String name : names) {
            if (random.nextInt(3) == 0) {
                headers.put(name, switch (random.nextInt(5)) {
                    case 0 -> "sha256=" + hex(random, 32);
                    case 1 -> Long.toString(System.currentTimeMillis() / 1000 - random.nextInt(10));
                    case 2 -> "v1," + Base64.getEncoder().encodeToString(bytes(random, 32));
                    case 3 -> "Bearer " + jwtShaped();
                    default -> hex(random, 1 + random.nextInt(40));
                });
            }
        }
        return headers;
    }

    private static byte[] fuzzBody(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> bytes(random, random.nextInt(2048));
            case 1 -> "{\"type\":\"company.updated\",\"data\":{\"id\":\"001\"}}".getBytes(StandardCharsets.UTF_8);
            case 2 -> ("{\"value\":[{\"clientState\":\"" + hex(random, 16) + "\",\"changeType\":\"updated\",\"resource\":\"x\"}]}")
                    .getBytes(StandardCharsets.UTF_8);
            case 3 -> ("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
                    + "<notifications xmlns=\"http://soap.sforce.com/2005/09/outbound\"><OrganizationId>00D000000000002AAA</OrganizationId>"
                    + "</notifications></soapenv:Body></soapenv:Envelope>").getBytes(StandardCharsets.UTF_8);
            case 4 -> ("{\"event\":\"endpoint.url_validation\",\"payload\":{\"plainToken\":\"" + hex(random, 8) + "\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            default -> ("{\"a\":" + "[".repeat(random.nextInt(200)) + "1").getBytes(StandardCharsets.UTF_8);
        };
    }

    private static String jwtShaped() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\",\"kid\":\"probe\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"iss\":\"https://accounts.google.com\",\"email\":\"push@probe.iam.gserviceaccount.com\","
                        + "\"exp\":" + (System.currentTimeMillis() / 1000 + 600) + "}").getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(new byte[256]);
    }

    private static byte[] bytes(Random random, int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String hex(Random random, int n) {
        return java.util.HexFormat.of().formatHex(bytes(random, n));
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... values) {
        return values[random.nextInt(values.length)];
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    // ------------------------------------------------------------------ HTTP

    private static Response send(String method, String path, String key, String body) {
        return raw(method, path, key, body);
    }

    private static Response raw(String method, String path, String key, String body) {
        return raw(method, path, key, body, Map.of());
    }

    /**
     * An oversized body goes on a connection of its own, so that it is never sent on a pooled
     * connection the hub has closed meanwhile. A transport failure before any answer (599) is tried
     * once more, as a client would; a second one fails the probe.
     */
    private static Response sendOversized(String method, String path, String key, String body) {
        Response answer = raw(client(), method, path, key, body, Map.of());
        return answer.status() == 599 ? raw(client(), method, path, key, body, Map.of()) : answer;
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private static Response raw(String method, String path, String key, String body, Map<String, String> headers) {
        return raw(HTTP, method, path, key, body, headers);
    }

    private static Response raw(HttpClient client, String method, String path, String key, String body, Map<String, String> headers) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hub.baseUrl() + path)).timeout(Duration.ofSeconds(60));
            headers.forEach(request::header);
            if (key != null) {
                request.header("Authorization", "Bearer " + key);
            }
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
            }
            return parse(client.send(request.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return new Response(599, null, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Response post(String path, String contentType, byte[] body, Map<String, String> headers) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hub.baseUrl() + path)).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(request::header);
            return parse(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return new Response(599, null, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Response parse(HttpResponse<String> response) {
        JsonNode json = null;
        String text = response.body();
        if (text != null && text.trim().matches("(?s)^[\\[{].*")) {
            try {
                json = HubClient.JSON.readTree(text);
            } catch (IOException notJson) {
                json = null;
            }
        }
        return new Response(response.statusCode(), json, text);
    }

    /** What the probes found, printed at the end: the closing note quotes it. */
    private static final class Tally {
        final AtomicInteger tried = new AtomicInteger();
        final AtomicInteger clear4xx = new AtomicInteger();
        final AtomicInteger unclear4xx = new AtomicInteger();
        final AtomicInteger serverErrors = new AtomicInteger();
        final AtomicInteger wronglyAccepted = new AtomicInteger();
        final AtomicInteger unauthenticatedOps = new AtomicInteger();
        final AtomicInteger internalReached = new AtomicInteger();
        final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();

        void fail(String failure) {
            failures.add(failure);
        }

        String summary() {
            return "probe suite: " + tried + " requests, " + clear4xx + " clear 4xx, " + unclear4xx + " unclear 4xx, "
                    + serverErrors + " 5xx, " + wronglyAccepted + " wrongly accepted, " + unauthenticatedOps
                    + " unauthenticated operations endpoints, " + internalReached + " internal addresses reached"
                    + (failures.isEmpty() ? "" : "\n  " + String.join("\n  ", failures.subList(0, Math.min(80, failures.size())))
                            + (failures.size() > 80 ? "\n  ... " + (failures.size() - 80) + " more" : ""));
        }
    }
}
