package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import hub.EmbeddedHubTest;
import hub.HubClient;
import processors.webhooks.WebhookRenewal;
import store.WebhookRegistrationStore;

/**
 * Google Drive push end to end: the hub opens a changes.watch channel on the sandbox (its token the registration's
 * secret), the sandbox notifies the receiver of a change, the receiver's channel-token check passes, and the incremental
 * sync it starts updates the document's shard; a renewal stops the channel and opens a new one that is heard too; a
 * notification with a wrong token is refused.
 */
class GoogleDrivePushTest extends EmbeddedHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Autowired
    WebhookRenewal renewal;
    @Autowired
    WebhookRegistrationStore registrations;

    @Test
    void aChangeInDriveReachesTheShardThroughTheWatchChannelAndTheRenewedChannelToo() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        GoogleDriveDomain domain = new GoogleDriveDomain(hub, "push");
        String integration = domain.connect(key, Map.of());
        String customers = domain.folder("Customers");
        assertThat(domain.select(key, integration, List.of(customers)).status()).isEqualTo(200);
        int files = domain.filesIn(List.of(customers)).size();
        JsonNode full = hub.runAndWait(key, integration, hub.task(key, integration, "files", "full"), TIMEOUT);
        assertThat(full.get("recordsCreated").asLong()).as(full.toString()).isEqualTo(files);

        JsonNode registration = hub.ok("POST", "/api/tenant/integrations/" + integration + "/webhooks", key,
                Map.of("scheme", "google_drive", "events", List.of("document.*")));
        assertThat(registration.get("providerRegistration").asText()).as(registration.toString()).isEqualTo("registered");
        String channel = registration.get("providerWebhookId").asText().split(" ")[0];
        assertThat(channel).startsWith("hub-" + registration.get("id").asText() + "-");
        assertThat(OffsetDateTime.parse(registration.get("expiresAt").asText())).isAfter(OffsetDateTime.now().plusHours(20));
        JsonNode channels = domain.setup("GET", "channels", null).get("channels");
        assertThat(channels).hasSize(1);
        assertThat(channels.get(0).get("address").asText()).isEqualTo(registration.get("url").asText());

        String doc = domain.filesIn(List.of(customers)).stream().filter(f -> f.get("mimeType").asText().endsWith(".document"))
                .findFirst().orElseThrow().get("id").asText();
        long pushed = System.nanoTime();
        domain.setup("PATCH", "files/" + doc, Map.of("text", "Pushed: Acme signed the renewal."));
        awaitText(hub, key, doc, "Pushed: Acme signed the renewal.");
        System.out.printf("Google Drive push -> shard: %d ms%n", (System.nanoTime() - pushed) / 1_000_000);

        String deliveries = "/api/webhooks/deliveries?registrationId=" + registration.get("id").asText();
        JsonNode items = hub.ok("GET", deliveries, key, null).get("items");
        assertThat(items).isNotEmpty().allSatisfy(d -> assertThat(d.get("verification").asText()).isIn("verified", "handshake"));

        // renewal: the channel is stopped and a new one watches from now on
        assertThat(renewal.renew(registrations.findById(registration.get("id").asText()).orElseThrow())).isTrue();
        JsonNode renewed = hub.ok("GET", "/api/tenant/integrations/" + integration + "/webhooks/" + registration.get("id").asText(), key, null);
        String newChannel = renewed.get("providerWebhookId").asText().split(" ")[0];
        assertThat(newChannel).isNotEqualTo(channel).startsWith("hub-" + registration.get("id").asText() + "-");
        channels = domain.setup("GET", "channels", null).get("channels");
        assertThat(channels).hasSize(1);
        assertThat(channels.get(0).get("id").asText()).isEqualTo(newChannel);
        domain.setup("PATCH", "files/" + doc, Map.of("text", "Pushed again through the renewed channel."));
        awaitText(hub, key, doc, "Pushed again through the renewed channel.");

        // a notification with another token is refused and starts nothing
        HubClient.Response forged = forged(registration.get("url").asText(), newChannel);
        assertThat(forged.status()).isEqualTo(401);
    }

    private static HubClient.Response forged(String url, String channel) {
        try {
            java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).header("X-Goog-Channel-ID", channel)
                            .header("X-Goog-Channel-Token", "not-the-secret-of-this-registration").header("X-Goog-Resource-State", "change")
                            .header("X-Goog-Message-Number", "99").POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return new HubClient.Response(response.statusCode(), null, response.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void awaitText(HubClient hub, String key, String fileId, String text) {
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode listed = SalesforceSyncScenario.byExternalId(hub.allShards(key, "c_document")).get(fileId);
            return listed != null && text.equals(hub.ok("GET", "/api/tenant/shards/" + listed.get("id").asText(), key, null)
                    .at("/structuredData/text").asText());
        });
    }
}
