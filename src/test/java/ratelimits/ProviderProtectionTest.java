package ratelimits;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.management.ObjectName;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.assertj.core.data.Offset;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.TestProviderAdapter;
import processors.sync.SyncDispatcher;
import store.SyncTaskStore;

/**
 * Provider protection end to end on the embedded hub: the Salesforce adapter against the sandbox
 * with its per-org limit switched on (it counts every refused call), and the test provider for
 * outages and slow providers.
 */
class ProviderProtectionTest extends EmbeddedHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Autowired
    TestProviderAdapter provider;
    @Autowired
    MeterRegistry meters;
    @Autowired
    CamelContext camel;
    @Autowired
    SyncDispatcher dispatcher;
    @Autowired
    SyncTaskStore tasks;

    @Test
    void aLongSyncAgainstATighterSandboxLimitEndsWithZeroViolationsAndNoFasterThanTheLimit() {
        HubClient hub = hub();
        SandboxIntegration sf = sandboxIntegration(hub, "rl-long");
        sandboxLimit(hub, sf.token(), 4, 2);
        hub.ok("PUT", limitsPath(sf.integration()), sf.key(), Map.of("integration", Map.of("requests", 4, "windowSeconds", 2)));
        double requeuedBefore = requeued();

        // 2,000 contacts in pages of 200: ten query calls at least, four per two seconds
        JsonNode run = hub.runAndWait(sf.key(), sf.integration(), hub.task(sf.key(), sf.integration(), "Contact", "full"), TIMEOUT);

        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("completed");
        // a run re-queued mid-pass resumes from its checkpoint and re-reads the records of that second as unchanged
        assertThat(run.get("recordsCreated").asLong()).as(run.toString()).isEqualTo(2000);
        assertThat(hub.allShards(sf.key(), "c_contact")).hasSize(2000);
        assertThat(sandboxState(hub, sf.token()).get("violations").asLong()).isZero();
        // the tenth call cannot come before two full windows have passed
        assertThat(run.get("durationMs").asLong()).isGreaterThanOrEqualTo(4000);
        assertThat(requeued()).as("the run waited on the queue, not on a thread").isGreaterThan(requeuedBefore);
        JsonNode limits = hub.ok("GET", limitsPath(sf.integration()), sf.key(), null);
        assertThat(limits.at("/limits/1/source").asText()).isEqualTo("integration override");
        assertThat(limits.at("/limits/1/requests").asLong()).isEqualTo(4);
    }

    @Test
    void theHubSlowsDownAsTheSandboxReportsAShrinkingBudget() {
        HubClient hub = hub();
        SandboxIntegration sf = sandboxIntegration(hub, "rl-adapt");
        sandboxLimit(hub, sf.token(), 14, 120);
        JsonNode before = hub.ok("GET", limitsPath(sf.integration()), sf.key(), null);
        assertThat(before.get("multiplier").asDouble()).isEqualTo(1.0);

        JsonNode run = hub.runAndWait(sf.key(), sf.integration(), hub.task(sf.key(), sf.integration(), "Contact", "full"), TIMEOUT);
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("completed");

        long used = sandboxState(hub, sf.token()).get("used").asLong();
        assertThat(used).isBetween(10L, 14L);
        JsonNode after = hub.ok("GET", limitsPath(sf.integration()), sf.key(), null);
        double remainingShare = (14 - used) / 14.0;
        assertThat(after.at("/providerBudget/limit").asLong()).isEqualTo(14);
        assertThat(after.at("/providerBudget/remaining").asLong()).isEqualTo(14 - used);
        assertThat(after.get("multiplier").asDouble()).isCloseTo(0.5 + remainingShare, Offset.offset(0.001));
        assertThat(after.get("multiplier").asDouble()).isLessThan(1.0);
        assertThat(after.at("/limits/1/level").asText()).isEqualTo("integration");
        long providerDefault = after.at("/limits/1/requests").asLong();
        // this test context sets Salesforce's default (hub.rate-limits.providers.salesforce)
        assertThat(after.at("/limits/1/source").asText()).isEqualTo("hub setting");
        assertThat(after.at("/limits/1/effectiveRequests").asLong())
                .isEqualTo((long) Math.floor(providerDefault * after.get("multiplier").asDouble())).isLessThan(providerDefault);
    }

    @Test
    void aRefusalsRetryAfterIsHonouredAndTheSyncStillCompletes() {
        HubClient hub = hub();
        SandboxIntegration sf = sandboxIntegration(hub, "rl-retry");
        // the hub does not know this limit (its own is Salesforce's 300/min): it learns it from the refusals
        sandboxLimit(hub, sf.token(), 3, 3);

        JsonNode run = hub.runAndWait(sf.key(), sf.integration(), hub.task(sf.key(), sf.integration(), "Contact", "full"), TIMEOUT);

        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("completed");
        assertThat(run.get("recordsCreated").asLong()).as(run.toString()).isEqualTo(2000);
        long violations = sandboxState(hub, sf.token()).get("violations").asLong();
        // each refusal is followed by a wait of Retry-After: at most one refused call per window of three calls
        assertThat(violations).isBetween(1L, 4L);
        assertThat(run.get("durationMs").asLong()).isGreaterThanOrEqualTo(6000);
    }

    @Test
    void maxRecordsPerSyncHoldsAcrossThrottledRequeues() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        String org = "rl-max-" + UUID.randomUUID().toString().substring(0, 6);
        String integration = hub.connectedSalesforce(key, org, Map.of("maxRecordsPerSync", 500));
        // one call a second: every page after the first waits on the queue
        hub.ok("PUT", limitsPath(integration), key, Map.of("integration", Map.of("requests", 2, "windowSeconds", 1)));

        JsonNode run = hub.runAndWait(key, integration, hub.task(key, integration, "Contact", "full"), TIMEOUT);

        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("completed");
        assertThat(run.get("morePending").asBoolean()).isTrue();
        assertThat(run.get("recordsProcessed").asLong()).as(run.toString()).isEqualTo(500);
        assertThat(hub.allShards(key, "c_contact")).hasSizeLessThanOrEqualTo(500);
    }

    @Test
    void aCreatedRecordWhoseReReadIsRefusedIsLinkedAndNotCreatedAgain() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        String integration = hub.ok("POST", "/api/tenant/integrations", tenant.key(), Map.of("providerId", TestProviderAdapter.PROVIDER_ID,
                "name", "create-once", "syncDirection", "bidirectional")).get("id").asText();
        hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", tenant.key(),
                Map.of("credentials", Map.of("ttlMinutes", "60")));
        provider.refuseNextRecordRead(tenant.id());

        String shardId = hub.ok("POST", "/api/tenant/shards", tenant.key(), Map.of("integrationId", integration, "shardType", "c_company",
                "structuredData", Map.of("name", "Created Once", "phone", "+1 111"))).get("id").asText();

        Awaitility.await().atMost(TIMEOUT).until(() -> "done".equals(
                hub.ok("GET", "/api/tenant/shards/" + shardId + "/writes", tenant.key(), null).at("/items/0/status").asText()));
        assertThat(provider.itemCount(tenant.id())).isEqualTo(1);
        assertThat(hub.ok("GET", "/api/tenant/shards/" + shardId, tenant.key(), null).at("/externalRelationships/0/externalId").asText())
                .startsWith("item-");
    }

    @Test
    void aFailingProviderOpensTheCircuitWhichFailsFastThenProbesAndCloses() throws Exception {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        String integration = testIntegration(hub, tenant.key(), "outage");
        provider.seedItem(tenant.id(), "Outage Ltd", "+1 555");
        provider.failFetches(tenant.id(), 1000);

        // the run tries four times (three redeliveries), waits on its queue and tries again: the circuit opens at the
        // tenth failed call
        String task = hub.task(tenant.key(), integration, "Item", "full");
        String executionId = hub.ok("POST", "/api/tenant/integrations/" + integration + "/tasks/" + task + "/run", tenant.key(), null)
                .get("executionId").asText();
        String path = "/api/tenant/integrations/" + integration + "/executions/" + executionId;
        // the open circuit fails the retry fast, and the run waits on the queue for the probe time instead of failing
        // (while the provider stays down the run cycles: waiting, a failed probe, waiting again)
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonNode waiting = hub.ok("GET", path, tenant.key(), null);
            return "circuit-open".equals(waiting.get("phase").asText()) && "pending".equals(waiting.get("status").asText())
                    && hub.ok("GET", limitsPath(integration), tenant.key(), null).at("/queued/syncs").asLong() == 1
                    && meters.get("hub.sync.queued").gauge().value() >= 1;
        });
        JsonNode open = hub.ok("GET", limitsPath(integration), tenant.key(), null);
        assertThat(open.at("/circuit/state").asText()).isIn("OPEN", "HALF_OPEN");
        assertThat(open.at("/circuit/failedCalls").asInt()).isGreaterThanOrEqualTo(5);
        JsonNode health = hub.ok("GET", "/actuator/health", ADMIN_KEY, null);
        assertThat(health.at("/components/circuitBreakers/details/integrations/" + integration).asText()).isIn("OPEN", "HALF_OPEN");
        ObjectName mbean = new ObjectName("castiel.hub:type=CircuitBreaker,integration=" + ObjectName.quote(integration));
        assertThat(ManagementFactory.getPlatformMBeanServer().getAttribute(mbean, "State")).isIn("OPEN", "HALF_OPEN");

        provider.failFetches(tenant.id(), 0);
        JsonNode recovered = hub.awaitExecution(tenant.key(), integration, executionId, TIMEOUT);
        assertThat(recovered.get("status").asText()).as(recovered.toString()).isEqualTo("completed");
        assertThat(hub.ok("GET", limitsPath(integration), tenant.key(), null).at("/circuit/state").asText()).isEqualTo("CLOSED");
    }

    @Test
    void aTenantRunsNoMoreSyncsAtOnceThanItsLimit() {
        HubClient hub = hub();
        HubClient.Tenant limited = hub.newTenant(ADMIN_KEY);
        List<String> integrations = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            integrations.add(testIntegration(hub, limited.key(), "slow-" + i));
        }
        provider.seedItem(limited.id(), "Slow Ltd", "+1 000");
        provider.slowFetches(limited.id(), Duration.ofMillis(700));
        hub.ok("PUT", "/api/tenant/rate-limits", limited.key(), Map.of("maxConcurrentSyncs", 1));
        double deferredBefore = counter("hub.sync.concurrency.deferred");

        List<JsonNode> runs = runTogether(hub, limited.key(), integrations);

        for (int i = 0; i < runs.size(); i++) {
            for (int j = i + 1; j < runs.size(); j++) {
                assertThat(overlap(runs.get(i), runs.get(j))).as("runs %s and %s overlap", i, j).isFalse();
            }
        }
        assertThat(counter("hub.sync.concurrency.deferred")).isGreaterThan(deferredBefore);
        assertThat(hub.ok("GET", limitsPath(integrations.get(1)), limited.key(), null).at("/tenantSyncs/maxConcurrentSyncs").asInt())
                .isEqualTo(1);
    }

    @Test
    void manualRunsGoBeforeABackedUpQueueOfScheduledOnes() throws Exception {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        provider.seedItem(tenant.id(), "Queued Ltd", "+1 000");
        // each run takes a while, so the order runs start in is the order they were taken from the queue
        provider.slowFetches(tenant.id(), Duration.ofMillis(300));
        List<String> scheduled = new ArrayList<>();
        camel.getRouteController().stopRoute("sync-inbound-scheduled");
        try {
            for (int i = 0; i < 8; i++) {
                String integration = testIntegration(hub, tenant.key(), "scheduled-" + i);
                String task = hub.task(tenant.key(), integration, "Item", "full");
                scheduled.add(dispatcher.dispatch(tasks.find(tenant.id(), integration, task).orElseThrow(), SyncDispatcher.TRIGGER_SCHEDULED).id());
            }
            String manualIntegration = testIntegration(hub, tenant.key(), "manual");
            String manualTask = hub.task(tenant.key(), manualIntegration, "Item", "full");
            String manual = hub.ok("POST", "/api/tenant/integrations/" + manualIntegration + "/tasks/" + manualTask + "/run", tenant.key(), null)
                    .get("executionId").asText();
            camel.getRouteController().startRoute("sync-inbound-scheduled");

            JsonNode manualRun = hub.awaitExecution(tenant.key(), manualIntegration, manual, TIMEOUT);
            OffsetDateTime manualStart = OffsetDateTime.parse(manualRun.get("startedAt").asText());
            int startedBefore = 0;
            for (String id : scheduled) {
                JsonNode run = awaitAny(hub, tenant.key(), id);
                if (OffsetDateTime.parse(run.get("startedAt").asText()).isBefore(manualStart)) {
                    startedBefore++;
                }
            }
            // two consumers: at most the one scheduled run taken beside the manual one starts first
            assertThat(startedBefore).isLessThanOrEqualTo(1);
        } finally {
            if (!camel.getRouteController().getRouteStatus("sync-inbound-scheduled").isStarted()) {
                camel.getRouteController().startRoute("sync-inbound-scheduled");
            }
        }
    }

    @Test
    void overridesAreValidatedAndEachTenantSeesOnlyItsOwn() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        String integration = testIntegration(hub, key, "limits-api");
        String path = limitsPath(integration);

        JsonNode defaults = hub.ok("GET", path, key, null);
        assertThat(defaults.at("/limits/0/level").asText()).isEqualTo("tenant");
        assertThat(defaults.at("/limits/0/requests").asLong()).isEqualTo(5000);
        assertThat(defaults.at("/limits/0/windowSeconds").asLong()).isEqualTo(60);
        assertThat(defaults.at("/limits/1/source").asText()).isEqualTo("provider default");
        assertThat(defaults.get("multiplier").asDouble()).isEqualTo(1.0);
        assertThat(defaults.at("/circuit/state").asText()).isEqualTo("CLOSED");
        assertThat(defaults.at("/queued/syncs").asLong()).isZero();
        assertThat(defaults.at("/queued/writeBacks").asLong()).isZero();
        assertThat(defaults.at("/tenantSyncs/maxConcurrentSyncs").asInt()).isEqualTo(3);

        JsonNode set = hub.ok("PUT", path, key, Map.of("integration", Map.of("requests", 120), "operations",
                Map.of("update", Map.of("requests", 10, "windowSeconds", 10))));
        assertThat(set.at("/limits/1/requests").asLong()).isEqualTo(120);
        assertThat(set.at("/limits/1/source").asText()).isEqualTo("integration override");
        assertThat(set.at("/limits/2/operation").asText()).isEqualTo("update");
        assertThat(set.at("/limits/2/windowSeconds").asLong()).isEqualTo(10);
        assertThat(set.at("/overrides/integration/integration/requests").asLong()).isEqualTo(120);

        // the tenant's own limit, its concurrency, and defaults for integrations without their own
        JsonNode tenantSet = hub.ok("PUT", "/api/tenant/rate-limits", key, Map.of("tenant", Map.of("requests", 2000), "maxConcurrentSyncs", 5,
                "integration", Map.of("requests", 90), "operations", Map.of("delete", Map.of("requests", 7))));
        assertThat(tenantSet.at("/tenant/requests").asLong()).isEqualTo(2000);
        assertThat(tenantSet.at("/tenant/source").asText()).isEqualTo("tenant override");
        assertThat(tenantSet.at("/syncs/maxConcurrentSyncs").asInt()).isEqualTo(5);
        JsonNode layered = hub.ok("GET", path, key, null);
        assertThat(layered.at("/limits/0/requests").asLong()).isEqualTo(2000);
        assertThat(layered.at("/limits/1/requests").asLong()).as("the integration's own override wins").isEqualTo(120);
        assertThat(layered.at("/limits/3/operation").asText()).isEqualTo("delete");
        assertThat(layered.at("/limits/3/source").asText()).isEqualTo("tenant override");
        assertThat(layered.at("/tenantSyncs/maxConcurrentSyncs").asInt()).isEqualTo(5);
        String second = testIntegration(hub, key, "limits-api-2");
        assertThat(hub.ok("GET", limitsPath(second), key, null).at("/limits/1/requests").asLong()).as("the tenant's default").isEqualTo(90);
        expect400(hub, key, path, Map.of("tenant", Map.of("requests", 10)), "tenant");
        expect400(hub, key, path, Map.of("maxConcurrentSyncs", 2), "maxConcurrentSyncs");
        expect400(hub, key, "/api/tenant/rate-limits", Map.of("maxConcurrentSyncs", 11), "maxConcurrentSyncs");
        expect400(hub, key, "/api/tenant/rate-limits", Map.of("maxConcurrentSyncs", 0), "maxConcurrentSyncs");
        expect400(hub, key, "/api/tenant/rate-limits", Map.of("tenant", Map.of("requests", 0)), "tenant.requests");

        expect400(hub, key, path, Map.of("integration", Map.of("requests", -5)), "integration.requests");
        expect400(hub, key, path, Map.of("integration", Map.of("requests", 0)), "integration.requests");
        expect400(hub, key, path, Map.of("integration", Map.of("requests", 50_000_000)), "integration.requests");
        expect400(hub, key, path, Map.of("integration", Map.of("requests", 100_000, "windowSeconds", 1)), "integration");
        expect400(hub, key, path, Map.of("integration", Map.of("requests", 10, "windowSeconds", 0)), "integration.windowSeconds");
        expect400(hub, key, path, Map.of("integration", Map.of("requests", "many")), "integration.requests");
        expect400(hub, key, path, Map.of("operations", Map.of("upsert", Map.of("requests", 10))), "operations.upsert");
        expect400(hub, key, path, Map.of("burst", 3), "burst");
        assertThat(hub.call("PUT", path, key, "[1]").status()).isEqualTo(400);
        assertThat(hub.ok("GET", path, key, null).at("/limits/1/requests").asLong()).as("refused changes leave the limits").isEqualTo(120);

        String otherKey = hub.newTenantKey(ADMIN_KEY);
        assertThat(hub.ok("GET", "/api/tenant/rate-limits", otherKey, null).at("/tenant/requests").asLong()).isEqualTo(5000);
        assertThat(hub.call("GET", path, otherKey, null).status()).isEqualTo(404);
        assertThat(hub.call("PUT", path, otherKey, Map.of("integration", Map.of("requests", 1))).status()).isEqualTo(404);
        assertThat(hub.call("POST", path + "/reset", otherKey, null).status()).isEqualTo(404);

        JsonNode reset = hub.ok("POST", path + "/reset", key, null);
        assertThat(reset.get("multiplier").asDouble()).isEqualTo(1.0);
        assertThat(reset.at("/limits/1/availableNow").asDouble()).isEqualTo((double) BucketShapes.burst(Limit.perMinute(120)));
        JsonNode cleared = hub.ok("PUT", path, key, Map.of());
        assertThat(cleared.at("/limits/1/source").asText()).isEqualTo("tenant override");
        hub.ok("PUT", "/api/tenant/rate-limits", key, Map.of());
        assertThat(hub.ok("GET", path, key, null).at("/limits/1/source").asText()).isEqualTo("provider default");
    }

    // ------------------------------------------------------------------ helpers

    private static String limitsPath(String integration) {
        return "/api/tenant/integrations/" + integration + "/rate-limits";
    }

    /** A tenant with a Salesforce integration on a sandbox org of its own, and a token of that org. */
    private record SandboxIntegration(String key, String integration, String token) {
    }

    private static SandboxIntegration sandboxIntegration(HubClient hub, String prefix) {
        String key = hub.newTenantKey(ADMIN_KEY);
        String org = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
        return new SandboxIntegration(key, hub.connectedSalesforce(key, org, Map.of()), hub.sandboxToken(org));
    }

    private static void sandboxLimit(HubClient hub, String token, int limit, int windowSeconds) {
        hub.ok("POST", hub.sandboxUrl() + "/setup/limits", token, Map.of("rateLimit", limit, "windowSeconds", windowSeconds));
    }

    private static JsonNode sandboxState(HubClient hub, String token) {
        return hub.ok("GET", hub.sandboxUrl() + "/setup/limits", token, null);
    }

    private static void expect400(HubClient hub, String key, String path, Object body, String field) {
        HubClient.Response r = hub.call("PUT", path, key, body);
        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.body().get("field").asText()).as(r.raw()).isEqualTo(field);
    }

    private String testIntegration(HubClient hub, String key, String name) {
        String integration = hub.ok("POST", "/api/tenant/integrations", key, Map.of("providerId", TestProviderAdapter.PROVIDER_ID,
                "name", name)).get("id").asText();
        assertThat(hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", key,
                Map.of("credentials", Map.of("ttlMinutes", "60"))).get("ok").asBoolean()).isTrue();
        return integration;
    }

    private static List<JsonNode> runTogether(HubClient hub, String key, List<String> integrations) {
        List<String[]> started = new ArrayList<>();
        for (String integration : integrations) {
            String task = hub.task(key, integration, "Item", "full");
            started.add(new String[] {integration, hub.ok("POST", "/api/tenant/integrations/" + integration + "/tasks/" + task + "/run", key,
                    null).get("executionId").asText()});
        }
        List<JsonNode> runs = new ArrayList<>();
        for (String[] s : started) {
            JsonNode run = hub.awaitExecution(key, s[0], s[1], TIMEOUT);
            assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("completed");
            runs.add(run);
        }
        return runs;
    }

    private static boolean overlap(JsonNode a, JsonNode b) {
        OffsetDateTime aStart = OffsetDateTime.parse(a.get("startedAt").asText());
        OffsetDateTime aEnd = OffsetDateTime.parse(a.get("finishedAt").asText());
        OffsetDateTime bStart = OffsetDateTime.parse(b.get("startedAt").asText());
        OffsetDateTime bEnd = OffsetDateTime.parse(b.get("finishedAt").asText());
        return aStart.isBefore(bEnd) && bStart.isBefore(aEnd);
    }

    private JsonNode awaitAny(HubClient hub, String key, String executionId) {
        JsonNode[] found = new JsonNode[1];
        Awaitility.await().atMost(TIMEOUT).until(() -> {
            for (JsonNode integration : hub.ok("GET", "/api/tenant/integrations?limit=100", key, null).get("items")) {
                HubClient.Response r = hub.call("GET", "/api/tenant/integrations/" + integration.get("id").asText() + "/executions/" + executionId,
                        key, null);
                if (r.status() == 200 && "completed".equals(r.body().get("status").asText())) {
                    found[0] = r.body();
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    private double requeued() {
        return counter("hub.ratelimit.requeued");
    }

    private double counter(String name) {
        return meters.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
