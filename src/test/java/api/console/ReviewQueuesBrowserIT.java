package api.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;

import hub.ChangeFeedTestAdapter;
import hub.HubClient;
import hub.TestProviderAdapter;
import processors.writeback.WriteBackSession;
import providers.webhooks.StandardWebhooks;

/**
 * The review queues in a real browser: a webhook delivery replayed from its page (followed until processed again), a
 * conflict resolved with a value typed per field (a value the API refuses shown by its field first, then the provider
 * gets the typed one), a merged source split out from the merges list onto its own shard, and a dead letter replayed by
 * the administrator (the write goes through). axe-core on each changed page.
 */
class ReviewQueuesBrowserIT extends ConsoleBrowserTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Autowired
    TestProviderAdapter items;

    @Autowired
    ChangeFeedTestAdapter feed;

    @Test
    void aWebhookDeliveryIsReplayedFromItsPageAndProcessedAgain() throws Exception {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        String integration = hub.connectedSalesforce(key, "console-wh-" + UUID.randomUUID().toString().substring(0, 8), Map.of());
        JsonNode registration = hub.ok("POST", "/api/tenant/integrations/" + integration + "/webhooks", key,
                Map.of("scheme", "standard_webhooks", "events", List.of("contact.created")));
        String delivery = sendStandardWebhook(registration, "company.deleted", "001x");
        Awaitility.await().atMost(WAIT).until(() -> status(hub, key, delivery).equals("processed"));

        signIn(key);
        browser.get(hub.baseUrl() + "/console/webhooks");
        browser.findElement(By.cssSelector("a[href='/console/webhooks/" + delivery + "/payload']")).click();
        wait(WAIT).until(d -> text("delivery-status").equals("processed"));
        assertThat(text("delivery-outcome")).contains("no event matches");
        assertAccessible("webhook");
        click(By.id("replay"));
        wait(WAIT).until(d -> d.getCurrentUrl().endsWith("?replayed=1"));
        assertThat(text("replayed")).startsWith("Replayed");
        // the page follows the delivery until it is processed again, and shows the new outcome
        wait(WAIT).until(d -> text("delivery-status").equals("processed"));
        wait(WAIT).until(d -> text("replayed").contains("processed again"));
        assertThat(text("delivery-outcome")).contains("no event matches");
        assertAccessible("webhook-replayed");
        JsonNode audit = hub.ok("GET", "/api/admin/audit?action=webhook_delivery.replay&targetId=" + delivery, ADMIN_KEY, null);
        assertThat(audit.get("items")).hasSize(1);
    }

    @Test
    void aConflictIsResolvedWithAValueTypedPerFieldAndTheProviderGetsIt() {
        WriteBackSession s = new WriteBackSession(hub(), Map.of("conflictResolution", "manual"));
        WriteBackSession.Conflicted conflicted = s.conflictOnPhone();
        String id = s.conflicts("open").get(0).get("id").asText();

        signIn(s.key);
        browser.get(hub().baseUrl() + "/console/conflicts/" + id);
        browser.findElement(By.cssSelector("#edit summary")).click();
        WebElement phone = browser.findElement(By.name("values.phone"));
        assertThat(phone.getAttribute("value")).as("starts from ours").isEqualTo("ours");
        assertAccessible("conflict-edit");
        // longer than Salesforce's Phone takes: the API's 400, shown by the field, with what was typed
        String tooLong = "+1 555 0100 extension 1234567890 1234567890";
        phone.clear();
        phone.sendKeys(tooLong);
        click(By.id("save-edit"));
        wait(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("values.phone-error")));
        assertThat(text("values.phone-error")).contains("longer than 40 characters");
        phone = browser.findElement(By.name("values.phone"));
        assertThat(phone.getAttribute("value")).isEqualTo(tooLong);
        assertThat(phone.getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(phone.getAttribute("aria-describedby")).isEqualTo("values.phone-error");
        assertThat(text("conflict-status")).isEqualTo("open");
        assertAccessible("conflict-edit-refused");

        phone.clear();
        phone.sendKeys("+1 555 0142");
        click(By.id("save-edit"));
        wait(WAIT).until(d -> text("conflict-status").equals("resolved"));
        assertThat(s.conflicts("open")).isEmpty();
        s.awaitWritesFinished(conflicted.shardId());
        Awaitility.await().atMost(WAIT).until(() -> s.record(conflicted.recordId()).get("Phone").asText().equals("+1 555 0142"));
        assertThat(hub().ok("GET", "/api/tenant/shards/" + conflicted.shardId(), s.key, null).at("/structuredData/phone").asText())
                .isEqualTo("+1 555 0142");
        browser.get(hub().baseUrl() + "/console/conflicts/" + id + "?edit=theirs");
        assertFitsAPhone("conflict-edit");
    }

    @Test
    void aMergedSourceIsUnmergedFromTheMergesAndItsOwnShardShown() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        String itemsIntegration = hub.connectedTestProvider(tenant.key(), "items");
        String feedIntegration = hub.ok("POST", "/api/tenant/integrations", tenant.key(),
                Map.of("providerId", ChangeFeedTestAdapter.PROVIDER_ID, "name", "feed")).get("id").asText();
        hub.ok("POST", "/api/tenant/integrations/" + feedIntegration + "/connect/api-key", tenant.key(),
                Map.of("credentials", Map.of("name", "feed")));
        String tailspin = items.seedItem(tenant.id(), "Tailspin Toys Inc", "+1 720 555 0177");
        sync(hub, tenant.key(), itemsIntegration);
        String entry = feed.put(tenant.id(), null, "Tailspin Toys", "(720) 555-0177");
        assertThat(sync(hub, tenant.key(), feedIntegration).get("recordsMerged").asLong()).isEqualTo(1);
        JsonNode merge = hub.ok("GET", "/api/tenant/matches?status=applied", tenant.key(), null).get("items").get(0);
        assertThat(merge.get("kind").asText()).isEqualTo("merge");
        String merged = merge.get("shardId").asText();

        signIn(tenant.key());
        browser.get(hub.baseUrl() + "/console/matches");
        browser.findElement(By.linkText("applied")).click();
        wait(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("match-" + merge.get("id").asText())));
        assertAccessible("matches-applied");
        click(By.id("unmerge-" + merge.get("id").asText()));
        wait(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("unmerged")));
        assertThat(browser.findElement(By.tagName("h1")).getText()).doesNotContain(merged);
        assertThat(browser.findElement(By.id("shard-sources")).getText()).contains(entry).doesNotContain(tailspin).contains("its only source");
        assertThat(browser.findElement(By.id("shard-values")).getText()).contains("(720) 555-0177");
        assertAccessible("shard");

        // the shard it left keeps its other source; the decisions say what happened
        browser.findElement(By.cssSelector("#unmerged a")).click();
        wait(WAIT).until(d -> text("shard-sources").contains(tailspin));
        assertThat(text("shard-sources")).doesNotContain(entry);
        assertThat(text("shard-decisions")).contains("unmerge").contains("undone");
        assertFitsAPhone("shard");
        JsonNode kept = hub.ok("GET", "/api/tenant/shards/" + merged, tenant.key(), null);
        assertThat(kept.get("externalRelationships")).hasSize(1);
    }

    @Test
    void theAdministratorReplaysADeadLetterAndTheWriteGoesThrough() {
        WriteBackSession s = new WriteBackSession(hub(), Map.of("writeBack", Map.of("retry", Map.of("maxAttempts", 2, "backoffMs", 50))));
        String recordId = s.accounts(1).get(0).get("Id").asText();
        String shardId = s.shardOf(recordId).get("id").asText();
        // beyond the range of Salesforce's NumberOfEmployees: the write fails for good and is dead-lettered
        s.patch(shardId, Map.of("employees", 3_000_000_000L));
        s.awaitWritesFinished(shardId);
        JsonNode[] letter = new JsonNode[1];
        Awaitility.await().atMost(WAIT).until(() -> {
            for (JsonNode d : hub().ok("GET", "/api/admin/deadletters?limit=500", ADMIN_KEY, null).get("items")) {
                if (d.get("body").asText().contains(shardId)) {
                    letter[0] = d;
                    return true;
                }
            }
            return false;
        });
        String id = letter[0].get("id").asText();
        // fixed in Castiel, then the letter replayed from the console
        s.patch(shardId, Map.of("employees", 250, "phone", "+1 555 0177"));
        s.awaitWritesFinished(shardId);

        // the administrator, no tenant picked: every tenant's dead letters, newest first
        signIn(ADMIN_KEY);
        browser.get(hub().baseUrl() + "/console/deadletters");
        wait(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("deadletter-" + id)));
        assertThat(browser.findElement(By.cssSelector("#deadletter-" + id + " .replayed-at")).getText()).isEqualTo("—");
        assertAccessible("deadletters");
        click(By.id("replay-" + id));
        wait(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("replayed")));
        assertThat(text("replayed")).contains(id);
        assertThat(browser.findElement(By.cssSelector("#deadletter-" + id + " .replayed-at")).getText()).isNotEqualTo("—");
        assertAccessible("deadletters-replayed");
        Awaitility.await().atMost(WAIT).until(() -> s.writes(shardId).get(0).get("status").asText().equals("done"));
        assertThat(s.record(recordId).get("NumberOfEmployees").asInt()).isEqualTo(250);
        assertThat(s.record(recordId).get("Phone").asText()).isEqualTo("+1 555 0177");
    }

    private static JsonNode sync(HubClient hub, String key, String integration) {
        JsonNode run = hub.runAndWait(key, integration, hub.task(key, integration, "Item", "incremental"), WAIT);
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("completed");
        return run;
    }

    private static String status(HubClient hub, String key, String delivery) {
        return hub.ok("GET", "/api/webhooks/deliveries/" + delivery, key, null).get("status").asText();
    }

    /** A Standard Webhooks delivery signed with the registration's secret, as a provider sends it; returns the delivery's id. */
    private static String sendStandardWebhook(JsonNode registration, String type, String recordId) throws Exception {
        byte[] body = ("{\"type\":\"" + type + "\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"data\":{\"id\":\"" + recordId + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        String webhookId = "msg_" + UUID.randomUUID();
        long timestamp = System.currentTimeMillis() / 1000;
        HttpResponse<String> reply = HTTP.send(HttpRequest.newBuilder(URI.create(registration.get("url").asText()))
                .header("Content-Type", "application/json").header("webhook-id", webhookId)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", StandardWebhooks.sign(registration.get("secret").asText(), webhookId, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(202);
        return HubClient.JSON.readTree(reply.body()).get("deliveryId").asText();
    }
}
