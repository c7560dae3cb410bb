package providers.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import hub.EmbeddedHubTest;
import hub.HubClient;

/**
 * A scheme only this test source tree contributes (the {@code providers.acme} beans) is offered by the registration
 * API, checked with its own settings, verified, parsed and redacted by the receiver: no other class names it.
 */
class ContributedSchemeTest extends EmbeddedHubTest {

    private static final String SECRET = "acme-issued-secret-0123456789";
    private static final String API_KEY = "acme-api-key-that-must-not-be-logged";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Autowired
    JdbcClient jdbc;

    private HubClient hub;
    private String key;
    private String base;

    @BeforeEach
    void integration() {
        hub = hub();
        key = hub.newTenantKey(ADMIN_KEY);
        String integration = hub.connectedSalesforce(key, "acme-" + UUID.randomUUID().toString().substring(0, 8), Map.of());
        base = "/api/tenant/integrations/" + integration + "/webhooks";
    }

    @Test
    void theRegistrationApiKnowsTheSchemeAndItsSettings() {
        HubClient.Response unknown = hub.call("POST", base, key, Map.of("scheme", "carrier_pigeon", "events", List.of("*")));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.raw()).contains("acme");
        HubClient.Response noAccount = hub.call("POST", base, key, Map.of("scheme", "acme", "events", List.of("*"), "secret", SECRET));
        assertThat(noAccount.status()).isEqualTo(400);
        assertThat(noAccount.body().get("field").asText()).isEqualTo("settings.account");
        HubClient.Response noSecret = hub.call("POST", base, key, Map.of("scheme", "acme", "events", List.of("*"),
                "settings", Map.of("account", "a-1")));
        assertThat(noSecret.status()).isEqualTo(400);
        assertThat(noSecret.body().get("field").asText()).isEqualTo("secret");
    }

    @Test
    void deliveriesAreVerifiedParsedAndRedactedByTheContributedBeans() throws Exception {
        HubClient.Response created = hub.call("POST", base, key, Map.of("scheme", "acme", "events", List.of("company.*"),
                "secret", SECRET, "settings", Map.of("account", "a-1")));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        String id = created.body().get("id").asText();
        String url = created.body().get("url").asText();
        byte[] body = ("{\"object\":\"customer\",\"action\":\"changed\",\"id\":\"cus_1\",\"apiKey\":\"" + API_KEY + "\"}")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(post(url, body, hmacHex("not-the-secret-at-all", body), "a-1").statusCode()).isEqualTo(401);
        assertThat(post(url, body, hmacHex(SECRET, body), "a-2").statusCode()).isEqualTo(401);
        HttpResponse<String> accepted = post(url, body, hmacHex(SECRET, body), "a-1");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> processed(id).size() == 1);
        assertThat(processed(id).get(0).at("/events/0/type").asText()).isEqualTo("company.updated");
        String payload = jdbc.sql("""
                SELECT p.payload FROM webhook_delivery_payloads p JOIN webhook_deliveries d ON d.id = p.delivery_id
                WHERE d.registration_id = ?""").param(id).query(String.class).single();
        assertThat(payload).doesNotContain(API_KEY).contains("\"apiKey\":\"[redacted]\"", "cus_1");
    }

    private List<JsonNode> processed(String registrationId) {
        JsonNode page = hub.ok("GET", "/api/webhooks/deliveries?limit=100&status=processed&registrationId=" + registrationId, key, null);
        List<JsonNode> items = new java.util.ArrayList<>();
        page.get("items").forEach(items::add);
        return items;
    }

    private static HttpResponse<String> post(String url, byte[] body, String signature, String account) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header(AcmeVerifier.SIGNATURE, signature)
                .header(AcmeVerifier.DELIVERY, "d-" + UUID.randomUUID())
                .header(AcmeVerifier.ACCOUNT_HEADER, account)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String hmacHex(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }
}
