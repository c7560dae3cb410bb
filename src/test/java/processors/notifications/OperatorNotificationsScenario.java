package processors.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import hub.CloudEvents;
import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.MutableClock;
import store.EventStore;
import store.Notification;
import store.NotificationStore;

/**
 * Operator notifications end to end against the Slack and Teams Workflows sandboxes: channels per tenant (secrets kept,
 * tenants apart, bad input named), test sends, a storm of sync failures grouped into a few messages at the platforms'
 * pace (on a clock the test moves), quiet hours, retries and unhealthy destinations, and an event from the stream.
 */
interface OperatorNotificationsScenario {

    String CHANNELS = "/api/tenant/notification-channels";
    String ADMIN_KEY = EmbeddedHubTest.ADMIN_KEY;
    ObjectMapper JSON = new ObjectMapper();
    Duration TIMEOUT = Duration.ofSeconds(30);

    HubClient hub();

    /** The hub's application context, for the beans the scenario drives directly. */
    ApplicationContext context();

    private NotificationClock clock() {
        return context().getBean(NotificationClock.class);
    }

    private NotificationStore notifications() {
        return context().getBean(NotificationStore.class);
    }

    @AfterEach
    default void systemClock() {
        clock().use(null);
    }

    // ------------------------------------------------------------------ sandbox set-up

    record SlackHook(String token, String channelId, String url, String secret) {
    }

    record TeamsFlow(String id, String sig, String url) {
    }

    private String slackBase() {
        return hub().baseUrl() + "/sandbox/slack";
    }

    /** A Slack sandbox workspace with a channel the bot is in, and an incoming webhook to it. */
    private SlackHook slackHook(String channelName) {
        String token = "xoxb-sandbox-n" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode channel = hub().ok("POST", slackBase() + "/setup/channels", token, Map.of("name", channelName, "member", true));
        JsonNode hook = hub().ok("POST", slackBase() + "/setup/incoming-webhooks", token, Map.of("channel", channelName));
        return new SlackHook(token, channel.path("channel").path("id").asText(), hook.path("url").asText(), hook.path("secret").asText());
    }

    private JsonNode slackPosts(SlackHook hook) {
        return hub().ok("GET", slackBase() + "/setup/posts?channel=" + hook.channelId(), hook.token(), null);
    }

    private TeamsFlow teamsFlow() {
        JsonNode flow = hub().ok("POST", hub().baseUrl() + "/sandbox/teams-workflows/setup/workflows", null, Map.of("name", "ops"));
        return new TeamsFlow(flow.path("id").asText(), flow.path("sig").asText(), flow.path("url").asText());
    }

    private JsonNode teamsRuns(TeamsFlow flow) {
        return hub().ok("GET", hub().baseUrl() + "/sandbox/teams-workflows/setup/workflows/" + flow.id() + "/runs?sig=" + flow.sig(), null, null);
    }

    /** The Teams flow's runs it accepted (202). */
    private static List<JsonNode> accepted(JsonNode runs) {
        return answered(runs.path("runs"), 202);
    }

    /** The Slack posts the sandbox took (200). */
    private static List<JsonNode> delivered(JsonNode posts) {
        return answered(posts.path("posts"), 200);
    }

    private static List<JsonNode> answered(JsonNode records, int status) {
        List<JsonNode> answered = new ArrayList<>();
        records.forEach(r -> {
            if (r.path("status").asInt() == status) {
                answered.add(r);
            }
        });
        return answered;
    }

    private static Map<String, Object> channel(String type, String name, Object... more) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("name", name);
        body.put("eventTypes", List.of("sync.*"));
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        return body;
    }

    /** A CloudEvent of the tenant as the events relay publishes it, taken at once (as notifications-events hands it on). */
    private void take(String tenantId, String type, String integrationId, Map<String, Object> data) {
        Map<String, Object> all = new LinkedHashMap<>(data);
        all.put("integrationId", integrationId);
        context().getBean(ProducerTemplate.class).sendBody("direct:notifications-intake", CloudEvents.write(JSON, type, "/tenants/" + tenantId, UUID.randomUUID().toString(),
                clock().now(), all));
    }

    private void dispatch() {
        context().getBean(ProducerTemplate.class).sendBody("direct:notifications-dispatch", null);
    }

    private static Map<String, Object> syncFailed(int n) {
        return Map.of("executionId", "exec-" + n, "provider", "salesforce", "entity", "Account", "mode", "incremental", "status", "failed",
                "error", "Salesforce answered 503", "counts", Map.of("processed", 0, "created", 0, "updated", 0, "unchanged", 0, "deleted", 0, "failed", 0));
    }

    // ------------------------------------------------------------------ channels

    @Test
    default void channelsKeepTheirSecretsAndTenantsApart() {
        HubClient.Tenant owner = hub().newTenant(ADMIN_KEY);
        HubClient.Tenant other = hub().newTenant(ADMIN_KEY);
        SlackHook hook = slackHook("crud");
        HubClient.Response created = hub().call("POST", CHANNELS, owner.key(),
                channel("slack_webhook", "ops", "webhookUrl", hook.url(), "minSeverity", "warning"));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        String id = created.body().path("id").asText();
        assertThat(created.raw()).doesNotContain(hook.secret()).doesNotContain("webhookUrl");
        assertThat(created.body().path("secretStored").asBoolean()).isTrue();
        assertThat(created.body().path("grouping").path("groupWaitSeconds").asInt()).isEqualTo(30);

        // encrypted at rest: no stored secret of the tenant holds the webhook's secret
        List<String> stored = context().getBean(JdbcClient.class).sql("SELECT CAST(ciphertext AS VARCHAR(20000)) FROM vault_secrets WHERE tenant_id = ?").param(owner.id())
                .query(String.class).list();
        assertThat(stored).isNotEmpty().noneMatch(s -> s.contains(hook.secret()));

        assertThat(hub().call("GET", CHANNELS, owner.key(), null).body().path("items")).hasSize(1);
        assertThat(hub().call("GET", CHANNELS, other.key(), null).body().path("items")).isEmpty();
        assertThat(hub().call("GET", CHANNELS + "/" + id, other.key(), null).status()).isEqualTo(404);
        assertThat(hub().call("PATCH", CHANNELS + "/" + id, other.key(), Map.of("name", "mine")).status()).isEqualTo(404);
        assertThat(hub().call("POST", CHANNELS + "/" + id + "/test", other.key(), null).status()).isEqualTo(404);
        assertThat(hub().call("DELETE", CHANNELS + "/" + id, other.key(), null).status()).isEqualTo(404);
        assertThat(hub().call("GET", "/api/tenant/notifications", other.key(), null).body().path("items")).isEmpty();

        JsonNode patched = hub().ok("PATCH", CHANNELS + "/" + id, owner.key(),
                Map.of("eventTypes", List.of("sync.failed", "integration.*"), "quietHours", Map.of("start", "22:00", "end", "07:00", "timeZone", "Europe/Berlin")));
        assertThat(patched.path("eventTypes")).hasSize(2);
        assertThat(patched.path("quietHours").path("timeZone").asText()).isEqualTo("Europe/Berlin");
        assertThat(hub().call("DELETE", CHANNELS + "/" + id, owner.key(), null).status()).isEqualTo(204);
        assertThat(hub().call("GET", CHANNELS + "/" + id, owner.key(), null).status()).isEqualTo(404);
    }

    @Test
    default void theAdministratorsHubWideChannelHearsEveryTenantAndNoTenantSeesIt() {
        String admin = "/api/admin/notification-channels";
        HubClient.Tenant tenant = hub().newTenant(ADMIN_KEY);
        SlackHook hook = slackHook("hub-wide");
        String id = hub().ok("POST", admin, ADMIN_KEY, channel("slack_webhook", "hub ops", "webhookUrl", hook.url(), "groupWaitSeconds", 0,
                "eventTypes", List.of("credential.rotation_overdue"), "minSeverity", "critical")).path("id").asText();
        try {
            assertThat(hub().ok("GET", admin, ADMIN_KEY, null).path("items").findValuesAsText("id")).contains(id);
            assertThat(hub().call("GET", CHANNELS, tenant.key(), null).body().path("items")).isEmpty();
            assertThat(hub().call("GET", CHANNELS + "/" + id, tenant.key(), null).status()).isEqualTo(404);
            assertThat(hub().call("GET", admin, tenant.key(), null).status()).isEqualTo(403);

            take(tenant.id(), "credential.rotation_overdue", "int-old-secret", Map.of("provider", "salesforce"));
            await().atMost(TIMEOUT).untilAsserted(() -> {
                dispatch();
                assertThat(delivered(slackPosts(hook))).hasSize(1);
            });
            assertThat(hub().ok("GET", "/api/admin/notifications?status=sent", ADMIN_KEY, null).path("items").findValuesAsText("channelId")).contains(id);
            assertThat(hub().ok("GET", "/api/tenant/notifications", tenant.key(), null).path("items")).isEmpty();
        } finally {
            hub().call("DELETE", admin + "/" + id, ADMIN_KEY, null);
        }
    }

    @Test
    default void badInputIsRefusedNamingTheField() {
        HubClient.Tenant tenant = hub().newTenant(ADMIN_KEY);
        assertRefused(tenant, channel("teams_workflow", "t", "webhookUrl", "https://hooks.example.com/x", "eventTypes", List.of("sync.exploded")), "eventTypes");
        assertRefused(tenant, channel("teams_workflow", "t", "webhookUrl", "https://hooks.example.com/x", "eventTypes", List.of("sync.*;drop")), "eventTypes");
        assertRefused(tenant, channel("teams_workflow", "t", "webhookUrl", "not a url"), "webhookUrl");
        assertRefused(tenant, channel("teams_workflow", "t", "webhookUrl", "ftp://hooks.example.com/x"), "webhookUrl");
        // http only to a listed host
        assertRefused(tenant, channel("teams_workflow", "t", "webhookUrl", "http://prod-01.westeurope.logic.azure.com/workflows/x"), "webhookUrl");
        // private, loopback (not the hub's own port), link-local metadata
        assertRefused(tenant, channel("slack_webhook", "s", "webhookUrl", "https://10.1.2.3/services/T/B/x"), "webhookUrl");
        assertRefused(tenant, channel("slack_webhook", "s", "webhookUrl", "https://127.0.0.1:9/services/T/B/x"), "webhookUrl");
        assertRefused(tenant, channel("slack_webhook", "s", "webhookUrl", "https://169.254.169.254/latest/meta-data"), "webhookUrl");
        assertRefused(tenant, channel("slack_bot", "b", "botToken", "xoxb-1", "slackChannel", "#ops", "apiUrl", "https://192.168.0.10/api/"), "apiUrl");
        assertRefused(tenant, channel("slack_bot", "b", "botToken", "not-a-token", "slackChannel", "#ops"), "botToken");
        assertRefused(tenant, channel("slack_bot", "b", "botToken", "xoxb-1"), "slackChannel");
        assertRefused(tenant, channel("pagerduty", "p"), "type");
        assertRefused(tenant, channel("teams_workflow", "t", "webhookUrl", "https://hooks.example.com/x", "minSeverity", "loud"), "minSeverity");
        assertRefused(tenant, channel("teams_workflow", "t", "webhookUrl", "https://hooks.example.com/x", "integrations", List.of("not-mine")), "integrations");
        assertRefused(tenant, channel("teams_workflow", "t", "webhookUrl", "https://hooks.example.com/x",
                "quietHours", Map.of("start", "25:00", "end", "07:00")), "quietHours.start");
        assertRefused(tenant, channel("teams_workflow", "t", "webhookUrl", "https://hooks.example.com/x",
                "quietHours", Map.of("start", "22:00", "end", "07:00", "timeZone", "Mars/Olympus")), "quietHours.timeZone");
        assertThat(hub().call("GET", CHANNELS, tenant.key(), null).body().path("items")).isEmpty();

        HubClient.Response template = hub().call("PUT", "/api/tenant/notification-templates/sync.failed", tenant.key(),
                Map.of("title", "Failed {count}×", "text", "w".repeat(3200), "example", "{error}"));
        assertThat(template.status()).as(template.raw()).isEqualTo(400);
        assertThat(template.body().path("field").asText()).isEqualTo("text");
        assertThat(template.body().path("message").asText()).contains("Slack's limit of 3000 characters");
        assertThat(hub().call("PUT", "/api/tenant/notification-templates/sync.exploded", tenant.key(),
                Map.of("title", "t", "text", "t", "example", "e")).body().path("field").asText()).isEqualTo("eventType");
        assertThat(hub().call("GET", "/api/tenant/notifications?status=lost", tenant.key(), null).body().path("field").asText()).isEqualTo("status");
    }

    private void assertRefused(HubClient.Tenant tenant, Map<String, Object> body, String field) {
        HubClient.Response r = hub().call("POST", CHANNELS, tenant.key(), body);
        assertThat(r.status()).as(body + " -> " + r.raw()).isEqualTo(400);
        assertThat(r.body().path("field").asText()).as(r.raw()).isEqualTo(field);
    }

    @Test
    default void aTestSendReachesEachPlatform() {
        HubClient.Tenant tenant = hub().newTenant(ADMIN_KEY);
        SlackHook hook = slackHook("test-sends");
        String bot = hub().ok("POST", CHANNELS, tenant.key(), channel("slack_bot", "bot", "botToken", hook.token(), "slackChannel", "test-sends",
                "apiUrl", slackBase() + "/api/")).path("id").asText();
        TeamsFlow flow = teamsFlow();
        String teams = hub().ok("POST", CHANNELS, tenant.key(), channel("teams_workflow", "teams", "webhookUrl", flow.url())).path("id").asText();

        JsonNode slackResult = hub().ok("POST", CHANNELS + "/" + bot + "/test", tenant.key(), null);
        assertThat(slackResult.path("delivered").asBoolean()).as(slackResult.toString()).isTrue();
        JsonNode post = slackPosts(hook).path("posts").get(0);
        assertThat(post.path("via").asText()).isEqualTo("chat.postMessage");
        assertThat(post.path("blocks").get(0).path("text").path("text").asText()).isEqualTo("Test notification from the Castiel Integration Hub");

        // the tenant's own template of the type replaces the built-in one
        hub().ok("PUT", "/api/tenant/notification-templates/notification.test", tenant.key(),
                Map.of("title", "Ops check for {channel}", "text", "Set up.", "example", "{occurredAt}"));
        JsonNode teamsResult = hub().ok("POST", CHANNELS + "/" + teams + "/test", tenant.key(), null);
        assertThat(teamsResult.path("delivered").asBoolean()).as(teamsResult.toString()).isTrue();
        assertThat(teamsResult.path("status").asInt()).isEqualTo(202);
        JsonNode run = teamsRuns(flow).path("runs").get(0);
        assertThat(run.path("posted").asBoolean()).as(run.toString()).isTrue();
        assertThat(run.path("card").path("type").asText()).isEqualTo("AdaptiveCard");
        assertThat(run.path("card").path("body").get(0).path("text").asText()).isEqualTo("Ops check for teams");

        JsonNode sent = hub().ok("GET", "/api/tenant/notifications?status=sent", tenant.key(), null);
        assertThat(sent.path("items")).hasSize(2);
    }

    // ------------------------------------------------------------------ grouping

    @Test
    default void aStormOfSyncFailuresBecomesAtMostThreeMessagesPerChannelAtThePlatformsPace() {
        MutableClock time = new MutableClock(Instant.parse("2031-03-04T10:00:00Z"));
        clock().use(time);
        HubClient.Tenant tenant = hub().newTenant(ADMIN_KEY);
        SlackHook slack = slackHook("storm");
        SlackHook slackWebhook = slackHook("storm-webhook");
        TeamsFlow teams = teamsFlow();
        String bot = hub().ok("POST", CHANNELS, tenant.key(), channel("slack_bot", "bot", "botToken", slack.token(), "slackChannel", "storm",
                "apiUrl", slackBase() + "/api/")).path("id").asText();
        String webhook = hub().ok("POST", CHANNELS, tenant.key(), channel("slack_webhook", "hook", "webhookUrl", slackWebhook.url())).path("id").asText();
        String card = hub().ok("POST", CHANNELS, tenant.key(), channel("teams_workflow", "teams", "webhookUrl", teams.url())).path("id").asText();

        int events = Integer.getInteger("notifications.storm.events", 1000);
        Duration span = Duration.ofMinutes(10);
        Duration step = span.dividedBy(events);
        for (int i = 0; i < events; i++) {
            take(tenant.id(), "sync.failed", "int-storm", syncFailed(i));
            time.advance(step);
            if (i % 10 == 0) {
                dispatch();
            }
        }
        time.advance(Duration.ofMinutes(6));
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            dispatch();
            for (String id : List.of(bot, webhook, card)) {
                List<Notification> sent = notifications().ofChannel(id);
                assertThat(sent).allMatch(n -> n.status().equals(Notification.SENT));
                assertThat(sent.stream().mapToLong(Notification::eventCount).sum()).isEqualTo(events);
            }
        });

        JsonNode botPosts = slackPosts(slack);
        JsonNode hookPosts = slackPosts(slackWebhook);
        JsonNode cards = teamsRuns(teams);
        int botMessages = delivered(botPosts).size();
        int hookMessages = delivered(hookPosts).size();
        int teamsMessages = accepted(cards).size();
        System.out.printf("notification storm: %d sync.failed over %s (group wait 30s, interval 5m) -> messages per channel: "
                        + "slack chat.postMessage %d, slack incoming webhook %d, teams workflow %d; platform 429s: %d, %d, %d; counts %s%n",
                events, span, botMessages, hookMessages, teamsMessages, botPosts.path("rateLimited").asInt(), hookPosts.path("rateLimited").asInt(),
                cards.path("throttled").asInt(), notifications().ofChannel(bot).stream().map(Notification::eventCount).toList());
        assertThat(botMessages).isBetween(1, 3);
        assertThat(hookMessages).isBetween(1, 3);
        assertThat(teamsMessages).isBetween(1, 3);
        assertThat(botPosts.path("rateLimited").asInt()).isZero();
        assertThat(hookPosts.path("rateLimited").asInt()).isZero();
        assertThat(cards.path("throttled").asInt()).isZero();
        // the first message tells the count and shows the first examples and no more
        JsonNode first = delivered(botPosts).get(0);
        assertThat(first.path("text").asText()).contains("Sync failed").contains("int-storm");
        assertThat(first.path("blocks").toString()).contains("exec-0").contains("exec-2").doesNotContain("exec-3\"");
    }

    @Test
    default void quietHoursHoldAWarningAndLetACriticalThrough() {
        // 00:30 in Berlin: quiet from 22:00 to 07:00
        MutableClock time = new MutableClock(Instant.parse("2031-03-04T23:30:00Z"));
        clock().use(time);
        HubClient.Tenant tenant = hub().newTenant(ADMIN_KEY);
        TeamsFlow flow = teamsFlow();
        hub().ok("POST", CHANNELS, tenant.key(), channel("teams_workflow", "night", "webhookUrl", flow.url(),
                "eventTypes", List.of("sync.*", "integration.*"), "groupWaitSeconds", 0,
                "quietHours", Map.of("start", "22:00", "end", "07:00", "timeZone", "Europe/Berlin")));

        take(tenant.id(), "sync.failed", "int-night", syncFailed(1));
        take(tenant.id(), "integration.auth_failed", "int-night", Map.of("provider", "salesforce", "error", "invalid_grant"));
        await().atMost(TIMEOUT).untilAsserted(() -> {
            dispatch();
            assertThat(accepted(teamsRuns(flow))).hasSize(1);
        });
        assertThat(accepted(teamsRuns(flow)).get(0).path("card").toString()).contains("Credentials refused");
        time.advance(Duration.ofHours(3));
        dispatch();
        assertThat(accepted(teamsRuns(flow))).hasSize(1);

        // 06:59 in Berlin (05:59Z): still held, and what comes meanwhile joins it
        take(tenant.id(), "sync.failed", "int-night", syncFailed(2));
        time.advance(Duration.ofMinutes(209));
        dispatch();
        assertThat(accepted(teamsRuns(flow))).hasSize(1);
        // 07:00 in Berlin: the held warning goes
        time.advance(Duration.ofMinutes(1));
        await().atMost(TIMEOUT).untilAsserted(() -> {
            dispatch();
            assertThat(accepted(teamsRuns(flow))).hasSize(2);
        });
        JsonNode warning = accepted(teamsRuns(flow)).get(1).path("card");
        assertThat(warning.toString()).contains("Sync failed 2×");
    }

    @Test
    default void aCircuitOpenForLongPassesQuietHours() {
        // 01:00 in Berlin, quiet until 07:00; circuit-critical-after is 15 minutes
        MutableClock time = new MutableClock(Instant.parse("2031-03-05T00:00:00Z"));
        clock().use(time);
        HubClient.Tenant tenant = hub().newTenant(ADMIN_KEY);
        TeamsFlow flow = teamsFlow();
        hub().ok("POST", CHANNELS, tenant.key(), channel("teams_workflow", "night", "webhookUrl", flow.url(),
                "eventTypes", List.of("circuit.*"), "groupWaitSeconds", 0,
                "quietHours", Map.of("start", "22:00", "end", "07:00", "timeZone", "Europe/Berlin")));
        Map<String, Object> opened = Map.of("provider", "hubspot", "from", "CLOSED", "to", "OPEN", "at", "2031-03-05T00:00:00Z", "failureRate", 80);
        // a circuit that opens and closes again waits for the morning
        take(tenant.id(), "circuit.opened", "int-flaky", opened);
        take(tenant.id(), "circuit.closed", "int-flaky", Map.of("provider", "hubspot", "from", "HALF_OPEN", "to", "CLOSED", "at", "2031-03-05T00:01:00Z"));
        // one that stays open goes after 15 minutes
        take(tenant.id(), "circuit.opened", "int-down", opened);
        time.advance(Duration.ofMinutes(14));
        dispatch();
        assertThat(accepted(teamsRuns(flow))).isEmpty();
        time.advance(Duration.ofMinutes(1));
        await().atMost(TIMEOUT).untilAsserted(() -> {
            dispatch();
            assertThat(accepted(teamsRuns(flow))).hasSize(1);
        });
        JsonNode card = accepted(teamsRuns(flow)).get(0).path("card");
        assertThat(card.toString()).contains("Circuit open: hubspot integration int-down").contains("critical");
    }

    // ------------------------------------------------------------------ delivery

    @Test
    default void a5xxIsTriedAgainAfterRetryAfterAndA4xxMakesTheDestinationUnhealthyAndIsToldElsewhere() {
        HubClient.Tenant tenant = hub().newTenant(ADMIN_KEY);
        SlackHook hook = slackHook("unhealthy");
        TeamsFlow flow = teamsFlow();
        String slack = hub().ok("POST", CHANNELS, tenant.key(), channel("slack_webhook", "slack", "webhookUrl", hook.url(),
                "groupWaitSeconds", 0)).path("id").asText();
        String teams = hub().ok("POST", CHANNELS, tenant.key(), channel("teams_workflow", "teams", "webhookUrl", flow.url(),
                "groupWaitSeconds", 0)).path("id").asText();

        // Teams answers 503 with Retry-After: 1 once, then takes it
        hub().ok("POST", hub().baseUrl() + "/sandbox/teams-workflows/setup/workflows/" + flow.id() + "/answers?sig=" + flow.sig(), null,
                Map.of("status", 503, "times", 1, "retryAfter", 1));
        // the Slack webhook is removed: Slack answers 404 no_service
        hub().ok("DELETE", slackBase() + "/setup/incoming-webhooks/" + hook.secret(), hook.token(), null);

        take(tenant.id(), "sync.failed", "int-bad", syncFailed(1));
        await().atMost(TIMEOUT).untilAsserted(() -> {
            dispatch();
            assertThat(hub().ok("GET", CHANNELS + "/" + slack, tenant.key(), null).path("health").asText()).isEqualTo("unhealthy");
            assertThat(accepted(teamsRuns(flow))).hasSize(2);
        });
        JsonNode slackView = hub().ok("GET", CHANNELS + "/" + slack, tenant.key(), null);
        assertThat(slackView.path("healthReason").asText()).contains("404").contains("no_service").doesNotContain(hook.secret());
        JsonNode failed = hub().ok("GET", "/api/tenant/notifications?status=failed", tenant.key(), null).path("items");
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).path("channelId").asText()).isEqualTo(slack);
        assertThat(failed.get(0).path("lastStatus").asInt()).isEqualTo(404);

        List<Notification> toTeams = notifications().ofChannel(teams);
        Notification retried = toTeams.stream().filter(n -> n.eventType().equals("sync.failed")).findFirst().orElseThrow();
        assertThat(retried.status()).isEqualTo(Notification.SENT);
        assertThat(retried.attempts()).isEqualTo(2);
        assertThat(toTeams).anyMatch(n -> n.eventType().equals(NotificationTemplates.CHANNEL_UNHEALTHY) && n.status().equals(Notification.SENT));
        JsonNode runs = teamsRuns(flow).path("runs");
        assertThat(runs.get(0).path("status").asInt()).isEqualTo(503);
        Instant firstAt = Instant.parse(runs.get(0).path("at").asText());
        Instant retriedAt = Instant.parse(runs.get(1).path("at").asText());
        assertThat(Duration.between(firstAt, retriedAt)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(accepted(teamsRuns(flow)).toString()).contains("Notification channel unhealthy: slack");

        // fixing the URL gives the destination its chance again
        SlackHook fixed = slackHook("unhealthy-fixed");
        assertThat(hub().ok("PATCH", CHANNELS + "/" + slack, tenant.key(), Map.of("webhookUrl", fixed.url())).path("health").asText()).isEqualTo("healthy");
    }

    @Test
    default void aRedirectIsAFailure() {
        HubClient.Tenant tenant = hub().newTenant(ADMIN_KEY);
        TeamsFlow flow = teamsFlow();
        String teams = hub().ok("POST", CHANNELS, tenant.key(), channel("teams_workflow", "teams", "webhookUrl", flow.url())).path("id").asText();
        hub().ok("POST", hub().baseUrl() + "/sandbox/teams-workflows/setup/workflows/" + flow.id() + "/answers?sig=" + flow.sig(), null,
                Map.of("status", 302, "times", 1));
        JsonNode result = hub().ok("POST", CHANNELS + "/" + teams + "/test", tenant.key(), null);
        assertThat(result.path("delivered").asBoolean()).isFalse();
        assertThat(result.path("status").asInt()).isEqualTo(302);
        assertThat(result.path("error").asText()).contains("redirect");
        assertThat(result.path("health").asText()).isEqualTo("unhealthy");
    }

    @Test
    default void anEventCommittedToTheStreamReachesTheChannel() {
        HubClient.Tenant tenant = hub().newTenant(ADMIN_KEY);
        SlackHook hook = slackHook("stream");
        hub().ok("POST", CHANNELS, tenant.key(), channel("slack_webhook", "stream", "webhookUrl", hook.url(), "groupWaitSeconds", 0,
                "eventTypes", List.of("integration.auth_failed")));
        context().getBean(EventStore.class).append(tenant.id(), "integration.auth_failed", "int-stream", EventStore.data("integrationId", "int-stream", "provider", "hubspot",
                "error", "refresh token revoked"));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(delivered(slackPosts(hook))).hasSize(1));
        assertThat(delivered(slackPosts(hook)).get(0).path("text").asText()).isEqualTo("Credentials refused: hubspot integration int-stream");
    }

    @Test
    default void eventsCommittedWhileTheConsumerIsDownReachTheChannelWhenItIsBack() throws Exception {
        HubClient.Tenant tenant = hub().newTenant(ADMIN_KEY);
        SlackHook hook = slackHook("durable");
        hub().ok("POST", CHANNELS, tenant.key(), channel("slack_webhook", "durable", "webhookUrl", hook.url(), "groupWaitSeconds", 0,
                "eventTypes", List.of("integration.auth_failed")));
        org.apache.camel.CamelContext camel = context().getBean(org.apache.camel.CamelContext.class);
        camel.getRouteController().stopRoute("notifications-events");
        try {
            context().getBean(EventStore.class).append(tenant.id(), "integration.auth_failed", "int-durable",
                    EventStore.data("integrationId", "int-durable", "provider", "hubspot", "error", "refresh token revoked"));
            // relayed to the topic while no consumer listens: the durable subscription keeps it
            await().atMost(TIMEOUT).until(() -> context().getBean(EventStore.class).countUnrelayed() == 0);
            assertThat(delivered(slackPosts(hook))).isEmpty();
        } finally {
            camel.getRouteController().startRoute("notifications-events");
        }
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(delivered(slackPosts(hook))).hasSize(1));
    }

    @Test
    default void aSyncsRecordChangesDoNotHoldUpAnOperatorEvent() {
        HubClient.Tenant tenant = hub().newTenant(ADMIN_KEY);
        SlackHook hook = slackHook("busy");
        hub().ok("POST", CHANNELS, tenant.key(), channel("slack_webhook", "busy", "webhookUrl", hook.url(), "groupWaitSeconds", 0,
                "eventTypes", List.of("*")));
        EventStore events = context().getBean(EventStore.class);
        List<store.Event.New> changes = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            changes.add(new store.Event.New(tenant.id(), "shard.created", "shard-" + i, EventStore.data("shardType", "c_contact")));
        }
        events.appendAll(changes);
        events.append(tenant.id(), "integration.auth_failed", "int-busy", EventStore.data("integrationId", "int-busy", "provider", "hubspot",
                "error", "refresh token revoked"));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(delivered(slackPosts(hook))).hasSize(1));
        assertThat(delivered(slackPosts(hook)).get(0).path("text").asText()).contains("Credentials refused");
    }
}
