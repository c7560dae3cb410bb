package processors.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.TestProviderAdapter;

/** Provider subscriptions that expire are registered with the provider and renewed before they lapse, or when it asks. */
class WebhookRenewalTest extends EmbeddedHubTest {

    @Autowired
    WebhookRenewal renewal;
    @Autowired
    TestProviderAdapter provider;
    @Autowired
    CamelContext camel;

    private HubClient hub;
    private String key;

    @BeforeEach
    void tenant() {
        hub = hub();
        key = hub.newTenantKey(ADMIN_KEY);
    }

    @Test
    void aSubscriptionExpiringSoonIsRenewedAndOneFarFromExpiryIsLeftAlone() {
        JsonNode soon = register(integration(Map.of("ttlMinutes", "30")));
        JsonNode later = register(integration(Map.of("ttlMinutes", String.valueOf(72 * 60))));
        assertThat(soon.get("providerRegistration").asText()).isEqualTo("registered");
        String soonSub = soon.get("providerWebhookId").asText();
        OffsetDateTime firstExpiry = OffsetDateTime.parse(soon.get("expiresAt").asText());
        assertThat(firstExpiry).isBetween(OffsetDateTime.now().plusMinutes(25), OffsetDateTime.now().plusMinutes(31));
        // the provider was given the receiver URL and the secret the hub generated
        assertThat(provider.subscriptions().get(soonSub).callbackUrl()).isEqualTo(soon.get("url").asText());
        assertThat(provider.subscriptions().get(soonSub).secret()).isEqualTo(soon.get("secret").asText());

        renewal.renewExpiring();

        // (the scheduled sweep may have renewed it too)
        assertThat(provider.subscriptions().get(soonSub).renewals()).isGreaterThanOrEqualTo(1);
        OffsetDateTime renewedExpiry = OffsetDateTime.parse(registration(soon).get("expiresAt").asText());
        assertThat(renewedExpiry).isAfter(firstExpiry);
        assertThat(provider.subscriptions().get(later.get("providerWebhookId").asText()).renewals()).isZero();
        assertThat(camel.getRoute("webhook-renewal")).as("the scheduled renewal route").isNotNull();
    }

    @Test
    void aFailedRenewalIsNotedOnTheRegistrationAndTriedAgain() {
        JsonNode registration = register(integration(Map.of("ttlMinutes", "10", "renewal", "fail")));
        renewal.renewExpiring();
        JsonNode after = registration(registration);
        assertThat(after.get("lastFailureReason").asText()).startsWith("renewal failed: ").contains("503");
        assertThat(after.get("status").asText()).as("deliveries still verify; only the renewal failed").isEqualTo("active");
        assertThat(after.get("expiresAt").asText()).isEqualTo(registration.get("expiresAt").asText());
    }

    @Test
    void aLifecycleEventAskingForReauthorizationRenewsAtOnce() {
        JsonNode registration = register(integration(Map.of("ttlMinutes", String.valueOf(72 * 60))));
        String sub = registration.get("providerWebhookId").asText();
        byte[] body = ("{\"value\":[{\"subscriptionId\":\"" + sub + "\",\"lifecycleEvent\":\"reauthorizationRequired\","
                + "\"clientState\":\"" + registration.get("secret").asText() + "\"}]}").getBytes(StandardCharsets.UTF_8);
        WebhookTestSupport.Reply reply = WebhookTestSupport.post(registration.get("url").asText(), "application/json", body, Map.of());
        assertThat(reply.status()).isEqualTo(202);

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> provider.subscriptions().get(sub).renewals() == 1);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> hub.ok("GET",
                "/api/webhooks/deliveries?registrationId=" + registration.get("id").asText() + "&status=processed", key, null)
                .get("items").size() == 1);
        JsonNode delivery = hub.ok("GET", "/api/webhooks/deliveries?registrationId=" + registration.get("id").asText(), key, null)
                .get("items").get(0);
        assertThat(delivery.get("outcome").asText()).contains("renewed");
    }

    @Test
    void aSubscriptionTheProviderDroppedIsReCreatedAtTheSweepAndACatchUpSyncIsQueuedAndRecorded() {
        String integration = integration(Map.of("ttlMinutes", "20"));
        JsonNode registration = register(integration);
        String dropped = registration.get("providerWebhookId").asText();
        provider.subscriptions().remove(dropped);

        renewal.renewExpiring();

        JsonNode after = registration(registration);
        String recreated = after.get("providerWebhookId").asText();
        assertThat(recreated).isNotEqualTo(dropped);
        assertThat(provider.subscriptions().get(recreated).callbackUrl()).isEqualTo(registration.get("url").asText());
        assertThat(after.get("lastRenewal").asText()).startsWith("re-created (the provider no longer had it)")
                .contains("catch-up sync queued: ");
        assertThat(after.get("lastRenewedAt").asText()).isNotBlank();
        assertThat(catchUpExecutions(integration, after.get("lastRenewal").asText())).isNotEmpty();
    }

    @Test
    void aSubscriptionRemovedLifecycleEventReCreatesItAndQueuesACatchUpSyncAndMissedOnlyTheSync() {
        String integration = integration(Map.of("ttlMinutes", String.valueOf(72 * 60)));
        JsonNode registration = register(integration);
        String sub = registration.get("providerWebhookId").asText();
        provider.subscriptions().remove(sub);
        assertThat(lifecycle(registration, sub, "subscriptionRemoved").status()).isEqualTo(202);
        JsonNode removed = processedDelivery(registration, 1);
        assertThat(removed.get("outcome").asText()).startsWith("the provider removed the subscription: re-created")
                .contains("catch-up sync queued: ");
        assertThat(catchUpExecutions(integration, removed.get("outcome").asText())).isNotEmpty();
        JsonNode after = registration(registration);
        assertThat(after.get("providerWebhookId").asText()).isNotEqualTo(sub);

        String current = after.get("providerWebhookId").asText();
        assertThat(lifecycle(registration, current, "missed").status()).isEqualTo(202);
        JsonNode missed = processedDelivery(registration, 2);
        assertThat(missed.get("outcome").asText()).startsWith("the provider missed notifications: catch-up sync queued: ");
        assertThat(provider.subscriptions().get(current).renewals()).as("missed notifications need no renewal").isZero();
    }

    /** A Graph lifecycle notification for the subscription, with the registration's clientState. */
    private static WebhookTestSupport.Reply lifecycle(JsonNode registration, String subscriptionId, String event) {
        byte[] body = ("{\"value\":[{\"subscriptionId\":\"" + subscriptionId + "\",\"lifecycleEvent\":\"" + event + "\","
                + "\"clientState\":\"" + registration.get("secret").asText() + "\"}]}").getBytes(StandardCharsets.UTF_8);
        return WebhookTestSupport.post(registration.get("url").asText(), "application/json", body, Map.of());
    }

    /** The newest processed delivery of the registration, once {@code count} are processed. */
    private JsonNode processedDelivery(JsonNode registration, int count) {
        String path = "/api/webhooks/deliveries?registrationId=" + registration.get("id").asText() + "&status=processed";
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> hub.ok("GET", path, key, null).get("items").size() == count);
        return hub.ok("GET", path, key, null).get("items").get(0);
    }

    /** The executions a renewal's words name, each an incremental webhook-triggered run of this integration. */
    private List<JsonNode> catchUpExecutions(String integration, String words) {
        List<JsonNode> named = new java.util.ArrayList<>();
        hub.ok("GET", "/api/tenant/integrations/" + integration + "/executions?limit=100", key, null).get("items").forEach(e -> {
            if (words.contains("execution " + e.get("id").asText())) {
                assertThat(e.get("trigger").asText()).isEqualTo("webhook");
                assertThat(e.get("mode").asText()).isEqualTo("incremental");
                named.add(e);
            }
        });
        return named;
    }

    private String integration(Map<String, Object> credentials) {
        String id = hub.ok("POST", "/api/tenant/integrations", key, Map.of("providerId", TestProviderAdapter.PROVIDER_ID,
                "name", "subs-" + UUID.randomUUID().toString().substring(0, 8))).get("id").asText();
        assertThat(hub.ok("POST", "/api/tenant/integrations/" + id + "/connect/api-key", key, Map.of("credentials", credentials))
                .get("ok").asBoolean()).isTrue();
        return id;
    }

    private JsonNode register(String integration) {
        return hub.ok("POST", "/api/tenant/integrations/" + integration + "/webhooks", key,
                Map.of("scheme", "microsoft_graph", "events", List.of("*")));
    }

    private JsonNode registration(JsonNode created) {
        return hub.ok("GET", "/api/tenant/integrations/" + created.get("integrationId").asText() + "/webhooks/" + created.get("id").asText(),
                key, null);
    }
}
