package providers.dynamics365;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import hub.DynamicsSandbox;
import hub.EmbeddedHubTest;
import hub.HubClient;

/**
 * Write-back to Dynamics 365 over HTTP against the sandbox, through the outbox, the three-way comparison and each
 * conflict strategy: updates (batched: read with a filter, written in a {@code $batch}) conditional on the row's etag
 * (a 412 when the row changed in between is compared again), creates with a lookup bound to its account, deletes. Each
 * test has its own org of 50 accounts.
 */
class DynamicsWriteBackTest extends EmbeddedHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Autowired
    CamelContext camel;

    /** A tenant with a bidirectional Dynamics 365 integration on its own org, its accounts synced. */
    private final class Session {
        final HubClient hub = hub();
        final String key = hub.newTenantKey(ADMIN_KEY);
        final DynamicsSandbox dynamics = new DynamicsSandbox(hub, "wb");
        final String integration;

        Session(Map<String, Object> settings) {
            assertThat(dynamics.setup("POST", "reset", Map.of("accounts", 50)).status()).isBetween(200, 204);
            Map<String, Object> all = new HashMap<>(Map.of("syncDirection", "bidirectional"));
            all.putAll(settings);
            integration = dynamics.connect(key, all);
            assertThat(sync("accounts", "full").get("status").asText()).isEqualTo("completed");
        }

        JsonNode sync(String entity, String mode) {
            return hub.runAndWait(key, integration, hub.task(key, integration, entity, mode), TIMEOUT);
        }

        String accountId(int n) {
            return dynamics.rows("accounts", "accountid").get(n).get("accountid").asText();
        }

        JsonNode shardOf(String type, String externalId) {
            return hub.allShards(key, type).stream().filter(s -> s.at("/externalRelationships/0/externalId").asText().equals(externalId))
                    .findFirst().orElseThrow();
        }

        JsonNode shard(String id) {
            return hub.ok("GET", "/api/tenant/shards/" + id, key, null);
        }

        JsonNode patch(String shardId, Map<String, Object> data) {
            return hub.ok("PATCH", "/api/tenant/shards/" + shardId, key, Map.of("structuredData", data));
        }

        List<JsonNode> writes(String shardId) {
            List<JsonNode> items = new ArrayList<>();
            hub.ok("GET", "/api/tenant/shards/" + shardId + "/writes", key, null).get("items").forEach(items::add);
            return items;
        }

        void awaitWritesFinished(String shardId) {
            Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
                    .until(() -> writes(shardId).stream().allMatch(w -> w.hasNonNull("finishedAt")));
        }

        List<JsonNode> conflicts(String status) {
            List<JsonNode> items = new ArrayList<>();
            hub.ok("GET", "/api/tenant/conflicts" + (status == null ? "" : "?status=" + status), key, null).get("items").forEach(items::add);
            return items;
        }

        String phone(String accountId) {
            return dynamics.row("accounts", accountId).path("telephone1").asText(null);
        }

        /** Dynamics changes the phone to "theirs", then Castiel to "ours", before a sync: a conflict on phone. */
        String[] conflictOnPhone() {
            String accountId = accountId(0);
            String shardId = shardOf("c_company", accountId).get("id").asText();
            dynamics.update("accounts", accountId, Map.of("telephone1", "theirs"));
            patch(shardId, Map.of("phone", "ours"));
            awaitWritesFinished(shardId);
            return new String[] {accountId, shardId};
        }
    }

    @Test
    void aPatchReachesDynamicsConditionallyAndDoesNotComeBackAsAChange() {
        Session s = new Session(Map.of());
        String accountId = s.accountId(0);
        JsonNode shard = s.shardOf("c_company", accountId);
        String etagBefore = s.dynamics.row("accounts", accountId).get("@odata.etag").asText();

        JsonNode patched = s.patch(shard.get("id").asText(), Map.of("name", "Renamed Ltd", "phone", "+1 555 0100",
                "address", Map.of("city", "Oslo")));
        s.awaitWritesFinished(shard.get("id").asText());
        JsonNode row = s.dynamics.row("accounts", accountId);
        assertThat(row.get("name").asText()).isEqualTo("Renamed Ltd");
        assertThat(row.get("telephone1").asText()).isEqualTo("+1 555 0100");
        assertThat(row.get("address1_city").asText()).isEqualTo("Oslo");
        assertThat(row.get("@odata.etag").asText()).isNotEqualTo(etagBefore);
        assertThat(s.writes(shard.get("id").asText()).get(0).get("status").asText()).isEqualTo("done");
        // the link holds the etag the write left, and the hub's own write is no change when it syncs again
        assertThat(s.shard(shard.get("id").asText()).at("/externalRelationships/0/externalVersion").asText())
                .isEqualTo(row.get("@odata.etag").asText());
        JsonNode incremental = s.sync("accounts", "incremental");
        assertThat(incremental.get("recordsUpdated").asLong()).as(incremental.toString()).isZero();
        assertThat(s.shard(shard.get("id").asText()).get("version").asLong()).isEqualTo(patched.get("version").asLong());
        assertThat(s.conflicts(null)).isEmpty();
    }

    @Test
    void manualHoldsTheFieldUntilResolved() {
        Session s = new Session(Map.of("conflictResolution", "manual"));
        String[] c = s.conflictOnPhone();
        JsonNode open = s.conflicts("open").get(0);
        assertThat(open.at("/fields/0/field").asText()).isEqualTo("phone");
        assertThat(open.at("/fields/0/theirs").asText()).isEqualTo("theirs");
        assertThat(s.phone(c[0])).isEqualTo("theirs");
        s.hub.ok("POST", "/api/tenant/conflicts/" + open.get("id").asText() + "/resolve", s.key, Map.of("keep", "ours"));
        s.awaitWritesFinished(c[1]);
        assertThat(s.phone(c[0])).isEqualTo("ours");
        assertThat(s.conflicts("open")).isEmpty();
    }

    @Test
    void castielWinsAndExternalWinsEachTakeTheirSide() {
        Session castiel = new Session(Map.of("conflictResolution", "castiel_wins"));
        String[] c = castiel.conflictOnPhone();
        assertThat(castiel.phone(c[0])).isEqualTo("ours");
        assertThat(castiel.conflicts("resolved").get(0).at("/fields/0/winner").asText()).isEqualTo("castiel");

        Session external = new Session(Map.of("conflictResolution", "external_wins"));
        String[] e = external.conflictOnPhone();
        assertThat(external.phone(e[0])).isEqualTo("theirs");
        assertThat(external.shard(e[1]).at("/structuredData/phone").asText()).isEqualTo("theirs");
        assertThat(external.conflicts("resolved").get(0).at("/fields/0/winner").asText()).isEqualTo("external");
    }

    @Test
    void lastWriteWinsComparesTheShardsChangeWithModifiedOn() throws Exception {
        Session s = new Session(Map.of("conflictResolution", "last_write_wins"));
        // Castiel changes first and Dynamics a second later, while the write-back waits: Dynamics' change is the later one
        String accountId = s.accountId(1);
        String shardId = s.shardOf("c_company", accountId).get("id").asText();
        // the write-back's consumers pause, single and batched (suspended, not stopped: the routes and their step statistics stay
        // as they are)
        camel.getRouteController().suspendRoute("sync-outbound");
        camel.getRouteController().suspendRoute("sync-outbound-batch");
        try {
            s.patch(shardId, Map.of("phone", "ours, earlier"));
            long patchedSecond = Instant.now().getEpochSecond();
            Awaitility.await().atMost(Duration.ofSeconds(3)).until(() -> Instant.now().getEpochSecond() > patchedSecond);
            s.dynamics.update("accounts", accountId, Map.of("telephone1", "theirs, later"));
        } finally {
            camel.getRouteController().resumeRoute("sync-outbound-batch");
            camel.getRouteController().resumeRoute("sync-outbound");
        }
        s.awaitWritesFinished(shardId);
        assertThat(s.phone(accountId)).isEqualTo("theirs, later");
        assertThat(s.shard(shardId).at("/structuredData/phone").asText()).isEqualTo("theirs, later");
        assertThat(s.conflicts("resolved").get(0).at("/fields/0/winner").asText()).isEqualTo("external");

        // the other way round, Castiel's change is the later one
        String[] c = s.conflictOnPhone();
        assertThat(s.phone(c[0])).isEqualTo("ours");
    }

    @Test
    void mergeAndFieldPriorityCombineBothSides() {
        Session merge = new Session(Map.of("conflictResolution", "merge", "writeBack", Map.of("fallback", "external_wins")));
        String accountId = merge.accountId(2);
        String shardId = merge.shardOf("c_company", accountId).get("id").asText();
        merge.dynamics.update("accounts", accountId, Map.of("telephone1", "their phone", "description", "their text"));
        merge.patch(shardId, Map.of("name", "Our Name", "description", "our text"));
        merge.awaitWritesFinished(shardId);
        JsonNode row = merge.dynamics.row("accounts", accountId);
        assertThat(row.get("name").asText()).isEqualTo("Our Name");
        assertThat(row.get("telephone1").asText()).isEqualTo("their phone");
        assertThat(row.get("description").asText()).isEqualTo("their text");

        Session priority = new Session(Map.of("conflictResolution", "field_priority",
                "writeBack", Map.of("fieldPriority", Map.of("name", "castiel", "phone", "external"))));
        String other = priority.accountId(3);
        String otherShard = priority.shardOf("c_company", other).get("id").asText();
        priority.dynamics.update("accounts", other, Map.of("name", "Their Name", "telephone1", "their phone"));
        priority.patch(otherShard, Map.of("name", "Our Name", "phone", "our phone"));
        priority.awaitWritesFinished(otherShard);
        assertThat(priority.dynamics.row("accounts", other).get("name").asText()).isEqualTo("Our Name");
        assertThat(priority.phone(other)).isEqualTo("their phone");
    }

    @Test
    void aRowChangedBetweenReadAndWriteGetsA412AndIsComparedAgain() throws Exception {
        Session s = new Session(Map.of());
        String accountId = s.accountId(4);
        String shardId = s.shardOf("c_company", accountId).get("id").asText();
        AtomicInteger conditionalWrites = new AtomicInteger();
        AtomicReference<Throwable> raceFailed = new AtomicReference<>();
        // just before the hub's first conditional PATCH of the row leaves, someone else changes the row in Dynamics
        EventNotifierSupport racer = new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (!conditionalWriteOf(((CamelEvent.ExchangeSendingEvent) event).getExchange(), accountId)) {
                    return;
                }
                if (conditionalWrites.incrementAndGet() == 1) {
                    try {
                        s.dynamics.update("accounts", accountId, Map.of("description", "changed meanwhile"));
                    } catch (Throwable t) {
                        raceFailed.set(t);
                    }
                }
            }

            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.ExchangeSendingEvent sending
                        && sending.getEndpoint().getEndpointUri().startsWith(DataverseHttp.SCHEME);
            }
        };
        racer.start();
        camel.getManagementStrategy().addEventNotifier(racer);
        try {
            s.patch(shardId, Map.of("phone", "+1 555 0412"));
            s.awaitWritesFinished(shardId);
        } finally {
            camel.getManagementStrategy().removeEventNotifier(racer);
            racer.stop();
        }
        assertThat(raceFailed.get()).isNull();
        assertThat(conditionalWrites.get()).as("the stale write was refused (412) and a second round wrote").isEqualTo(2);
        JsonNode row = s.dynamics.row("accounts", accountId);
        assertThat(row.get("telephone1").asText()).isEqualTo("+1 555 0412");
        assertThat(row.get("description").asText()).isEqualTo("changed meanwhile");
        assertThat(s.writes(shardId).get(0).get("status").asText()).isEqualTo("done");
        assertThat(s.shard(shardId).at("/structuredData/description").asText()).as("the other change came into the shard")
                .isEqualTo("changed meanwhile");
    }

    /** A PATCH of the row with an etag in If-Match, alone or within a {@code $batch}. */
    private static boolean conditionalWriteOf(Exchange exchange, String rowId) {
        String method = String.valueOf(exchange.getIn().getHeader(Exchange.HTTP_METHOD));
        String uri = String.valueOf(exchange.getIn().getHeader(Exchange.HTTP_URI));
        if ("POST".equals(method) && uri.endsWith("/$batch")) {
            return java.util.regex.Pattern.compile("PATCH \\S+\\(" + rowId + "\\) HTTP/1\\.1\r\n(?:[^\r\n]+\r\n)*?If-Match: W/")
                    .matcher(exchange.getIn().getBody(String.class)).find();
        }
        String ifMatch = exchange.getIn().getHeader("If-Match", String.class);
        return "PATCH".equals(method) && uri.endsWith("(" + rowId + ")") && ifMatch != null && !ifMatch.equals("*");
    }

    @Test
    void aContactCreatedInCastielIsBoundToItsAccountAndADeleteReachesDynamics() {
        // this integration also writes the contact's company link, through the lookup's navigation property
        Session s = new Session(Map.of("fieldMappings", Map.of("contacts",
                List.of(Map.of("target", "companyId", "source", "parentcustomerid_account", "type", "text")))));
        String accountId = s.accountId(5);
        JsonNode created = s.hub.ok("POST", "/api/tenant/shards", s.key, Map.of("integrationId", s.integration, "shardType", "c_contact",
                "structuredData", Map.of("firstName", "Born", "lastName", "In Castiel", "companyId", accountId)));
        String shardId = created.get("id").asText();
        s.awaitWritesFinished(shardId);
        String contactId = s.shard(shardId).at("/externalRelationships/0/externalId").asText();
        JsonNode row = s.dynamics.row("contacts", contactId);
        assertThat(row.get("lastname").asText()).isEqualTo("In Castiel");
        assertThat(row.get("_parentcustomerid_value").asText()).isEqualTo(accountId);

        s.hub.ok("DELETE", "/api/tenant/shards/" + shardId, s.key, null);
        s.awaitWritesFinished(shardId);
        assertThat(s.dynamics.web("GET", "contacts(" + contactId + ")", null).status()).isEqualTo(404);
    }
}
