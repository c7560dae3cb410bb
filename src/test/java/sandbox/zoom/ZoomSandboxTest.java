package sandbox.zoom;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import hub.MutableClock;

/** The Zoom sandbox's wire answers on MockMvc with a hand-moved clock, and its webhooks to a local endpoint. */
class ZoomSandboxTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASIC = "Basic " + Base64.getEncoder().encodeToString("sandbox-client:sandbox-secret".getBytes(StandardCharsets.UTF_8));

    private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T12:00:00Z"));
    private final ZoomSandbox sandbox = new ZoomSandbox(new ZoomSandboxProperties(12, 20, 20250101L, Duration.ofHours(1), 30, 20,
            Duration.ofSeconds(1), 0, 50, 50, Duration.ofMinutes(15), Duration.ofMillis(100), Duration.ofSeconds(1), 4,
            Duration.ofSeconds(3), Duration.ofHours(72), List.of("127.0.0.1")), clock,
            java.time.Clock.systemUTC());
    private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new ZoomApiController(sandbox), new ZoomSetupController(sandbox)).build();
    private HttpServer server;

    @AfterEach
    void stop() {
        sandbox.shutdown();
        if (server != null) {
            server.stop(0);
        }
    }

    private MockHttpServletResponse send(HttpMethod method, String pathAndQuery, String authorization, String body, MediaType type)
            throws Exception {
        MockHttpServletRequestBuilder request = MockMvcRequestBuilders.request(method, URI.create("http://localhost" + pathAndQuery));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        // Zoom's Node client sends a content type on bodiless requests too
        request.contentType(type == null ? MediaType.APPLICATION_JSON : type);
        if (body != null) {
            request.content(body.getBytes(StandardCharsets.UTF_8));
        }
        return mvc.perform(request).andReturn().getResponse();
    }

    private static JsonNode json(MockHttpServletResponse response) throws Exception {
        return JSON.readTree(response.getContentAsString(StandardCharsets.UTF_8));
    }

    private JsonNode ok(HttpMethod method, String path, String authorization, String body) throws Exception {
        MockHttpServletResponse response = send(method, path, authorization, body, null);
        assertThat(response.getStatus()).as(method + " " + path + ": " + response.getContentAsString()).isBetween(200, 299);
        return response.getContentLength() == 0 && response.getContentAsString().isEmpty() ? null : json(response);
    }

    private String s2s(String account) throws Exception {
        MockHttpServletResponse response = send(HttpMethod.POST, "/sandbox/zoom/oauth/token?grant_type=account_credentials&account_id=" + account,
                BASIC, null, MediaType.APPLICATION_FORM_URLENCODED);
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
        JsonNode token = json(response);
        assertThat(token.get("expires_in").isNumber()).isTrue();
        assertThat(token.get("scope").isTextual()).isTrue();
        assertThat(token.get("token_type").asText()).isEqualTo("bearer");
        assertThat(token.has("refresh_token")).as("Server-to-Server tokens have none").isFalse();
        assertThat(token.get("api_url").asText()).isEqualTo("http://localhost:80/sandbox/zoom");
        return "Bearer " + token.get("access_token").asText();
    }

    private String setup(String account) {
        return "/sandbox/zoom/setup/accounts/" + account;
    }

    @Test
    void serverToServerTokensListRecordingsByDateWindowWithPageTokensAndExpire() throws Exception {
        String account = "sandbox-account-list";
        String token = s2s(account);
        // the form body works as well as the query; a wrong secret does not
        assertThat(send(HttpMethod.POST, "/sandbox/zoom/oauth/token", BASIC, "grant_type=account_credentials&account_id=" + account,
                MediaType.APPLICATION_FORM_URLENCODED).getStatus()).isEqualTo(200);
        MockHttpServletResponse badClient = send(HttpMethod.POST, "/sandbox/zoom/oauth/token?grant_type=account_credentials&account_id=x",
                "Basic " + Base64.getEncoder().encodeToString("sandbox-client:nope".getBytes(StandardCharsets.UTF_8)), null,
                MediaType.APPLICATION_FORM_URLENCODED);
        assertThat(badClient.getStatus()).isEqualTo(401);
        assertThat(json(badClient).get("error").asText()).isEqualTo("invalid_client");

        JsonNode users = ok(HttpMethod.GET, "/sandbox/zoom/v2/users", token, null);
        assertThat(users.get("users")).hasSize(3);
        String host = users.at("/users/0/id").asText();
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        List<String> seen = new ArrayList<>();
        String next = "";
        int pages = 0;
        do {
            JsonNode page = ok(HttpMethod.GET, "/sandbox/zoom/v2/users/" + host + "/recordings?from=" + today.minusDays(25) + "&to=" + today
                    + "&page_size=2" + (next.isEmpty() ? "" : "&next_page_token=" + next), token, null);
            page.get("meetings").forEach(m -> {
                seen.add(m.get("uuid").asText());
                assertThat(m.get("host_id").asText()).isEqualTo(host);
                assertThat(m.get("recording_files").get(0).get("download_url").asText()).startsWith("http://localhost:80/sandbox/zoom/rec/download/");
            });
            assertThat(page.get("total_records").asInt()).isEqualTo(4);
            next = page.get("next_page_token").asText();
            pages++;
        } while (!next.isEmpty());
        assertThat(pages).isEqualTo(2);
        assertThat(seen).hasSize(4).doesNotHaveDuplicates();

        MockHttpServletResponse tooLong = send(HttpMethod.GET, "/sandbox/zoom/v2/users/me/recordings?from=2026-01-01&to=2026-03-01", token, null, null);
        assertThat(tooLong.getStatus()).isEqualTo(400);
        assertThat(json(tooLong).get("code").asInt()).isEqualTo(300);
        assertThat(send(HttpMethod.GET, "/sandbox/zoom/v2/users/me/recordings?next_page_token=unknown", token, null, null).getStatus())
                .isEqualTo(400);
        MockHttpServletResponse noToken = send(HttpMethod.GET, "/sandbox/zoom/v2/users", null, null, null);
        assertThat(noToken.getStatus()).isEqualTo(401);
        assertThat(json(noToken).get("message").asText()).isEqualTo("Invalid access token.");

        clock.advance(Duration.ofMinutes(61));
        MockHttpServletResponse expired = send(HttpMethod.GET, "/sandbox/zoom/v2/users", token, null, null);
        assertThat(expired.getStatus()).isEqualTo(401);
        assertThat(json(expired).get("code").asInt()).isEqualTo(124);
        assertThat(json(expired).get("message").asText()).isEqualTo("Access token is expired.");
        String fresh = s2s(account);
        ok(HttpMethod.POST, setup(account) + "/tokens/expire", BASIC, null);
        assertThat(send(HttpMethod.GET, "/sandbox/zoom/v2/users", fresh, null, null).getStatus()).isEqualTo(401);
    }

    @Test
    void aTranscriptDownloadsAsWebVttWithTheBearerToken() throws Exception {
        String account = "sandbox-account-vtt";
        String token = s2s(account);
        JsonNode recordings = ok(HttpMethod.GET, setup(account) + "/recordings", BASIC, null).get("recordings");
        JsonNode withTranscript = null;
        for (JsonNode r : recordings) {
            if (r.get("transcript").asBoolean()) {
                withTranscript = r;
                break;
            }
        }
        assertThat(withTranscript).isNotNull();
        assertThat(recordings).anySatisfy(r -> assertThat(r.get("transcript").asBoolean()).isFalse());
        JsonNode meeting = ok(HttpMethod.GET, "/sandbox/zoom/v2/meetings/" + withTranscript.get("uuid").asText().replace("+", "%2B")
                + "/recordings", token, null);
        assertThat(meeting.get("topic").asText()).isEqualTo(withTranscript.get("topic").asText());
        JsonNode transcript = null;
        for (JsonNode f : meeting.get("recording_files")) {
            if (f.get("file_type").asText().equals("TRANSCRIPT")) {
                transcript = f;
            }
        }
        assertThat(transcript.get("file_extension").asText()).isEqualTo("VTT");
        String path = URI.create(transcript.get("download_url").asText()).getPath();
        MockHttpServletResponse vtt = send(HttpMethod.GET, path, token, null, null);
        assertThat(vtt.getStatus()).isEqualTo(200);
        String text = vtt.getContentAsString(StandardCharsets.UTF_8);
        assertThat(text).startsWith("WEBVTT\n").contains(" --> ").contains("Jordan Lee: ");
        assertThat(send(HttpMethod.GET, path + "?access_token=" + token.substring(7), null, null, null).getStatus()).isEqualTo(200);
        assertThat(send(HttpMethod.GET, path, null, null, null).getStatus()).isEqualTo(401);
        // the topic and transcript name the shared world's company
        JsonNode truth = ok(HttpMethod.GET, setup(account) + "/ground-truth", BASIC, null);
        assertThat(truth.get(withTranscript.get("uuid").asText()).get("company").asText()).startsWith("company-");
    }

    @Test
    void authorizationCodeTokensRefreshWithRotation() throws Exception {
        MockHttpServletResponse consent = send(HttpMethod.GET, "/sandbox/zoom/oauth/authorize?response_type=code&client_id=sandbox-client"
                + "&redirect_uri=http://localhost:9/cb&state=s1&login_hint=oauth", null, null, null);
        assertThat(consent.getStatus()).isEqualTo(302);
        String location = consent.getHeader("Location");
        assertThat(location).startsWith("http://localhost:9/cb?code=").endsWith("&state=s1");
        String code = location.substring(location.indexOf("code=") + 5, location.indexOf('&'));
        JsonNode tokens = json(send(HttpMethod.POST, "/sandbox/zoom/oauth/token", BASIC,
                "grant_type=authorization_code&code=" + code + "&redirect_uri=http://localhost:9/cb", MediaType.APPLICATION_FORM_URLENCODED));
        assertThat(tokens.get("refresh_token").asText()).isNotBlank();
        assertThat(tokens.get("expires_in").isNumber()).isTrue();
        // the code works once
        assertThat(send(HttpMethod.POST, "/sandbox/zoom/oauth/token", BASIC, "grant_type=authorization_code&code=" + code,
                MediaType.APPLICATION_FORM_URLENCODED).getStatus()).isEqualTo(400);
        // client credentials in the form, as the hub's refresher sends them
        JsonNode refreshed = json(send(HttpMethod.POST, "/sandbox/zoom/oauth/token", null, "grant_type=refresh_token&refresh_token="
                + tokens.get("refresh_token").asText() + "&client_id=sandbox-client&client_secret=sandbox-secret",
                MediaType.APPLICATION_FORM_URLENCODED));
        assertThat(refreshed.get("refresh_token").asText()).isNotEqualTo(tokens.get("refresh_token").asText());
        ok(HttpMethod.GET, "/sandbox/zoom/v2/users/me", "Bearer " + refreshed.get("access_token").asText(), null);
        MockHttpServletResponse reused = send(HttpMethod.POST, "/sandbox/zoom/oauth/token", BASIC, "grant_type=refresh_token&refresh_token="
                + tokens.get("refresh_token").asText(), MediaType.APPLICATION_FORM_URLENCODED);
        assertThat(reused.getStatus()).isEqualTo(400);
        assertThat(json(reused).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(json(reused).get("reason").asText()).isEqualTo("Invalid Token!");
    }

    @Test
    void recordingsGoToTheTrashComeBackAndAreDeletedForGood() throws Exception {
        String account = "sandbox-account-trash";
        String token = s2s(account);
        JsonNode first = ok(HttpMethod.GET, setup(account) + "/recordings", BASIC, null).get("recordings").get(0);
        String uuid = first.get("uuid").asText().replace("+", "%2B");
        String host = first.get("host_id").asText();
        assertThat(send(HttpMethod.DELETE, "/sandbox/zoom/v2/meetings/" + uuid + "/recordings?action=trash", token, null, null).getStatus())
                .isEqualTo(204);
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        JsonNode live = ok(HttpMethod.GET, "/sandbox/zoom/v2/users/" + host + "/recordings?from=" + today.minusDays(5) + "&to=" + today, token, null);
        assertThat(live.get("meetings")).noneSatisfy(m -> assertThat(m.get("uuid").asText()).isEqualTo(first.get("uuid").asText()));
        JsonNode trash = ok(HttpMethod.GET, "/sandbox/zoom/v2/users/" + host + "/recordings?trash=true", token, null);
        assertThat(trash.get("meetings")).hasSize(1);
        assertThat(trash.at("/meetings/0/deleted_time").asText()).isEqualTo("2026-06-01T12:00:00Z");
        assertThat(send(HttpMethod.GET, "/sandbox/zoom/v2/meetings/" + uuid + "/recordings", token, null, null).getStatus()).isEqualTo(404);

        assertThat(send(HttpMethod.PUT, "/sandbox/zoom/v2/meetings/" + uuid + "/recordings/status", token, "{\"action\":\"recover\"}", null)
                .getStatus()).isEqualTo(204);
        ok(HttpMethod.GET, "/sandbox/zoom/v2/meetings/" + uuid + "/recordings", token, null);
        assertThat(send(HttpMethod.DELETE, "/sandbox/zoom/v2/meetings/" + uuid + "/recordings?action=delete", token, null, null).getStatus())
                .isEqualTo(204);
        MockHttpServletResponse gone = send(HttpMethod.GET, "/sandbox/zoom/v2/meetings/" + uuid + "/recordings", token, null, null);
        assertThat(gone.getStatus()).isEqualTo(404);
        assertThat(json(gone).get("code").asInt()).isEqualTo(3301);
        MockHttpServletResponse shred = send(HttpMethod.DELETE, "/sandbox/zoom/v2/meetings/" + uuid + "/recordings?action=shred", token, null, null);
        assertThat(shred.getStatus()).isEqualTo(400);
        assertThat(json(shred).get("message").asText()).contains("action");
    }

    @Test
    void callsPastTheMediumWindowGet429WithZoomsHeaders() throws Exception {
        String account = "sandbox-account-limit";
        String token = s2s(account);
        ok(HttpMethod.POST, setup(account) + "/limits", BASIC, "{\"category\":\"medium\",\"rateLimit\":2,\"windowSeconds\":1}");
        MockHttpServletResponse first = send(HttpMethod.GET, "/sandbox/zoom/v2/users", token, null, null);
        assertThat(first.getHeader("X-RateLimit-Category")).isEqualTo("Medium");
        assertThat(first.getHeader("X-RateLimit-Type")).isEqualTo("QPS");
        assertThat(first.getHeader("X-RateLimit-Limit")).isEqualTo("2");
        assertThat(first.getHeader("X-RateLimit-Remaining")).isEqualTo("1");
        send(HttpMethod.GET, "/sandbox/zoom/v2/users", token, null, null);
        MockHttpServletResponse refused = send(HttpMethod.GET, "/sandbox/zoom/v2/users", token, null, null);
        assertThat(refused.getStatus()).isEqualTo(429);
        assertThat(json(refused).get("code").asInt()).isEqualTo(429);
        assertThat(json(refused).get("message").asText()).startsWith("You have reached the maximum per-second rate limit");
        assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
        assertThat(refused.getHeader("X-RateLimit-Remaining")).isEqualTo("0");
        // a Light call still gets in; the next second the Medium window is open again
        assertThat(send(HttpMethod.GET, "/sandbox/zoom/v2/users/me", token, null, null).getHeader("X-RateLimit-Category")).isEqualTo("Light");
        clock.advance(Duration.ofSeconds(1));
        assertThat(send(HttpMethod.GET, "/sandbox/zoom/v2/users", token, null, null).getStatus()).isEqualTo(200);
        JsonNode limits = ok(HttpMethod.GET, setup(account) + "/limits", BASIC, null);
        assertThat(limits.get("violations").asLong()).isEqualTo(1);
        assertThat(limits.get("apiCalls").asLong()).as("refused calls count too").isEqualTo(5);
        assertThat(limits.at("/medium/rateLimit").asInt()).isEqualTo(2);
        assertThat(limits.at("/light/rateLimit").asInt()).isEqualTo(30);
    }

    @Test
    void eventsGoSignedOnceTheEndpointAnswersTheChallengeWhichComesAgainOnSchedule() throws Exception {
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        List<String> challenges = new CopyOnWriteArrayList<>();
        AtomicBoolean answerRight = new AtomicBoolean(true);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/zoom/events", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String timestamp = exchange.getRequestHeaders().getFirst("x-zm-request-timestamp");
            String signature = exchange.getRequestHeaders().getFirst("x-zm-signature");
            byte[] answer = new byte[0];
            int status = 200;
            if (!("v0=" + hmac("sandbox-webhook-secret", "v0:" + timestamp + ":" + new String(body, StandardCharsets.UTF_8))).equals(signature)) {
                status = 401;
            } else {
                JsonNode event = JSON.readTree(body);
                if (event.get("event").asText().equals("endpoint.url_validation")) {
                    String plain = event.at("/payload/plainToken").asText();
                    challenges.add(plain);
                    answer = JSON.writeValueAsBytes(Map.of("plainToken", plain, "encryptedToken",
                            answerRight.get() ? hmac("sandbox-webhook-secret", plain) : "00"));
                } else {
                    events.add(event);
                }
            }
            exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        String account = "sandbox-account-hooks";
        String token = s2s(account);
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/zoom/events";
        ok(HttpMethod.PUT, setup(account) + "/webhooks", BASIC, "{\"url\":\"" + url + "\",\"revalidateEverySeconds\":3600}");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ok(HttpMethod.GET, setup(account) + "/webhooks", BASIC, null)
                .get("validated").asBoolean());
        assertThat(challenges).hasSize(1);

        JsonNode first = ok(HttpMethod.GET, setup(account) + "/recordings", BASIC, null).get("recordings").get(0);
        send(HttpMethod.DELETE, "/sandbox/zoom/v2/meetings/" + first.get("uuid").asText().replace("+", "%2B") + "/recordings", token, null, null);
        ok(HttpMethod.POST, setup(account) + "/recordings", BASIC, "{\"topic\":\"Fresh call\"}");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 2);
        assertThat(events).extracting(e -> e.get("event").asText()).containsExactlyInAnyOrder("recording.trashed", "recording.completed");
        JsonNode trashed = events.stream().filter(e -> e.get("event").asText().equals("recording.trashed")).findFirst().orElseThrow();
        assertThat(trashed.at("/payload/object/uuid").asText()).isEqualTo(first.get("uuid").asText());
        assertThat(trashed.at("/payload/operator_id").asText()).isNotBlank();
        JsonNode completed = events.stream().filter(e -> e.get("event").asText().equals("recording.completed")).findFirst().orElseThrow();
        assertThat(completed.at("/payload/object/topic").asText()).isEqualTo("Fresh call");
        assertThat(completed.at("/payload/object/recording_files")).hasSize(3);
        assertThat(completed.get("download_token").asText()).isNotBlank();

        // an hour on, the challenge comes again; six wrong answers in a row disable the subscription
        clock.advance(Duration.ofHours(1));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> challenges.size() == 2);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ok(HttpMethod.GET, setup(account) + "/webhooks", BASIC, null)
                .get("validationsPassed").asInt() == 2);
        answerRight.set(false);
        for (int i = 1; i <= 6; i++) {
            int expected = 2 + i;
            clock.advance(Duration.ofHours(1));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ok(HttpMethod.GET, setup(account) + "/webhooks", BASIC, null)
                    .get("consecutiveValidationFailures").asInt() == expected - 2);
        }
        JsonNode status = ok(HttpMethod.GET, setup(account) + "/webhooks", BASIC, null);
        assertThat(status.get("disabled").asBoolean()).isTrue();
        ok(HttpMethod.POST, setup(account) + "/recordings", BASIC, "{}");
        Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> events.size() == 2);
    }

    private static String hmac(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
