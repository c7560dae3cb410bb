package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import hub.DynamicsSandbox;
import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.HubSpotPortal;

/**
 * One tenant with all three CRMs: Salesforce, HubSpot and Dynamics 365 connected side by side, every entity of each
 * synced, records edited at each provider and shards edited in Castiel, written back to each. Each integration sees
 * only its own provider's records: no shard, change or write crosses from one integration to another. The tenant has
 * entity resolution switched off, so the providers' records of one company stay apart (EntityResolutionTest covers
 * them merged).
 */
class ThreeCrmTenantTest extends EmbeddedHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final Map<String, Object> BOTH_WAYS = Map.of("syncDirection", "bidirectional");

    @Test
    void oneTenantSyncsAndWritesBackToSalesforceHubSpotAndDynamicsWithoutCrossTalk() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        for (String type : List.of("c_company", "c_contact")) {
            assertThat(hub.ok("PUT", "/api/tenant/match-rules/" + type, key, Map.of("enabled", false)).get("enabled").asBoolean()).isFalse();
        }

        String org = "three-" + UUID.randomUUID().toString().substring(0, 8);
        String salesforce = hub.connectedSalesforce(key, org, BOTH_WAYS);
        HubSpotPortal portal = new HubSpotPortal(hub, "three");
        portal.reset(300);
        String hubspot = portal.connect(key, BOTH_WAYS);
        DynamicsSandbox dynamics = new DynamicsSandbox(hub, "three");
        assertThat(dynamics.setup("POST", "reset", Map.of("accounts", 300)).status()).isBetween(200, 204);
        String dataverse = dynamics.connect(key, BOTH_WAYS);

        // every entity of each
        Map<String, List<String>> entities = Map.of(
                salesforce, List.of("Account", "Contact", "Opportunity", "Task", "Event"),
                hubspot, List.of("companies", "contacts", "deals"),
                dataverse, List.of("accounts", "contacts", "opportunities"));
        List<String[]> tasks = new ArrayList<>();
        entities.forEach((integration, names) -> names.forEach(entity ->
                tasks.add(new String[] {integration, hub.task(key, integration, entity, "full")})));
        for (String[] task : tasks) {
            JsonNode run = hub.runAndWait(key, task[0], task[1], TIMEOUT);
            assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("completed");
            assertThat(run.get("recordsFailed").asLong()).as(run.toString()).isZero();
        }

        // each integration's companies are exactly its provider's records, and its contacts link to its own companies
        Map<String, Map<String, JsonNode>> companies = byIntegration(hub.allShards(key, "c_company"));
        assertThat(companies.get(salesforce)).hasSize(1000);
        assertThat(companies.get(hubspot)).hasSize(300);
        assertThat(companies.get(dataverse)).hasSize(300);
        assertThat(companies).hasSize(3);
        Map<String, Map<String, JsonNode>> contacts = byIntegration(hub.allShards(key, "c_contact"));
        assertThat(contacts.get(salesforce)).hasSize(2000);
        assertThat(contacts.get(hubspot)).hasSize(600);
        assertThat(contacts.get(dataverse)).hasSize(600);
        for (String integration : List.of(salesforce, hubspot, dataverse)) {
            JsonNode contact = hub.ok("GET", "/api/tenant/shards/" + contacts.get(integration).values().iterator().next().get("id").asText(),
                    key, null);
            String company = contact.at("/relationships/0/targetShardId").asText();
            assertThat(companies.get(integration).values()).as("a %s contact's company", integration)
                    .anyMatch(c -> c.get("id").asText().equals(company));
        }
        assertThat(byIntegration(hub.allShards(key, "c_opportunity"))).containsOnlyKeys(salesforce, hubspot, dataverse);
        assertThat(byIntegration(hub.allShards(key, "c_note"))).containsOnlyKeys(salesforce);

        // edits at each provider reach only that provider's shards
        String token = hub.sandboxToken(org);
        String sfId = hub.sandboxRecords(token, "Account", "Id, Name", 1).get(0).get("Id").asText();
        assertThat(hub.sandbox("PATCH", token, "/sobjects/Account/" + sfId, Map.of("Name", "Edited in Salesforce")).status()).isEqualTo(204);
        String hsId = portal.records("companies", List.of("name"), 1).get(0).get("id").asText();
        portal.update("companies", hsId, Map.of("name", "Edited in HubSpot"));
        String dvId = dynamics.rows("accounts", "accountid,name").get(0).get("accountid").asText();
        dynamics.update("accounts", dvId, Map.of("name", "Edited in Dynamics"));

        Map<String, String> edited = Map.of(salesforce, sfId, hubspot, hsId, dataverse, dvId);
        Map<String, String> entityOf = Map.of(salesforce, "Account", hubspot, "companies", dataverse, "accounts");
        for (String integration : List.of(salesforce, hubspot, dataverse)) {
            JsonNode run = hub.runAndWait(key, integration, hub.task(key, integration, entityOf.get(integration), "incremental"), TIMEOUT);
            assertThat(run.get("recordsUpdated").asLong()).as(run.toString()).isEqualTo(1);
            assertThat(run.get("recordsCreated").asLong()).as(run.toString()).isZero();
        }
        Map<String, Map<String, JsonNode>> after = byIntegration(hub.allShards(key, "c_company"));
        assertThat(after.get(salesforce).get(sfId).at("/structuredData/name").asText()).isEqualTo("Edited in Salesforce");
        assertThat(after.get(hubspot).get(hsId).at("/structuredData/name").asText()).isEqualTo("Edited in HubSpot");
        assertThat(after.get(dataverse).get(dvId).at("/structuredData/name").asText()).isEqualTo("Edited in Dynamics");
        for (String integration : List.of(salesforce, hubspot, dataverse)) {
            long changed = after.get(integration).values().stream().filter(s -> s.get("version").asLong() > 1).count();
            assertThat(changed).as("shards changed in %s", integration).isEqualTo(1);
        }

        // a shard edited in Castiel is written back to its own provider only
        Map<String, String> shardOf = new HashMap<>();
        Map<String, String> externalOf = new HashMap<>();
        for (String integration : List.of(salesforce, hubspot, dataverse)) {
            JsonNode shard = after.get(integration).values().stream().filter(s -> s.get("version").asLong() == 1).findFirst().orElseThrow();
            shardOf.put(integration, shard.get("id").asText());
            externalOf.put(integration, shard.at("/externalRelationships/0/externalId").asText());
            hub.ok("PATCH", "/api/tenant/shards/" + shard.get("id").asText(), key,
                    Map.of("structuredData", Map.of("phone", "+1 415 555 01" + (10 + shardOf.size()))));
        }
        for (String integration : List.of(salesforce, hubspot, dataverse)) {
            String shardId = shardOf.get(integration);
            Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
                JsonNode writes = hub.ok("GET", "/api/tenant/shards/" + shardId + "/writes", key, null).get("items");
                boolean finished = writes.size() > 0;
                for (JsonNode write : writes) {
                    finished &= write.hasNonNull("finishedAt");
                }
                return finished;
            });
            JsonNode writes = hub.ok("GET", "/api/tenant/shards/" + shardId + "/writes", key, null).get("items");
            assertThat(writes).hasSize(1);
            assertThat(writes.get(0).get("status").asText()).as(writes.toString()).isEqualTo("done");
            assertThat(writes.get(0).get("integrationId").asText()).isEqualTo(integration);
        }
        JsonNode sfRecord = hub.sandbox("GET", token, "/sobjects/Account/" + externalOf.get(salesforce) + "?fields=Phone", null).body();
        assertThat(sfRecord.get("Phone").asText()).isEqualTo("+1 415 555 0111");
        assertThat(portal.record("companies", externalOf.get(hubspot), "phone").at("/properties/phone").asText())
                .isEqualTo("+1 415 555 0112");
        assertThat(dynamics.row("accounts", externalOf.get(dataverse)).get("telephone1").asText()).isEqualTo("+1 415 555 0113");
        assertThat(hub.ok("GET", "/api/tenant/conflicts?status=open", key, null).get("items")).isEmpty();
    }

    /** Shards by the integration of their (only) source, then by external id; a shard with several sources fails. */
    private static Map<String, Map<String, JsonNode>> byIntegration(List<JsonNode> shards) {
        Map<String, Map<String, JsonNode>> by = new HashMap<>();
        for (JsonNode shard : shards) {
            assertThat(shard.get("externalRelationships")).as(shard.toString()).hasSize(1);
            JsonNode source = shard.at("/externalRelationships/0");
            by.computeIfAbsent(source.get("integrationId").asText(), i -> new HashMap<>()).put(source.get("externalId").asText(), shard);
        }
        return by;
    }
}
