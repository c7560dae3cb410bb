package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
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
import sandbox.kit.SandboxTlsPort;
import store.Timestamps;
import store.WebhookRegistration;
import store.WebhookRegistrationStore;

/**
 * OneDrive end to end on H2 ({@link OneDriveSyncScenario}), and what needs no second store: the subscriptions kept alive
 * (renewed by the sweep before they expire, at once on {@code reauthorizationRequired}, re-created with a catch-up pass on
 * {@code subscriptionRemoved}), tokens taken again when Graph stops accepting them, Graph's 429 waited out as its
 * Retry-After says, and the bad input a user can give.
 */
class OneDriveSyncTest extends EmbeddedHubTest implements OneDriveSyncScenario {

    @Autowired
    SandboxTlsPort sandboxTls;
    @Autowired
    WebhookRenewal renewal;
    @Autowired
    WebhookRegistrationStore registrations;

    @Override
    public int tlsPort() {
        return sandboxTls.localPort();
    }

    @Test
    void subscriptionsAreRenewedBeforeTheyExpireAndOnGraphsLifecycleEvents() {
        OneDriveSyncScenario.Session s = OneDriveSyncScenario.session(hub(), tlsPort(), 2);
        OneDriveSandboxDrive drive = s.drive();
        OneDriveSyncScenario.assertCompleted(s.sync("full"));
        JsonNode registered = s.hub().ok("POST", "/api/tenant/integrations/" + s.integration() + "/webhooks", s.key(),
                Map.of("scheme", "microsoft_graph", "events", List.of("document.*")));
        String id = registered.get("id").asText();
        String subscription = drive.subscriptions().get(0).get("id").asText();
        Instant expiry = Instant.parse(drive.subscriptions().get(0).get("expirationDateTime").asText());

        // the sweep finds it about to expire (as a short-lived one would be): extended, the same subscription
        WebhookRegistration before = registrations.findById(id).orElseThrow();
        registrations.renewed(id, before.providerWebhookId(), Timestamps.now().plusMinutes(1), "about to expire");
        assertThat(renewal.renewExpiring()).isPositive();
        WebhookRegistration swept = registrations.findById(id).orElseThrow();
        assertThat(swept.providerWebhookId()).isEqualTo(subscription);
        assertThat(swept.expiresAt()).isAfter(OffsetDateTime.now().plusHours(1));
        assertThat(drive.subscriptions()).singleElement().satisfies(sub -> {
            assertThat(sub.get("id").asText()).isEqualTo(subscription);
            assertThat(Instant.parse(sub.get("expirationDateTime").asText())).isAfterOrEqualTo(expiry);
        });

        // Graph asks for reauthorization: renewed at once, through the receiver
        OffsetDateTime renewedAt = swept.lastRenewedAt();
        drive.setup("POST", "/subscriptions/" + subscription + "/lifecycle", Map.of("lifecycleEvent", "reauthorizationRequired"));
        Awaitility.await().atMost(TIMEOUT).until(() -> registrations.findById(id).orElseThrow().lastRenewedAt().isAfter(renewedAt));
        assertThat(drive.subscriptions()).extracting(sub -> sub.get("id").asText()).containsExactly(subscription);

        // Graph removes it: a new one is made, and a catch-up pass reads what went unnotified meanwhile
        drive.setup("POST", "/subscriptions/" + subscription + "/lifecycle", Map.of("lifecycleEvent", "subscriptionRemoved"));
        JsonNode unnotified = drive.addFile("While unsubscribed.txt", "No notification came for this one.");
        Awaitility.await().atMost(TIMEOUT).until(() -> !drive.subscriptions().isEmpty()
                && !drive.subscriptions().get(0).get("id").asText().equals(subscription));
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> s.documents().containsKey(unnotified.get("id").asText()));
        WebhookRegistration recreated = registrations.findById(id).orElseThrow();
        assertThat(recreated.providerWebhookId()).isEqualTo(drive.subscriptions().get(0).get("id").asText());
        JsonNode deliveries = s.hub().ok("GET", "/api/webhooks/deliveries?registrationId=" + id, s.key(), null);
        assertThat(deliveries.toString()).contains("catch-up sync queued");

        // a notification with another clientState is refused
        String url = drive.subscriptions().get(0).get("notificationUrl").asText();
        String forged = "{\"value\":[{\"subscriptionId\":\"" + recreated.providerWebhookId() + "\",\"clientState\":\"not-ours\","
                + "\"changeType\":\"updated\",\"resource\":\"drives/" + drive.id() + "/root\",\"tenantId\":\"t\"}]}";
        assertThat(post(url.replaceFirst("^https://localhost:\\d+", s.hub().baseUrl()), forged)).isEqualTo(401);

        // the registration deleted: Graph is told to stop sending
        assertThat(s.hub().call("DELETE", "/api/tenant/integrations/" + s.integration() + "/webhooks/" + id, s.key(), null).status())
                .isEqualTo(204);
        assertThat(drive.subscriptions()).isEmpty();
    }

    @Test
    void anExpiredTokenIsTakenAgain() {
        OneDriveSyncScenario.Session s = OneDriveSyncScenario.session(hub(), tlsPort(), 5);
        OneDriveSandboxDrive drive = s.drive();
        OneDriveSyncScenario.assertCompleted(s.sync("full"));

        // every token Graph has seen stops working: the hub takes a new one and goes on
        drive.setup("POST", "/access-tokens/expire", null);
        drive.addFile("After the token expired.txt", "Still synced.");
        JsonNode again = s.sync("incremental");
        OneDriveSyncScenario.assertCompleted(again);
        assertThat(again.get("recordsCreated").asLong()).as(again.toString()).isEqualTo(1);
    }

    @Test
    void anAuthorizationCodeConnectionReadsTheDriveFromItsCloudsGraphAndRefreshesItsToken() {
        String key = hub().newTenantKey(ADMIN_KEY);
        OneDriveSandboxDrive drive = new OneDriveSandboxDrive(hub(), tlsPort(), "delegated", 4);
        String integration = hub().ok("POST", "/api/tenant/integrations", key, Map.of("providerId", "onedrive", "name", "delegated",
                "sources", Map.of("documents", List.of(drive.id())))).get("id").asText();
        JsonNode start = hub().ok("POST", "/api/tenant/integrations/" + integration + "/connect/oauth", key, Map.of(
                "clientId", "sandbox-client", "clientSecret", "sandbox-secret",
                "loginUrl", hub().baseUrl() + "/sandbox/entra/" + OneDriveSandboxDrive.TENANT,
                "scope", "https://graph.microsoft.com/Files.Read.All offline_access"));
        HubClient.Response callback = hub().call("GET", HubClient.authorizationRedirect(start.get("authorizationUrl").asText()), null, null);
        assertThat(callback.status()).as(callback.raw()).isEqualTo(200);
        assertThat(callback.body().get("status").asText()).as(callback.raw()).isEqualTo("connected");

        OneDriveSyncScenario.Session s = new OneDriveSyncScenario.Session(hub(), key, drive, integration);
        JsonNode first = s.sync("full");
        OneDriveSyncScenario.assertCompleted(first);
        assertThat(first.get("recordsCreated").asLong()).as(first.toString()).isEqualTo(4);

        // Graph stops taking the delegated token: refreshed once through Entra, and the pass goes on
        drive.setup("POST", "/access-tokens/expire", null);
        drive.addFile("After the refresh.txt", "Read with a refreshed token.");
        JsonNode again = s.sync("incremental");
        OneDriveSyncScenario.assertCompleted(again);
        assertThat(again.get("recordsCreated").asLong()).as(again.toString()).isEqualTo(1);
    }

    @Test
    void graphs429IsWaitedOutAsItsRetryAfterSays() {
        // 450 files: three delta pages of 200; Graph allows one call in two seconds, so the second and third are refused
        // first (429, Retry-After) and the pass goes on after the wait
        OneDriveSyncScenario.Session s = OneDriveSyncScenario.session(hub(), tlsPort(), 450);
        OneDriveSandboxDrive drive = s.drive();
        try {
            drive.setup("POST", "/limits", Map.of("rateLimit", 1, "windowSeconds", 2));
            long violations = drive.setup("GET", "/limits", null).get("violations").asLong();
            JsonNode throttled = s.sync("full");
            OneDriveSyncScenario.assertCompleted(throttled);
            assertThat(throttled.get("recordsCreated").asLong()).as(throttled.toString()).isEqualTo(450);
            assertThat(drive.setup("GET", "/limits", null).get("violations").asLong()).as("Graph refused calls").isGreaterThan(violations);
        } finally {
            drive.setup("POST", "/limits", Map.of("rateLimit", 0, "windowSeconds", 10));
        }
    }

    @Test
    void withoutASelectionEveryDriveGraphListsIsRead() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        OneDriveSandboxDrive drive = new OneDriveSandboxDrive(hub, tlsPort(), "all", 2);
        String integration = drive.connect(key, Map.of("sources", Map.of()));
        int files = 0;
        for (JsonNode listed : drive.graph("GET", "/drives").get("value")) {
            files += drive.files(listed.get("id").asText()).size();
        }
        assertThat(files).as("the sandbox's seeded drive and this one at least").isGreaterThan(2);
        JsonNode full = hub.runAndWait(key, integration, hub.task(key, integration, "documents", "full"), TIMEOUT);
        OneDriveSyncScenario.assertCompleted(full);
        assertThat(full.get("recordsProcessed").asLong()).as(full.toString()).isEqualTo(files);
        assertThat(hub.allShards(key, "c_document")).filteredOn(d -> d.at("/externalRelationships/0/externalId").asText()
                .startsWith(drive.id() + "/")).hasSize(2);
    }

    @Test
    void anUnknownDriveIsRefusedWhenSavedAndFailsTheExecutionNamingIt() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        OneDriveSandboxDrive drive = new OneDriveSandboxDrive(hub, tlsPort(), "unknown", 2);
        String integration = drive.connect(key, Map.of("sources", Map.of("documents", List.of("b!no-such-drive"))));
        JsonNode failed = hub.runAndWait(key, integration, hub.task(key, integration, "documents", "full"), TIMEOUT);
        assertThat(failed.get("status").asText()).as(failed.toString()).isEqualTo("failed");
        assertThat(failed.toString()).contains("unknown drive 'b!no-such-drive'").contains("sources (documents)");

        HubClient.Response refused = hub.call("PATCH", "/api/tenant/integrations/" + integration, key,
                Map.of("sources", Map.of("documents", List.of(drive.id(), "b!no-such-drive"))));
        assertThat(refused.status()).as(refused.raw()).isEqualTo(400);
        assertThat(refused.raw()).contains("sources.documents").contains("unknown drive 'b!no-such-drive'");
    }

    @Test
    void aWrongSecretIsEntrasRefusalWithoutTheSecretAndInternalUrlsAreRefusedNamingTheField() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        OneDriveSandboxDrive drive = new OneDriveSandboxDrive(hub, tlsPort(), "creds", 1);
        String integration = hub.ok("POST", "/api/tenant/integrations", key, Map.of("providerId", "onedrive", "name", "creds"))
                .get("id").asText();
        String path = "/api/tenant/integrations/" + integration + "/connect/api-key";
        Map<String, Object> wrong = new java.util.HashMap<>(drive.credentials());
        wrong.put("clientSecret", "Wr0ng-S3cret!");
        JsonNode refused = hub.ok("POST", path, key, Map.of("type", "oauth2_entra_client_credentials", "credentials", wrong));
        assertThat(refused.get("ok").asBoolean()).isFalse();
        assertThat(refused.toString()).contains("invalid_client").doesNotContain("Wr0ng-S3cret!");

        for (String field : List.of("authority", "graphUrl")) {
            Map<String, Object> internal = new java.util.HashMap<>(drive.credentials());
            internal.put(field, "https://169.254.169.254/latest");
            HubClient.Response r = hub.call("POST", path, key, Map.of("type", "oauth2_entra_client_credentials", "credentials", internal));
            assertThat(r.status()).as(r.raw()).isEqualTo(400);
            assertThat(r.body().get("field").asText()).isEqualTo("credentials." + field);
        }
    }

    private static int post(String url, String body) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                    .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
