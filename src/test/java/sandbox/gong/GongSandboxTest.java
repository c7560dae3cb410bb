package sandbox.gong;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import hub.MutableClock;

/** The Gong sandbox's wire answers on MockMvc with a hand-moved clock, as raw HTTP clients of Gong's API see them. */
class GongSandboxTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = basic("sandbox-key", "sandbox-secret");

    private static final List<Map<String, Object>> RECEIVED = new CopyOnWriteArrayList<>();
    private static final HttpServer RECEIVER = receiver();

    private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T12:00:00Z"));
    private final GongSandbox sandbox;
    private final MockMvc mvc;

    GongSandboxTest() {
        GongSandboxProperties p = GongSandboxProperties.defaults();
        sandbox = new GongSandbox(new GongSandboxProperties(250, 10, p.seed(), 100, p.accessTokenTtl(), 3, p.rateWindow(), 10_000,
                p.dailyWindow(), 0, 10, 10, p.companyIdleAfter(), 2, List.of("127.0.0.1:" + RECEIVER.getAddress().getPort())), clock);
        mvc = MockMvcBuilders.standaloneSetup(new GongApiController(sandbox), new GongSetupController(sandbox)).build();
    }

    /** Where automation-rule webhooks go: records each request's Authorization header and body. */
    private static HttpServer receiver() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/hooks/gong", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                RECEIVED.add(Map.of("authorization", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")), "body", body,
                        "url", "http://127.0.0.1:" + exchange.getLocalAddress().getPort() + exchange.getRequestURI()));
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stopReceiver() {
        RECEIVER.stop(0);
    }

    private static String basic(String key, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((key + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    private MockHttpServletResponse send(HttpMethod method, String path, String authorization, Object body) throws Exception {
        MockHttpServletRequestBuilder request = MockMvcRequestBuilders.request(method, URI.create("http://localhost" + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).content(body instanceof String s ? s.getBytes(StandardCharsets.UTF_8)
                    : JSON.writeValueAsBytes(body));
        }
        return mvc.perform(request).andReturn().getResponse();
    }

    private JsonNode ok(HttpMethod method, String path, Object body) throws Exception {
        MockHttpServletResponse response = send(method, path, KEY, body);
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
        clock.advance(Duration.ofMillis(400)); // within Gong's 3 calls a second
        return JSON.readTree(response.getContentAsByteArray());
    }

    private static JsonNode json(MockHttpServletResponse response) throws Exception {
        return JSON.readTree(response.getContentAsByteArray());
    }

    @Test
    void listsCallsByDateRangeWithCursorPagingAndAnEmptyWindowIs404() throws Exception {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = ok(HttpMethod.GET, "/sandbox/gong/v2/calls?fromDateTime=2000-01-01T00:00:00Z"
                    + (cursor == null ? "" : "&cursor=" + cursor), null);
            assertThat(page.get("requestId").asText()).matches("[a-z0-9]{19}");
            assertThat(page.at("/records/totalRecords").asInt()).isEqualTo(250);
            assertThat(page.at("/records/currentPageNumber").asInt()).isEqualTo(pages);
            page.get("calls").forEach(c -> ids.add(c.get("id").asText()));
            cursor = page.at("/records/cursor").isMissingNode() ? null : page.at("/records/cursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(ids).hasSize(250).doesNotHaveDuplicates().allMatch(id -> id.matches("[0-9]{19}"));

        JsonNode first = ok(HttpMethod.GET, "/sandbox/gong/v2/calls/" + ids.get(0), null).get("call");
        // a client generated from Gong's OpenAPI document with its servers URL (…/v2) calls /v2/v2/...
        assertThat(ok(HttpMethod.GET, "/sandbox/gong/v2/v2/calls/" + ids.get(0), null).at("/call/id").asText()).isEqualTo(ids.get(0));
        assertThat(first.get("url").asText()).endsWith("?id=" + ids.get(0));
        assertThat(first.get("direction").asText()).isIn("Conference", "Outbound");
        assertThat(first.get("duration").asInt()).isPositive();
        // from is inclusive, to exclusive, on the scheduled time of a conference
        String at = first.get("direction").asText().equals("Conference") ? first.get("scheduled").asText() : first.get("started").asText();
        JsonNode exactly = ok(HttpMethod.GET, "/sandbox/gong/v2/calls?fromDateTime=" + at + "&toDateTime="
                + Instant.parse(at).plusSeconds(1), null);
        assertThat(exactly.get("calls")).extracting(c -> c.get("id").asText()).containsExactly(ids.get(0));
        assertThat(exactly.at("/records/cursor").isMissingNode()).isTrue();

        MockHttpServletResponse empty = send(HttpMethod.GET, "/sandbox/gong/v2/calls?fromDateTime=2099-01-01T00:00:00Z", KEY, null);
        assertThat(empty.getStatus()).isEqualTo(404);
        assertThat(json(empty).get("errors").get(0).asText()).isEqualTo("No calls found corresponding to the provided filters");
        clock.advance(Duration.ofSeconds(1));
        MockHttpServletResponse badDate = send(HttpMethod.GET, "/sandbox/gong/v2/calls?fromDateTime=yesterday", KEY, null);
        assertThat(badDate.getStatus()).isEqualTo(400);
        assertThat(json(badDate).get("errors").get(0).asText()).startsWith("fromDateTime:");
    }

    @Test
    void extensiveGivesPartiesWithTheCrmsPeopleAndTheTranscriptTheirWords() throws Exception {
        JsonNode page = ok(HttpMethod.POST, "/sandbox/gong/v2/calls/extensive", Map.of("filter", Map.of("fromDateTime", "2000-01-01T00:00:00Z"),
                "contentSelector", Map.of("exposedFields", Map.of("parties", true, "content", Map.of("brief", true, "topics", true)))));
        assertThat(page.get("calls")).hasSize(100);
        JsonNode call = page.get("calls").get(0);
        String id = call.at("/metaData/id").asText();
        Set<String> affiliations = new HashSet<>();
        call.get("parties").forEach(p -> affiliations.add(p.get("affiliation").asText()));
        assertThat(affiliations).contains("Internal", "External");
        JsonNode external = null;
        for (JsonNode p : call.get("parties")) {
            if (p.get("affiliation").asText().equals("External")) {
                external = p;
            }
        }
        Map<String, String> truth = sandbox.find("").groundTruth().get(id);
        assertThat(truth).containsKey(external.get("emailAddress").asText());
        assertThat(truth.get(external.get("emailAddress").asText())).startsWith("person-");
        assertThat(call.at("/content/brief").asText()).isNotBlank();
        assertThat(call.has("interaction")).isFalse();

        JsonNode transcripts = ok(HttpMethod.POST, "/sandbox/gong/v2/calls/transcript", Map.of("filter", Map.of("callIds", List.of(id))));
        JsonNode transcript = transcripts.get("callTranscripts").get(0);
        assertThat(transcript.get("callId").asText()).isEqualTo(id);
        Set<String> speakers = new HashSet<>();
        call.get("parties").forEach(p -> speakers.add(p.get("speakerId").asText()));
        transcript.get("transcript").forEach(m -> {
            assertThat(speakers).contains(m.get("speakerId").asText());
            assertThat(m.at("/sentences/0/end").asLong()).isGreaterThan(m.at("/sentences/0/start").asLong());
        });

        MockHttpServletResponse noFilter = send(HttpMethod.POST, "/sandbox/gong/v2/calls/extensive", KEY, Map.of());
        assertThat(noFilter.getStatus()).isEqualTo(400);
        assertThat(json(noFilter).get("errors").get(0).asText()).isEqualTo("filter: required");
    }

    @Test
    void enforcesThreeCallsASecondAndTheDailyLimitWith429AndRetryAfter() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(send(HttpMethod.GET, "/sandbox/gong/v2/calls", KEY, null).getStatus()).isEqualTo(200);
        }
        MockHttpServletResponse fourth = send(HttpMethod.GET, "/sandbox/gong/v2/calls", KEY, null);
        assertThat(fourth.getStatus()).isEqualTo(429);
        assertThat(fourth.getHeader("Retry-After")).isEqualTo("1");
        assertThat(json(fourth).get("errors").get(0).asText()).contains("limit exceeded");
        clock.advance(Duration.ofSeconds(1));
        assertThat(send(HttpMethod.GET, "/sandbox/gong/v2/calls", KEY, null).getStatus()).isEqualTo(200);

        MockHttpServletResponse day = send(HttpMethod.PUT, "/sandbox/gong/setup/limits/day", KEY, Map.of("rateLimit", 4));
        assertThat(day.getStatus()).isEqualTo(200); // four let in already today
        clock.advance(Duration.ofSeconds(1));
        assertThat(send(HttpMethod.GET, "/sandbox/gong/v2/calls", KEY, null).getStatus()).isEqualTo(429);
        MockHttpServletResponse spent = send(HttpMethod.GET, "/sandbox/gong/v2/calls", KEY, null);
        assertThat(spent.getStatus()).isEqualTo(429);
        assertThat(Long.parseLong(spent.getHeader("Retry-After"))).isGreaterThan(80_000);
        assertThat(json(spent).get("errors").get(0).asText()).contains("daily");

        JsonNode limits = json(send(HttpMethod.GET, "/sandbox/gong/setup/limits", KEY, null));
        assertThat(limits.at("/second/rateLimit").asInt()).isEqualTo(3);
        assertThat(limits.at("/second/violations").asLong()).isEqualTo(1);
        assertThat(limits.at("/day/rateLimit").asInt()).isEqualTo(4);
        assertThat(limits.at("/day/violations").asLong()).isEqualTo(2);
        MockHttpServletResponse bad = send(HttpMethod.PUT, "/sandbox/gong/setup/limits/hour", KEY, Map.of("rateLimit", 5));
        assertThat(bad.getStatus()).isEqualTo(400);
        assertThat(json(bad).get("errors").get(0).asText()).contains("second and day");
    }

    @Test
    void basicAuthNeedsTheKeyAndSecretAndOauthIssuesSingleUseRefreshTokensAndTheApiBase() throws Exception {
        assertThat(send(HttpMethod.GET, "/sandbox/gong/v2/calls", basic("sandbox-key", "wrong"), null).getStatus()).isEqualTo(401);
        assertThat(send(HttpMethod.GET, "/sandbox/gong/v2/calls", null, null).getStatus()).isEqualTo(401);

        MockHttpServletResponse authorize = send(HttpMethod.GET, "/sandbox/gong/oauth2/authorize?client_id=sandbox-client&response_type=code"
                + "&redirect_uri=http://localhost:9/cb&state=s1&login_hint=acme", null, null);
        assertThat(authorize.getStatus()).isEqualTo(302);
        String location = authorize.getHeader("Location");
        assertThat(location).startsWith("http://localhost:9/cb?code=").endsWith("&state=s1");
        String code = location.substring(location.indexOf("code=") + 5, location.indexOf("&state"));
        MockHttpServletResponse token = mvc.perform(MockMvcRequestBuilders.post(URI.create("http://localhost/sandbox/gong/oauth2/"
                        + "generate-customer-token?grant_type=authorization_code&code=" + code + "&redirect_uri=http://localhost:9/cb"))
                .header("Authorization", basic("sandbox-client", "sandbox-secret"))).andReturn().getResponse();
        assertThat(token.getStatus()).as(token.getContentAsString()).isEqualTo(200);
        JsonNode answer = json(token);
        assertThat(answer.get("api_base_url_for_customer").asText()).startsWith("http://localhost").endsWith("/sandbox/gong");
        assertThat(answer.get("expires_in").asLong()).isEqualTo(86_400);
        String access = answer.get("access_token").asText();
        assertThat(send(HttpMethod.GET, "/sandbox/gong/v2/calls", "Bearer " + access, null).getStatus()).isEqualTo(200);

        String refresh = answer.get("refresh_token").asText();
        String form = "grant_type=refresh_token&refresh_token=" + refresh + "&client_id=sandbox-client&client_secret=sandbox-secret";
        MockHttpServletResponse refreshed = mvc.perform(MockMvcRequestBuilders.post(URI.create(
                "http://localhost/sandbox/gong/oauth2/generate-customer-token")).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .content(form)).andReturn().getResponse();
        assertThat(refreshed.getStatus()).isEqualTo(200);
        assertThat(json(refreshed).get("refresh_token").asText()).isNotEqualTo(refresh);
        MockHttpServletResponse reused = mvc.perform(MockMvcRequestBuilders.post(URI.create(
                "http://localhost/sandbox/gong/oauth2/generate-customer-token")).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .content(form)).andReturn().getResponse();
        assertThat(reused.getStatus()).isEqualTo(400);
        assertThat(json(reused).get("error").asText()).isEqualTo("invalid_grant");

        clock.advance(Duration.ofDays(1).plusSeconds(1));
        assertThat(send(HttpMethod.GET, "/sandbox/gong/v2/calls", "Bearer " + access, null).getStatus()).isEqualTo(401);
    }

    @Test
    void setupAddsChangesAndDeletesCalls() throws Exception {
        MockHttpServletResponse added = send(HttpMethod.POST, "/sandbox/gong/setup/calls", KEY,
                Map.of("accountIndex", 2, "started", "2026-06-01T11:30:00Z", "title", "New call", "duration", 900));
        assertThat(added.getStatus()).isEqualTo(201);
        String id = json(added).get("id").asText();
        JsonNode window = ok(HttpMethod.GET, "/sandbox/gong/v2/calls?fromDateTime=2026-06-01T11:30:00Z", null);
        assertThat(window.get("calls")).extracting(c -> c.get("title").asText()).containsExactly("New call");

        assertThat(send(HttpMethod.PATCH, "/sandbox/gong/setup/calls/" + id, KEY, Map.of("title", "Renamed")).getStatus()).isEqualTo(200);
        assertThat(ok(HttpMethod.GET, "/sandbox/gong/v2/calls/" + id, null).at("/call/title").asText()).isEqualTo("Renamed");
        assertThat(send(HttpMethod.DELETE, "/sandbox/gong/setup/calls/" + id, KEY, null).getStatus()).isEqualTo(204);
        clock.advance(Duration.ofSeconds(1));
        assertThat(send(HttpMethod.GET, "/sandbox/gong/v2/calls/" + id, KEY, null).getStatus()).isEqualTo(404);
        MockHttpServletResponse bad = send(HttpMethod.POST, "/sandbox/gong/setup/calls", KEY, Map.of("duration", "long"));
        assertThat(bad.getStatus()).isEqualTo(400);
        assertThat(json(bad).get("errors").get(0).asText()).startsWith("duration:");
    }

    @Test
    void anAutomationRulePostsEachNewCallWithAJwtSignedByGongsKey() throws Exception {
        String url = "http://127.0.0.1:" + RECEIVER.getAddress().getPort() + "/hooks/gong";
        MockHttpServletResponse refused = send(HttpMethod.PUT, "/sandbox/gong/setup/webhooks", KEY, Map.of("url", "http://example.com/x"));
        assertThat(refused.getStatus()).isEqualTo(400);
        assertThat(json(refused).get("errors").get(0).asText()).startsWith("url:");
        JsonNode rule = json(send(HttpMethod.PUT, "/sandbox/gong/setup/webhooks", KEY, Map.of("url", url)));
        String pem = rule.get("publicKey").asText();
        assertThat(pem).startsWith("-----BEGIN PUBLIC KEY-----");

        RECEIVED.clear();
        String id = json(send(HttpMethod.POST, "/sandbox/gong/setup/calls", KEY, Map.of("accountIndex", 1, "title", "Pushed call")))
                .get("id").asText();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !RECEIVED.isEmpty());
        Map<String, Object> delivery = RECEIVED.get(0);
        byte[] body = (byte[]) delivery.get("body");
        JsonNode payload = JSON.readTree(body);
        assertThat(payload.get("isTest").asBoolean()).isFalse();
        assertThat(payload.at("/callData/metaData/id").asText()).isEqualTo(id);
        assertThat(payload.at("/callData/metaData/title").asText()).isEqualTo("Pushed call");
        assertThat(payload.at("/callData/parties")).isNotEmpty();

        SignedJWT jwt = SignedJWT.parse((String) delivery.get("authorization"));
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        String der = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(der)));
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
        assertThat(jwt.getJWTClaimsSet().getStringClaim("webhook_url")).isEqualTo(delivery.get("url"));
        assertThat(jwt.getJWTClaimsSet().getStringClaim("body_sha256"))
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
        assertThat(jwt.getJWTClaimsSet().getExpirationTime()).isAfter(jwt.getJWTClaimsSet().getIssueTime());

        send(HttpMethod.POST, "/sandbox/gong/setup/webhooks/test", KEY, null);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> RECEIVED.size() == 2);
        assertThat(JSON.readTree((byte[]) RECEIVED.get(1).get("body")).get("isTest").asBoolean()).isTrue();
        assertThat(json(send(HttpMethod.GET, "/sandbox/gong/setup/webhooks", KEY, null)).get("delivered").asLong()).isEqualTo(2);
        sandbox.shutdown();
    }
}
