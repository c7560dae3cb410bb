package api.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import hub.HubClient;
import store.EventStore;

/**
 * The notification and outgoing webhook pages in a real browser: a Slack channel pointed at the hub's Slack sandbox,
 * created from its form (once refused by a field, once accepted) and sent a test from the list, the Slack sandbox
 * recording the post and the history showing the delivery; an outgoing endpoint pointed at the sandbox's test receiver,
 * its signing secret shown once, a message's failed attempt, and the message replayed from its page. axe-core on each
 * page; at a phone's width no page scrolls sideways.
 */
class NotificationPagesBrowserIT extends ConsoleBrowserTest {

    @Autowired
    TransactionTemplate transactions;
    @Autowired
    EventStore events;

    @Test
    void aSlackChannelIsCreatedFromItsFormAndSentATestWhoseDeliveryTheHistoryShows() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        NotificationPagesTest.SlackHook hook = NotificationPagesTest.slackHook(hub, "browser-ops");
        signIn(tenant.key());
        browser.findElement(By.linkText("Notifications")).click();
        wait(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("tenant-channels-h")));
        assertAccessible("notifications-empty");

        click(By.id("new-tenant-slack_webhook"));
        wait(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("channel-form")));
        assertAccessible("notification-channel-new");
        fill("name", "browser ops");
        fill("webhookUrl", hook.url());
        fill("eventTypes", "sync.*, no.such_type");
        click(By.id("save"));
        wait(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("eventTypes-error")));
        assertThat(text("eventTypes-error")).contains("no.such_type");
        assertThat(browser.findElement(By.id("name")).getAttribute("value")).isEqualTo("browser ops");
        assertThat(browser.findElement(By.id("webhookUrl")).getAttribute("value")).as("a secret is never filled back in").isEmpty();
        assertThat(browser.getPageSource()).doesNotContain(hook.secret());
        assertAccessible("notification-channel-refused");

        fill("eventTypes", "sync.*");
        fill("webhookUrl", hook.url());
        click(By.id("save"));
        wait(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("saved")));
        assertThat(browser.getPageSource()).doesNotContain(hook.secret());
        String id = hub.ok("GET", "/api/tenant/notification-channels", tenant.key(), null).path("items").get(0).path("id").asText();
        assertThat(text("channel-" + id)).contains("browser ops").contains("webhook URL set").contains("sync.*");
        assertAccessible("notifications");

        click(By.id("test-" + id));
        wait(WAIT).until(d -> text("test-result").startsWith("Test delivered"));
        assertThat(text("test-result")).contains("HTTP 200").contains("healthy");
        JsonNode posts = hub.ok("GET", hub.baseUrl() + "/sandbox/slack/setup/posts?channel=" + hook.channelId(), hook.token(), null);
        assertThat(posts.path("posts")).hasSize(1);
        assertThat(posts.path("posts").get(0).path("status").asInt()).isEqualTo(200);

        browser.findElement(By.linkText("Delivery history")).click();
        wait(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("history")));
        assertThat(browser.findElement(By.id("history")).getText()).contains("browser ops").contains("notification.test").contains("sent");
        assertAccessible("notification-history");

        browser.get(hub.baseUrl() + "/console/notifications/tenant/channels/" + id);
        assertThat(browser.findElement(By.id("webhookUrl-hint")).getText()).contains("A webhook URL is set");
        assertThat(browser.getPageSource()).doesNotContain(hook.secret());
        assertAccessible("notification-channel");
        browser.get(hub.baseUrl() + "/console/notifications/templates");
        assertAccessible("notification-templates");
        browser.findElement(By.linkText("sync.failed")).click();
        wait(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("template-form")));
        assertAccessible("notification-template");

        atPhoneWidth(List.of("/console/notifications", "/console/notifications/tenant/channels/new?type=slack_bot",
                "/console/notifications/tenant/channels/" + id, "/console/notifications/tenant/history", "/console/notifications/templates",
                "/console/notifications/templates/sync.failed"));
        assertAccessible("notifications-phone");
    }

    @Test
    void anOutgoingEndpointsFailedMessageIsReplayedFromItsPage() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        String receiver = "console-" + UUID.randomUUID().toString().substring(0, 8);
        String url = hub.baseUrl() + "/sandbox/webhook-receiver/" + receiver;
        // the receiver refuses the first delivery
        hub.ok("PUT", "/sandbox/webhook-receiver/" + receiver + "/behaviour", null, Map.of("failStatus", 503, "failCount", 1));

        signIn(tenant.key());
        browser.findElement(By.linkText("Outgoing webhooks")).click();
        wait(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("new-endpoint")));
        assertAccessible("webhook-endpoints-empty");
        click(By.id("new-endpoint"));
        wait(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("endpoint-form")));
        assertAccessible("webhook-endpoint-new");
        fill("url", url);
        fill("description", "browser receiver");
        fill("eventTypes", "shard.*");
        click(By.id("save"));
        wait(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("new-secret")));
        String secret = text("secret-value");
        assertThat(secret).startsWith("whsec_");
        assertAccessible("webhook-endpoint-created");
        String id = hub.ok("GET", "/api/tenant/webhook-endpoints", tenant.key(), null).path("items").get(0).path("id").asText();
        String page = hub.baseUrl() + "/console/webhook-endpoints/" + id;

        transactions.executeWithoutResult(s -> events.append(tenant.id(), "shard.created", "subject-1", Map.of("shardId",
                UUID.randomUUID().toString(), "shardType", "c_company", "origin", "api", "structuredData", Map.of("name", "Acme"))));
        browser.get(page);
        reloadUntil(() -> browser.findElements(By.cssSelector("#attempts td")).stream().map(WebElement::getText).anyMatch("503"::equals));
        assertThat(browser.getPageSource()).as("the secret is shown once").doesNotContain(secret);
        assertThat(browser.findElement(By.id("messages")).getText()).contains("shard.created");
        assertAccessible("webhook-endpoint");

        browser.findElement(By.cssSelector("#messages a")).click();
        wait(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("message-status")));
        assertThat(browser.findElement(By.id("attempts")).getText()).contains("503").contains("failed");
        assertAccessible("webhook-message");
        int receivedBefore = hub.ok("GET", "/sandbox/webhook-receiver/" + receiver + "/received", null, null).path("count").asInt();
        click(By.id("replay"));
        wait(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("replayed")));
        reloadUntil(() -> text("message-status").equals("delivered")
                && hub.ok("GET", "/sandbox/webhook-receiver/" + receiver + "/received", null, null).path("count").asInt() > receivedBefore);
        assertThat(text("message-last-status")).isEqualTo("200");
        assertThat(text("message-next")).isEqualTo("—");
        assertThat(browser.findElement(By.id("attempts")).getText()).contains("503").contains("200").contains("succeeded");

        atPhoneWidth(List.of("/console/webhook-endpoints", "/console/webhook-endpoints/new", "/console/webhook-endpoints/" + id,
                browser.getCurrentUrl().substring(hub.baseUrl().length()).replace("?replayed=1", "")));
        assertAccessible("webhook-message-phone");
    }

    private void fill(String id, String value) {
        WebElement input = browser.findElement(By.id(id));
        input.clear();
        input.sendKeys(value);
    }

    /** Reloads the page (every half second) until the condition holds: the attempts come from the hub's senders meanwhile. */
    private void reloadUntil(java.util.function.BooleanSupplier condition) {
        WebDriverWait slow = new WebDriverWait(browser, WAIT, Duration.ofMillis(500));
        slow.until(d -> {
            if (condition.getAsBoolean()) {
                return true;
            }
            d.navigate().refresh();
            return condition.getAsBoolean();
        });
    }

    private void atPhoneWidth(List<String> paths) {
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        for (String path : paths) {
            browser.get(hub().baseUrl() + path);
            assertThat(((JavascriptExecutor) browser).executeScript(
                    "return document.documentElement.scrollWidth <= document.documentElement.clientWidth;")).as(path).isEqualTo(true);
        }
    }
}
