package sandbox.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import hub.MutableClock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import sandbox.entra.EntraTokenController;
import sandbox.entra.EntraTokens;
import sandbox.kit.SandboxCertificate;

/**
 * The Graph and Entra sandboxes' controllers on MockMvc (no application context) with a hand-moved clock, and an https
 * listener on 127.0.0.1 (the sandbox certificate made in a temporary directory) standing in for the hub's receiver:
 * it answers validation handshakes with the decoded token (or a wrong body, when told) and records notifications.
 */
final class GraphSandboxFixture implements AutoCloseable {

    static final String API = "/sandbox/graph/v1.0";
    static final String SETUP = "/sandbox/graph/setup";
    static final ObjectMapper JSON = new ObjectMapper();

    /** A request the listener got: its path, query (decoded validation token) and body. */
    record Received(String path, String validationToken, JsonNode body) {
    }

    final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T12:00:00Z"));
    final GraphSandbox sandbox;
    final MockMvc mvc;
    final HttpsServer listener;
    final List<Received> received = new CopyOnWriteArrayList<>();
    volatile boolean answerHandshakesWrongly;

    GraphSandboxFixture(Path certificateDir, GraphSandboxProperties properties) throws IOException {
        SandboxCertificate certificate = SandboxCertificate.loadOrCreate(certificateDir);
        listener = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        listener.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
        listener.createContext("/", this::receive);
        listener.start();
        int port = listener.getAddress().getPort();
        sandbox = new GraphSandbox(properties, new sandbox.kit.Population(), clock, certificate.trustingContext(), () -> port);
        EntraTokens entra = new EntraTokens(Duration.ofHours(1), clock);
        mvc = MockMvcBuilders.standaloneSetup(new GraphApiController(sandbox, entra), new GraphSetupController(sandbox, entra),
                new EntraTokenController(entra)).build();
    }

    private void receive(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        String token = null;
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("validationToken=")) {
                    token = URLDecoder.decode(pair.substring("validationToken=".length()), StandardCharsets.UTF_8);
                }
            }
        }
        byte[] raw = exchange.getRequestBody().readAllBytes();
        received.add(new Received(exchange.getRequestURI().getPath(), token, raw.length == 0 ? null : JSON.readTree(raw)));
        if (token != null) {
            byte[] body = (answerHandshakesWrongly ? "not the token" : token).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        } else {
            exchange.sendResponseHeaders(202, -1);
        }
        exchange.close();
    }

    /** The listener's https URL for a path. */
    String url(String path) {
        return "https://127.0.0.1:" + listener.getAddress().getPort() + path;
    }

    /** Notifications (not handshakes) the listener got at a path, item by item. */
    List<JsonNode> notifications(String path) {
        return received.stream().filter(r -> r.path().equals(path) && r.validationToken() == null && r.body() != null)
                .flatMap(r -> {
                    List<JsonNode> items = new java.util.ArrayList<>();
                    r.body().get("value").forEach(items::add);
                    return items.stream();
                }).toList();
    }

    /** A Graph app-only token from the Entra sandbox (client credentials). */
    String token() throws Exception {
        return token("https://graph.microsoft.com/.default");
    }

    String token(String scope) throws Exception {
        MockHttpServletResponse response = mvc.perform(MockMvcRequestBuilders.post("/sandbox/entra/sandbox-tenant/oauth2/v2.0/token")
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .param("grant_type", "client_credentials").param("client_id", "sandbox-client")
                .param("client_secret", "sandbox-secret").param("scope", scope)).andReturn().getResponse();
        return JSON.readTree(response.getContentAsString()).get("access_token").asText();
    }

    MockHttpServletResponse call(HttpMethod method, String pathOrUrl, String token, Object body) throws Exception {
        URI uri = URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : "http://localhost" + pathOrUrl);
        MockHttpServletRequestBuilder request = MockMvcRequestBuilders.request(method, uri);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON)
                    .content(body instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(body));
        }
        return mvc.perform(request).andReturn().getResponse();
    }

    /** The JSON of a call that must answer {@code status}. */
    JsonNode expect(int status, HttpMethod method, String pathOrUrl, String token, Object body) throws Exception {
        MockHttpServletResponse response = call(method, pathOrUrl, token, body);
        String text = response.getContentAsString(StandardCharsets.UTF_8);
        if (response.getStatus() != status) {
            throw new AssertionError(method + " " + pathOrUrl + ": expected " + status + ", got " + response.getStatus() + " " + text);
        }
        return text.isEmpty() ? null : JSON.readTree(text);
    }

    JsonNode get(String pathOrUrl, String token) throws Exception {
        return expect(200, HttpMethod.GET, pathOrUrl, token, null);
    }

    JsonNode setup(HttpMethod method, String path, String token, Object body, int status) throws Exception {
        return expect(status, method, SETUP + path, token, body);
    }

    static Map<String, Object> subscriptionRequest(String resource, String notificationUrl, String lifecycleUrl, Instant expiry,
            String changeType) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("changeType", changeType);
        body.put("notificationUrl", notificationUrl);
        if (lifecycleUrl != null) {
            body.put("lifecycleNotificationUrl", lifecycleUrl);
        }
        body.put("resource", resource);
        body.put("expirationDateTime", expiry.toString());
        body.put("clientState", "secretClientValue");
        return body;
    }

    @Override
    public void close() {
        sandbox.shutdown();
        listener.stop(0);
    }
}
