package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import hub.EmbeddedHubTest;
import hub.HubClient;
import processors.sync.SyncDispatcher;
import store.SyncTask;
import store.SyncTaskStore;

/** How sync runs behave beyond the happy path: bad records, record limits, schedules, provider errors. */
class SyncBehaviourTest extends EmbeddedHubTest {

    @Autowired
    SyncDispatcher dispatcher;
    @Autowired
    SyncTaskStore tasks;
    @Autowired
    org.apache.camel.CamelContext camel;

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Test
    void badRecordIsCountedWithItsReasonAndTheRestOfTheBatchIsKept() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        String org = org("bad");
        // this integration insists every company has a website
        String integration = hub.connectedSalesforce(key, org, Map.of("fieldMappings",
                Map.of("Account", List.of(Map.of("target", "domain", "source", "Website", "required", true, "transform", List.of("trim"))))));
        String token = hub.sandboxToken(org);
        // the seeded world leaves some websites blank; two more are cleared "in Salesforce"
        List<JsonNode> accounts = new ArrayList<>();
        sandboxQuery(hub, token, "SELECT Id FROM Account WHERE Website != null ORDER BY SystemModstamp LIMIT 2").get("records")
                .forEach(accounts::add);
        for (JsonNode account : accounts) {
            Map<String, Object> noWebsite = new HashMap<>();
            noWebsite.put("Website", null);
            assertThat(hub.sandbox("PATCH", token, "/sobjects/Account/" + account.get("Id").asText(), noWebsite).status()).isEqualTo(204);
        }
        Set<String> withoutWebsite = new HashSet<>();
        sandboxQuery(hub, token, "SELECT Id FROM Account WHERE Website = null").get("records")
                .forEach(r -> withoutWebsite.add(r.get("Id").asText()));
        assertThat(withoutWebsite).hasSizeBetween(3, 500).contains(accounts.get(0).get("Id").asText(), accounts.get(1).get("Id").asText());
        int failed = withoutWebsite.size();
        JsonNode execution = hub.runAndWait(key, integration, hub.task(key, integration, "Account", "full"), TIMEOUT);
        assertThat(execution.get("status").asText()).isEqualTo("partial");
        assertThat(execution.get("recordsProcessed").asLong()).isEqualTo(1000);
        assertThat(execution.get("recordsCreated").asLong()).isEqualTo(1000 - failed);
        assertThat(execution.get("recordsFailed").asLong()).isEqualTo(failed);
        JsonNode failures = execution.get("failures");
        // the execution shows the first 100
        assertThat(failures).hasSize(Math.min(failed, 100));
        failures.forEach(f -> {
            assertThat(withoutWebsite).contains(f.get("externalId").asText());
            assertThat(f.get("reason").asText()).contains("domain");
        });
        String executions = "/api/tenant/integrations/" + integration + "/executions?status=";
        assertThat(hub.ok("GET", executions + "partial", key, null).get("items")).singleElement()
                .satisfies(e -> assertThat(e.get("id").asText()).isEqualTo(execution.get("id").asText()));
        assertThat(hub.ok("GET", executions + "completed", key, null).get("items")).isEmpty();
        assertThat(hub.allShards(key, "c_company")).hasSize(1000 - failed);
    }

    @Test
    void maxRecordsPerSyncStopsTheRunAndTheNextRunContinuesWithoutDuplicates() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        String integration = hub.connectedSalesforce(key, org("max"), Map.of("maxRecordsPerSync", 300));
        String task = hub.task(key, integration, "Account", "full");
        long created = 0;
        for (int run = 1; run <= 4; run++) {
            JsonNode execution = hub.runAndWait(key, integration, task, TIMEOUT);
            assertThat(execution.get("status").asText()).isEqualTo("completed");
            assertThat(execution.get("recordsProcessed").asLong()).isLessThanOrEqualTo(300);
            assertThat(execution.get("morePending").asBoolean()).as("run " + run).isEqualTo(run < 4);
            created += execution.get("recordsCreated").asLong();
        }
        assertThat(created).isEqualTo(1000);
        assertThat(hub.allShards(key, "c_company")).hasSize(1000);
    }

    @Test
    void aRecordLimitSmallerThanABurstOfSameSecondChangesStillMovesForward() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        String org = org("burst");
        String integration = hub.connectedSalesforce(key, org, Map.of());
        assertThat(hub.runAndWait(key, integration, hub.task(key, integration, "Account", "full"), TIMEOUT).get("recordsCreated").asLong())
                .isEqualTo(1000);
        hub.ok("PATCH", "/api/tenant/integrations/" + integration, key, Map.of("maxRecordsPerSync", 5));
        String token = hub.sandboxToken(org);
        List<JsonNode> accounts = hub.sandboxRecords(token, "Account", "Id", 30);
        for (JsonNode account : accounts) {
            // a bulk change: Salesforce stamps many records within the same second, and compares to the second
            hub.sandbox("PATCH", token, "/sobjects/Account/" + account.get("Id").asText(), Map.of("Description", "bulk edit"));
        }
        String incremental = hub.task(key, integration, "Account", "incremental");
        long updated = 0;
        int runs = 0;
        JsonNode execution;
        do {
            execution = hub.runAndWait(key, integration, incremental, TIMEOUT);
            updated += execution.get("recordsUpdated").asLong();
            runs++;
        } while (execution.get("morePending").asBoolean() && runs < 30);
        assertThat(execution.get("morePending").asBoolean()).as("still pending after " + runs + " runs").isFalse();
        assertThat(updated).isEqualTo(30);
    }

    @Test
    void scheduledTaskRunsOnItsOwn() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        String integration = hub.connectedSalesforce(key, org("cron"), Map.of());
        String task = hub.ok("POST", "/api/tenant/integrations/" + integration + "/tasks", key,
                Map.of("entity", "Opportunity", "mode", "incremental", "schedule", "2s")).get("id").asText();
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
            JsonNode executions = hub.ok("GET", "/api/tenant/integrations/" + integration + "/executions", key, null).get("items");
            return executions.size() > 0 && executions.get(executions.size() - 1).get("status").asText().equals("completed");
        });
        JsonNode first = last(hub.ok("GET", "/api/tenant/integrations/" + integration + "/executions", key, null).get("items"));
        assertThat(first.get("trigger").asText()).isEqualTo("scheduled");
        assertThat(first.get("taskId").asText()).isEqualTo(task);
        assertThat(first.get("recordsCreated").asLong()).isEqualTo(1000);
        hub.ok("PATCH", "/api/tenant/integrations/" + integration + "/tasks/" + task, key, Map.of("enabled", false));
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void wrongCredentialsGiveTheProvidersReasonAndNoSecret(CapturedOutput logs) {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        String integration = hub.ok("POST", "/api/tenant/integrations", key, Map.of("providerId", "salesforce", "name", "x")).get("id").asText();
        Map<String, Object> credentials = new HashMap<>(hub.sandboxCredentials(org("auth")));
        credentials.put("password", "Wr0ng-Passw0rd!");
        JsonNode result = hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", key, Map.of("credentials", credentials));
        assertThat(result.get("ok").asBoolean()).isFalse();
        assertThat(result.get("message").asText()).contains("authentication failure");
        assertThat(result.toString()).doesNotContain("Wr0ng-Passw0rd!").doesNotContain("sandbox-secret");
        JsonNode connection = hub.ok("GET", "/api/tenant/integrations/" + integration + "/connection", key, null);
        assertThat(connection.get("status").asText()).isEqualTo("error");
        assertThat(connection.toString()).doesNotContain("Wr0ng-Passw0rd!").doesNotContain("sandbox-secret");
        assertThat(hub.ok("GET", "/api/tenant/integrations/" + integration, key, null).get("status").asText()).isEqualTo("error");
        assertThat(logs.getAll()).contains("authentication failure").doesNotContain("Wr0ng-Passw0rd!").doesNotContain("sandbox-secret");
    }

    @Test
    void disconnectedIntegrationCannotRunAndReconnectRestoresIt() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        String org = org("reconnect");
        String integration = hub.connectedSalesforce(key, org, Map.of());
        String task = hub.task(key, integration, "Opportunity", "full");
        assertThat(hub.ok("POST", "/api/tenant/integrations/" + integration + "/disconnect", key, null).get("status").asText())
                .isEqualTo("disconnected");
        assertThat(hub.call("POST", "/api/tenant/integrations/" + integration + "/connection/test", key, null).status()).isEqualTo(409);
        assertThat(hub.call("POST", "/api/tenant/integrations/" + integration + "/tasks/" + task + "/run", key, null).status()).isEqualTo(409);
        hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", key, Map.of("credentials", hub.sandboxCredentials(org)));
        JsonNode test = hub.ok("POST", "/api/tenant/integrations/" + integration + "/connection/test", key, null);
        assertThat(test.get("ok").asBoolean()).isTrue();
        assertThat(hub.runAndWait(key, integration, task, TIMEOUT).get("status").asText()).isEqualTo("completed");
    }

    @Test
    void runsQueuedOnTheWebhookQueueAreConsumedToo() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        String integration = hub.connectedSalesforce(key, org("webhook"), Map.of());
        String taskId = hub.task(key, integration, "Opportunity", "incremental");
        String tenantId = hub.ok("GET", "/api/tenant/integrations/" + integration + "/tasks/" + taskId, key, null).get("tenantId").asText();
        SyncTask task = tasks.find(tenantId, integration, taskId).orElseThrow();
        String executionId = dispatcher.dispatch(task, SyncDispatcher.TRIGGER_WEBHOOK).id();
        JsonNode execution = hub.awaitExecution(key, integration, executionId, TIMEOUT);
        assertThat(execution.get("trigger").asText()).isEqualTo("webhook");
        assertThat(execution.get("status").asText()).isEqualTo("completed");
        assertThat(execution.get("recordsCreated").asLong()).isEqualTo(1000);
    }

    @Test
    void runsAskedForWhileOneIsQueuedJoinItAndAFullTaskWidensIt() throws Exception {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        String integration = hub.connectedSalesforce(key, org("join"), Map.of());
        String incremental = hub.task(key, integration, "Opportunity", "incremental");
        String full = hub.task(key, integration, "Opportunity", "full");
        String base = "/api/tenant/integrations/" + integration + "/tasks/";
        camel.getRouteController().stopRoute("sync-inbound-scheduled");
        String first;
        try {
            first = hub.ok("POST", base + incremental + "/run", key, null).get("executionId").asText();
            assertThat(hub.ok("POST", base + incremental + "/run", key, null).get("executionId").asText()).isEqualTo(first);
            assertThat(hub.ok("POST", base + full + "/run", key, null).get("executionId").asText()).isEqualTo(first);
        } finally {
            camel.getRouteController().startRoute("sync-inbound-scheduled");
        }
        JsonNode run = hub.awaitExecution(key, integration, first, TIMEOUT);
        assertThat(run.get("status").asText()).isEqualTo("completed");
        assertThat(run.get("mode").asText()).as("widened by the full task").isEqualTo("full");
        assertThat(run.get("recordsCreated").asLong()).isEqualTo(1000);
        assertThat(hub.ok("GET", "/api/tenant/integrations/" + integration + "/executions", key, null).get("items")).hasSize(1);
        // once it has run, the next ask is a run of its own
        assertThat(hub.runAndWait(key, integration, incremental, TIMEOUT).get("id").asText()).isNotEqualTo(first);
    }

    private static JsonNode last(JsonNode items) {
        return items.get(items.size() - 1);
    }

    private static JsonNode sandboxQuery(HubClient hub, String token, String soql) {
        HubClient.Response r = hub.sandbox("GET", token, "/query?q="
                + URLEncoder.encode(soql, StandardCharsets.UTF_8).replace("+", "%20"), null);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body();
    }

    private static String org(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
