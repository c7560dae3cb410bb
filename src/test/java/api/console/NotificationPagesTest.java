package api.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import hub.EmbeddedHubTest;
import hub.HubClient;

/**
 * The notification and outgoing webhook pages over HTTP with a console session: channels created, changed, tested and
 * deleted through the API's controllers; secrets (webhook URL, bot token, signing secret) never in a page after they
 * are saved (the signing secret once, on the page answering its creation or rotation); a refused form shows the
 * message by its field with what was typed; another tenant's channel or endpoint by URL is 404, the administrator's
 * hub-wide channels 403 to a tenant.
 */
class NotificationPagesTest extends EmbeddedHubTest {

    private static final Pattern SAVED = Pattern.compile("saved=([A-Za-z0-9-]+)");

    /** A Slack sandbox workspace's incoming webhook: the URL (a secret), its secret part, and the channel it posts to. */
    record SlackHook(String token, String channelId, String url, String secret) {
    }

    static SlackHook slackHook(HubClient hub, String channelName) {
        String token = "xoxb-sandbox-c" + UUID.randomUUID().toString().substring(0, 8);
        String base = hub.baseUrl() + "/sandbox/slack/setup";
        JsonNode channel = hub.ok("POST", base + "/channels", token, Map.of("name", channelName, "member", true));
        JsonNode hook = hub.ok("POST", base + "/incoming-webhooks", token, Map.of("channel", channelName));
        return new SlackHook(token, channel.path("channel").path("id").asText(), hook.path("url").asText(), hook.path("secret").asText());
    }

    private static ConsoleSession signedIn(HubClient hub, String key) {
        ConsoleSession browser = new ConsoleSession(hub.baseUrl());
        assertThat(browser.signIn(key, null).statusCode()).isEqualTo(302);
        browser.get("/console");
        return browser;
    }

    private static Map<String, String> slackWebhookForm(String name, String url) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("type", "slack_webhook");
        form.put("name", name);
        form.put("webhookUrl", url);
        form.put("eventTypes", "sync.*, integration.auth_failed");
        form.put("minSeverity", "warning");
        form.put("groupWaitSeconds", "");
        form.put("quietHours.start", "");
        form.put("quietHours.end", "");
        form.put("enabled", "true");
        return form;
    }

    private static String savedId(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
        Matcher m = SAVED.matcher(response.headers().firstValue("Location").orElseThrow());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    @Test
    void aChannelIsCreatedTestedChangedAndDeletedAndItsWebhookUrlIsNeverShownBack() {
        HubClient hub = hub();
        HubClient.Tenant owner = hub.newTenant(ADMIN_KEY);
        SlackHook hook = slackHook(hub, "console-ops");
        ConsoleSession browser = signedIn(hub, owner.key());
        assertThat(browser.get("/console/notifications/tenant/channels/new?type=slack_webhook").statusCode()).isEqualTo(200);
        String id = savedId(browser.post("/console/notifications/tenant/channels", slackWebhookForm("console ops", hook.url()), true));

        HttpResponse<String> list = browser.get("/console/notifications");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("console ops").contains("webhook URL set").contains("sync.*, integration.auth_failed")
                .doesNotContain(hook.secret()).doesNotContain(hook.url());
        String page = "/console/notifications/tenant/channels/" + id;
        HttpResponse<String> edit = browser.get(page);
        assertThat(edit.statusCode()).isEqualTo(200);
        assertThat(edit.body()).contains("value=\"console ops\"").contains("A webhook URL is set").doesNotContain(hook.secret());

        // a change with the secret left blank keeps it: the test send still reaches the Slack sandbox
        Map<String, String> change = slackWebhookForm("console ops renamed", "");
        change.remove("type");
        change.put("quietHours.start", "22:00");
        change.put("quietHours.end", "07:00");
        change.put("quietHours.timeZone", "Europe/Berlin");
        assertThat(savedId(browser.post(page, change, true))).isEqualTo(id);
        JsonNode channel = hub.ok("GET", "/api/tenant/notification-channels/" + id, owner.key(), null);
        assertThat(channel.path("name").asText()).isEqualTo("console ops renamed");
        assertThat(channel.path("quietHours").path("timeZone").asText()).isEqualTo("Europe/Berlin");
        HttpResponse<String> tested = browser.post(page + "/test", Map.of(), true);
        assertThat(tested.statusCode()).isEqualTo(200);
        assertThat(tested.body()).contains("id=\"test-result\"").contains("Test delivered (HTTP 200)").doesNotContain(hook.secret());
        assertThat(hub.ok("GET", hub.baseUrl() + "/sandbox/slack/setup/posts?channel=" + hook.channelId(), hook.token(), null)
                .path("posts")).hasSize(1);
        HttpResponse<String> history = browser.get("/console/notifications/tenant/history");
        assertThat(history.body()).contains("notification.test").contains("console ops renamed").contains(">sent<");

        // another tenant: not in its list, 404 by URL for every action, and the hub-wide scope is the administrator's
        ConsoleSession other = signedIn(hub, hub.newTenantKey(ADMIN_KEY));
        assertThat(other.get("/console/notifications").body()).doesNotContain("console ops");
        assertThat(other.get(page).statusCode()).isEqualTo(404);
        assertThat(other.post(page, change, true).statusCode()).isEqualTo(404);
        assertThat(other.post(page + "/test", Map.of(), true).statusCode()).isEqualTo(404);
        assertThat(other.post(page + "/delete", Map.of(), true).statusCode()).isEqualTo(404);
        assertThat(other.get("/console/notifications/hub/channels/" + id).statusCode()).isEqualTo(403);
        assertThat(other.get("/console/notifications/tenant/history").body()).doesNotContain("console ops renamed");

        assertThat(browser.post(page + "/delete", Map.of(), true).statusCode()).isEqualTo(302);
        assertThat(hub.call("GET", "/api/tenant/notification-channels/" + id, owner.key(), null).status()).isEqualTo(404);
    }

    @Test
    void aRefusedChannelFormShowsTheMessageByItsFieldWithWhatWasTypedButNoSecret() {
        HubClient hub = hub();
        ConsoleSession browser = signedIn(hub, hub.newTenantKey(ADMIN_KEY));
        Map<String, String> form = slackWebhookForm("typed name", "https://hooks.slack.example/services/T1/B1/typedsecret42");
        form.put("eventTypes", "sync.*, nosuch.event");
        HttpResponse<String> refused = browser.post("/console/notifications/tenant/channels", form, true);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("id=\"eventTypes-error\"").contains("unknown event type").contains("nosuch.event")
                .contains("value=\"typed name\"").contains("value=\"sync.*, nosuch.event\"")
                .contains("aria-describedby=\"eventTypes-error eventTypes-hint\"").contains("aria-invalid=\"true\"")
                .doesNotContain("typedsecret42");

        form.put("eventTypes", "sync.*");
        form.put("webhookUrl", "http://10.1.2.3/hooks/typedsecret42");
        HttpResponse<String> badUrl = browser.post("/console/notifications/tenant/channels", form, true);
        assertThat(badUrl.statusCode()).isEqualTo(400);
        assertThat(badUrl.body()).contains("id=\"webhookUrl-error\"").contains("value=\"typed name\"").doesNotContain("typedsecret42");

        form.put("webhookUrl", "https://hooks.slack.example/services/T1/B1/x");
        form.put("groupWaitSeconds", "soon");
        HttpResponse<String> notANumber = browser.post("/console/notifications/tenant/channels", form, true);
        assertThat(notANumber.statusCode()).isEqualTo(400);
        assertThat(notANumber.body()).contains("id=\"groupWaitSeconds-error\"").contains("value=\"soon\"");

        // a bot channel: its token is a secret too
        Map<String, String> bot = new LinkedHashMap<>(Map.of("type", "slack_bot", "name", "bot", "slackChannel", "Not A Channel",
                "botToken", "xoxb-typedtoken99", "eventTypes", "sync.*", "minSeverity", "critical"));
        HttpResponse<String> badChannel = browser.post("/console/notifications/tenant/channels", bot, true);
        assertThat(badChannel.statusCode()).isEqualTo(400);
        assertThat(badChannel.body()).contains("id=\"slackChannel-error\"").contains("value=\"Not A Channel\"")
                .contains("<option value=\"critical\" selected=\"selected\">").doesNotContain("typedtoken99");
    }

    @Test
    void theAdministratorKeepsHubWideChannelsApartFromTheTenantsAndTemplatesAreTheTenants() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        SlackHook hook = slackHook(hub, "hub-ops");
        ConsoleSession admin = signedIn(hub, ADMIN_KEY);
        String id = savedId(admin.post("/console/notifications/hub/channels", slackWebhookForm("hub-wide ops", hook.url()), true));
        try {
            assertThat(hub.ok("GET", "/api/admin/notification-channels/" + id, ADMIN_KEY, null).path("name").asText()).isEqualTo("hub-wide ops");
            assertThat(admin.get("/console/notifications").body()).contains("hub-wide ops").contains("Pick a tenant");
            assertThat(admin.get("/console/notifications/hub/history").statusCode()).isEqualTo(200);
            assertThat(admin.get("/console/notifications/hub/channels/new?type=teams_workflow").body()).contains("Teams Workflows webhook URL");
            assertThat(admin.get("/console/notifications/hub/channels/new?type=slack_bot").body()).contains("id=\"botToken\"")
                    .contains("id=\"integrations\"");
            assertThat(admin.get("/console/notifications/hub/channels/" + id).body()).contains("value=\"hub-wide ops\"")
                    .doesNotContain(hook.secret());
            assertThat(admin.get("/console/notifications/templates").statusCode()).as("templates are a tenant's").isEqualTo(409);

            ConsoleSession owner = signedIn(hub, tenant.key());
            assertThat(owner.get("/console/notifications").body()).doesNotContain("hub-wide ops");
            assertThat(owner.get("/console/notifications/hub/channels/" + id).statusCode()).isEqualTo(403);
            assertThat(owner.get("/console/notifications/tenant/channels/" + id).statusCode()).isEqualTo(404);

            // the administrator switched to the tenant sees both; the tenant's templates
            admin.post("/console/tenant", Map.of("tenantId", tenant.id()), true);
            assertThat(admin.get("/console/notifications").body()).contains("hub-wide ops").contains("This tenant");
            String template = "/console/notifications/templates/sync.failed";
            assertThat(admin.get(template).body()).contains("The built-in template");
            HttpResponse<String> tooLong = admin.post(template, Map.of("title", "t".repeat(151), "text", "typed text", "example", "{occurredAt}"), true);
            assertThat(tooLong.statusCode()).isEqualTo(400);
            assertThat(tooLong.body()).contains("id=\"title-error\"").contains(">typed text</textarea>");
            HttpResponse<String> saved = admin.post(template, Map.of("title", "Sync failed on {provider}", "text", "{count} failures",
                    "example", "{occurredAt} {error}"), true);
            assertThat(saved.statusCode()).isEqualTo(302);
            assertThat(hub.ok("GET", "/api/tenant/notification-templates/sync.failed", tenant.key(), null).path("title").asText())
                    .isEqualTo("Sync failed on {provider}");
            assertThat(owner.get("/console/notifications/templates").body()).contains("Sync failed on {provider}");
            assertThat(owner.post(template + "/reset", Map.of(), true).statusCode()).isEqualTo(302);
            assertThat(hub.ok("GET", "/api/tenant/notification-templates", tenant.key(), null).path("items")).isEmpty();
        } finally {
            hub.call("DELETE", "/api/admin/notification-channels/" + id, ADMIN_KEY, null);
        }
    }

    @Test
    void anEndpointsSigningSecretIsShownOnceAndAnotherTenantsEndpointIs404() {
        HubClient hub = hub();
        HubClient.Tenant owner = hub.newTenant(ADMIN_KEY);
        ConsoleSession browser = signedIn(hub, owner.key());
        String receiver = hub.baseUrl() + "/sandbox/webhook-receiver/console-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(browser.get("/console/webhook-endpoints/new").statusCode()).isEqualTo(200);

        Map<String, String> form = new LinkedHashMap<>(Map.of("url", "ftp://example.com/hook", "description", "typed description",
                "eventTypes", "shard.*", "shardTypes", "c_company"));
        HttpResponse<String> badUrl = browser.post("/console/webhook-endpoints", form, true);
        assertThat(badUrl.statusCode()).isEqualTo(400);
        assertThat(badUrl.body()).contains("id=\"url-error\"").contains("value=\"ftp://example.com/hook\"")
                .contains("value=\"typed description\"").contains("value=\"c_company\" checked=\"checked\"");
        form.put("url", receiver);
        form.put("eventTypes", "shard.*, nosuch.*");
        HttpResponse<String> badType = browser.post("/console/webhook-endpoints", form, true);
        assertThat(badType.statusCode()).isEqualTo(400);
        assertThat(badType.body()).contains("id=\"eventTypes-error\"").contains("nosuch.*");

        form.put("eventTypes", "shard.*");
        HttpResponse<String> posted = browser.post("/console/webhook-endpoints", form, true);
        assertThat(posted.statusCode()).as("post, then redirect: a reload does not create another").isEqualTo(302);
        JsonNode endpoint = hub.ok("GET", "/api/tenant/webhook-endpoints", owner.key(), null).path("items").get(0);
        String id = endpoint.path("id").asText();
        String page = "/console/webhook-endpoints/" + id;
        assertThat(posted.headers().firstValue("Location").orElse("")).endsWith(page);
        HttpResponse<String> created = browser.get(page);
        assertThat(created.headers().firstValue("Cache-Control")).hasValue("no-store");
        String secret = secretOn(created.body());
        assertThat(secret).startsWith("whsec_");
        assertThat(browser.get(page).body()).as("shown once").contains("typed description").doesNotContain(secret).doesNotContain("id=\"new-secret\"");
        assertThat(browser.get("/console/webhook-endpoints").body()).contains(receiver).doesNotContain(secret);

        assertThat(browser.post(page + "/rotate-secret", Map.of(), true).statusCode()).isEqualTo(302);
        HttpResponse<String> rotated = browser.get(page);
        String next = secretOn(rotated.body());
        assertThat(next).startsWith("whsec_").isNotEqualTo(secret);
        assertThat(rotated.body()).contains("The replaced secret still signs until");
        assertThat(browser.get(page).body()).doesNotContain(next).doesNotContain(secret);

        // a change: disabled, description cleared
        HttpResponse<String> changed = browser.post(page, Map.of("url", receiver, "description", "", "eventTypes", "shard.created"), true);
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(302);
        JsonNode now = hub.ok("GET", "/api/tenant/webhook-endpoints/" + id, owner.key(), null);
        assertThat(now.path("status").asText()).isEqualTo("disabled");
        assertThat(now.path("eventTypes")).hasSize(1);
        assertThat(now.path("shardTypes").isNull() || now.path("shardTypes").isMissingNode()).as("every shard type").isTrue();

        ConsoleSession other = signedIn(hub, hub.newTenantKey(ADMIN_KEY));
        assertThat(other.get("/console/webhook-endpoints").body()).doesNotContain(receiver);
        assertThat(other.get(page).statusCode()).isEqualTo(404);
        assertThat(other.get(page + "/messages/whatever").statusCode()).isEqualTo(404);
        assertThat(other.post(page, Map.of("url", receiver, "eventTypes", "shard.*"), true).statusCode()).isEqualTo(404);
        assertThat(other.post(page + "/rotate-secret", Map.of(), true).statusCode()).isEqualTo(404);
        assertThat(other.post(page + "/replay", Map.of("messageId", "x"), true).statusCode()).isEqualTo(404);
        assertThat(other.post(page + "/delete", Map.of(), true).statusCode()).isEqualTo(404);

        assertThat(browser.post(page + "/delete", Map.of(), true).statusCode()).isEqualTo(302);
        assertThat(hub.call("GET", "/api/tenant/webhook-endpoints/" + id, owner.key(), null).status()).isEqualTo(404);
    }

    private static String secretOn(String html) {
        Matcher m = Pattern.compile("id=\"secret-value\">([^<]+)<").matcher(html);
        assertThat(m.find()).as("the page shows the new secret").isTrue();
        return m.group(1);
    }
}
