package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import hub.EmbeddedHubTest;
import hub.HubClient;

/**
 * The walking skeleton end to end, as a user drives it: connect a Salesforce org (the sandbox,
 * over HTTP through camel-salesforce), sync everything, change records in "Salesforce", sync
 * again. Runs on each store (see the subclasses).
 */
interface SalesforceSyncScenario {

    Duration TIMEOUT = Duration.ofSeconds(120);

    HubClient hub();

    @Test
    default void fullSyncThenIncrementalSyncChangesExactlyWhatChangedInSalesforce() {
        HubClient hub = hub();
        String key = hub.newTenantKey(EmbeddedHubTest.ADMIN_KEY);
        String org = "sync-" + UUID.randomUUID().toString().substring(0, 8);
        String integration = hub.connectedSalesforce(key, org, Map.of());

        JsonNode accounts = hub.runAndWait(key, integration, hub.task(key, integration, "Account", "full"), TIMEOUT);
        JsonNode contacts = hub.runAndWait(key, integration, hub.task(key, integration, "Contact", "full"), TIMEOUT);
        JsonNode opportunities = hub.runAndWait(key, integration, hub.task(key, integration, "Opportunity", "full"), TIMEOUT);
        assertCounts(accounts, "completed", 1000, 1000, 0, 0, 0);
        assertCounts(contacts, "completed", 2000, 2000, 0, 0, 0);
        assertCounts(opportunities, "completed", 1000, 1000, 0, 0, 0);

        List<JsonNode> companies = hub.allShards(key, "c_company");
        assertThat(companies).hasSize(1000);
        assertThat(hub.allShards(key, "c_contact")).hasSize(2000);
        assertThat(hub.allShards(key, "c_opportunity")).hasSize(1000);

        // the shard holds the mapped record, knows where it came from, and links to its company
        String token = hub.sandboxToken(org);
        JsonNode contactRecord = hub.sandboxRecords(token, "Contact", "Id, AccountId, Email, LastName", 1).get(0);
        JsonNode contactShard = shardOf(hub, key, companiesAndContacts(hub, key), contactRecord.get("Id").asText());
        assertThat(contactShard.at("/structuredData/email").asText()).isEqualTo(contactRecord.get("Email").asText().trim().toLowerCase());
        assertThat(contactShard.at("/externalRelationships/0/integrationId").asText()).isEqualTo(integration);
        assertThat(contactShard.at("/externalRelationships/0/syncDirection").asText()).isEqualTo("inbound");
        JsonNode worksAt = contactShard.get("relationships").get(0);
        assertThat(worksAt.get("type").asText()).isEqualTo("works_at");
        assertThat(worksAt.get("targetExternalId").asText()).isEqualTo(contactRecord.get("AccountId").asText());
        JsonNode company = hub.ok("GET", "/api/tenant/shards/" + worksAt.get("targetShardId").asText(), key, null);
        assertThat(company.get("shardType").asText()).isEqualTo("c_company");
        assertThat(company.at("/externalRelationships/0/externalId").asText()).isEqualTo(contactRecord.get("AccountId").asText());

        // a second full sync finds nothing to write
        String accountFull = accounts.get("taskId").asText();
        assertCounts(hub.runAndWait(key, integration, accountFull, TIMEOUT), "completed", 1000, 0, 0, 1000, 0);

        // change Salesforce: rename three accounts, delete two, create one
        List<JsonNode> records = hub.sandboxRecords(token, "Account", "Id, Name", 6);
        for (int i = 0; i < 3; i++) {
            assertThat(hub.sandbox("PATCH", token, "/sobjects/Account/" + records.get(i).get("Id").asText(),
                    Map.of("Name", "Renamed Corp " + i)).status()).isEqualTo(204);
        }
        for (int i = 3; i < 5; i++) {
            assertThat(hub.sandbox("DELETE", token, "/sobjects/Account/" + records.get(i).get("Id").asText(), null).status()).isEqualTo(204);
        }
        HubClient.Response created = hub.sandbox("POST", token, "/sobjects/Account", Map.of("Name", "Brand New Company", "Website", "https://brand.example"));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);

        JsonNode incremental = hub.runAndWait(key, integration, hub.task(key, integration, "Account", "incremental"), TIMEOUT);
        assertThat(incremental.get("status").asText()).isEqualTo("completed");
        assertThat(incremental.get("recordsCreated").asLong()).isEqualTo(1);
        assertThat(incremental.get("recordsUpdated").asLong()).isEqualTo(3);
        assertThat(incremental.get("recordsDeleted").asLong()).isEqualTo(2);
        assertThat(incremental.get("recordsFailed").asLong()).isZero();
        // only records changed since the last sync were fetched (the boundary second may be fetched again, unchanged)
        assertThat(incremental.get("recordsProcessed").asLong()).isLessThan(10);

        Map<String, JsonNode> byExternalId = byExternalId(hub.allShards(key, "c_company"));
        assertThat(byExternalId).hasSize(1001);
        for (int i = 0; i < 3; i++) {
            JsonNode renamed = byExternalId.get(records.get(i).get("Id").asText());
            assertThat(renamed.at("/structuredData/name").asText()).isEqualTo("Renamed Corp " + i);
            assertThat(renamed.get("version").asLong()).isEqualTo(2);
        }
        for (int i = 3; i < 5; i++) {
            assertThat(byExternalId.get(records.get(i).get("Id").asText()).get("deleted").asBoolean()).isTrue();
        }
        JsonNode untouched = byExternalId.get(records.get(5).get("Id").asText());
        assertThat(untouched.get("version").asLong()).isEqualTo(1);
        assertThat(untouched.get("deleted").asBoolean()).isFalse();
        JsonNode brandNew = byExternalId.get(created.body().get("id").asText());
        assertThat(brandNew.at("/structuredData/name").asText()).isEqualTo("Brand New Company");
        assertThat(brandNew.at("/structuredData/domain").asText()).isEqualTo("brand.example");
        assertThat(byExternalId.values().stream().filter(s -> s.get("version").asLong() > 1).count()).isEqualTo(5);
    }

    static void assertCounts(JsonNode execution, String status, long processed, long created, long updated, long unchanged, long failed) {
        assertThat(execution.get("status").asText()).as(execution.toString()).isEqualTo(status);
        assertThat(execution.get("recordsProcessed").asLong()).as("processed").isEqualTo(processed);
        assertThat(execution.get("recordsCreated").asLong()).as("created").isEqualTo(created);
        assertThat(execution.get("recordsUpdated").asLong()).as("updated").isEqualTo(updated);
        assertThat(execution.get("recordsUnchanged").asLong()).as("unchanged").isEqualTo(unchanged);
        assertThat(execution.get("recordsFailed").asLong()).as("failed").isEqualTo(failed);
        assertThat(execution.get("durationMs").asLong()).isPositive();
    }

    static Map<String, JsonNode> byExternalId(List<JsonNode> shards) {
        return shards.stream().collect(Collectors.toMap(s -> s.at("/externalRelationships/0/externalId").asText(), s -> s));
    }

    private static List<JsonNode> companiesAndContacts(HubClient hub, String key) {
        return hub.allShards(key, "c_contact");
    }

    private static JsonNode shardOf(HubClient hub, String key, List<JsonNode> shards, String externalId) {
        String id = byExternalId(shards).get(externalId).get("id").asText();
        return hub.ok("GET", "/api/tenant/shards/" + id, key, null);
    }
}
