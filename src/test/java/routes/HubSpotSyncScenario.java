package routes;

import static org.assertj.core.api.Assertions.assertThat;
import static routes.SalesforceSyncScenario.assertCounts;
import static routes.SalesforceSyncScenario.byExternalId;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.HubSpotPortal;

/**
 * HubSpot end to end, as a user drives it: connect a portal of the HubSpot sandbox with a private-app token (over HTTP
 * through camel-http), sync companies, contacts and deals, change records "in HubSpot", sync again. Runs on each store.
 */
interface HubSpotSyncScenario {

    Duration TIMEOUT = Duration.ofSeconds(180);

    HubClient hub();

    @Test
    default void fullSyncOfEveryEntityThenAnIncrementalSyncChangesExactlyWhatChangedInHubSpot() {
        HubClient hub = hub();
        String key = hub.newTenantKey(EmbeddedHubTest.ADMIN_KEY);
        HubSpotPortal portal = new HubSpotPortal(hub, "sync");
        String integration = portal.connect(key, Map.of());

        JsonNode companies = hub.runAndWait(key, integration, hub.task(key, integration, "companies", "full"), TIMEOUT);
        JsonNode contacts = hub.runAndWait(key, integration, hub.task(key, integration, "contacts", "full"), TIMEOUT);
        JsonNode deals = hub.runAndWait(key, integration, hub.task(key, integration, "deals", "full"), TIMEOUT);
        assertCounts(companies, "completed", 1000, 1000, 0, 0, 0);
        assertCounts(contacts, "completed", 2000, 2000, 0, 0, 0);
        assertCounts(deals, "completed", 1000, 1000, 0, 0, 0);
        assertThat(hub.allShards(key, "c_company")).hasSize(1000);
        assertThat(hub.allShards(key, "c_contact")).hasSize(2000);
        assertThat(hub.allShards(key, "c_opportunity")).hasSize(1000);

        // a contact's shard holds the mapped record and works at its company's shard; a deal belongs to its company's
        JsonNode contactRecord = portal.records("contacts", List.of("email", "firstname", "lastname"), 1).get(0);
        String contactId = contactRecord.get("id").asText();
        JsonNode associations = portal.ok("GET", "/crm/v4/objects/contact/" + contactId + "/associations/company", null);
        String companyId = associations.at("/results/0/toObjectId").asText();
        JsonNode contactShard = shard(hub, key, byExternalId(hub.allShards(key, "c_contact")).get(contactId));
        assertThat(contactShard.at("/structuredData/email").asText())
                .isEqualTo(contactRecord.at("/properties/email").asText().trim().toLowerCase());
        assertThat(contactShard.at("/externalRelationships/0/integrationId").asText()).isEqualTo(integration);
        JsonNode worksAt = contactShard.get("relationships").get(0);
        assertThat(worksAt.get("type").asText()).isEqualTo("works_at");
        assertThat(worksAt.get("targetExternalId").asText()).isEqualTo(companyId);
        JsonNode company = hub.ok("GET", "/api/tenant/shards/" + worksAt.get("targetShardId").asText(), key, null);
        assertThat(company.get("shardType").asText()).isEqualTo("c_company");
        assertThat(company.at("/externalRelationships/0/externalId").asText()).isEqualTo(companyId);
        JsonNode dealShard = shard(hub, key, hub.allShards(key, "c_opportunity").get(0));
        assertThat(dealShard.at("/relationships/0/type").asText()).isEqualTo("belongs_to");
        assertThat(dealShard.at("/relationships/0/targetShardId").asText()).isNotBlank();
        List<JsonNode> someContacts = hub.allShards(key, "c_contact").subList(0, 20);
        assertThat(someContacts).as("seeded contacts have their company")
                .allSatisfy(s -> assertThat(shard(hub, key, s).at("/relationships/0/targetShardId").asText()).isNotBlank());

        // a second full sync finds nothing to write
        assertCounts(hub.runAndWait(key, integration, companies.get("taskId").asText(), TIMEOUT), "completed", 1000, 0, 0, 1000, 0);

        // change HubSpot: rename three companies, archive two, create one
        List<JsonNode> records = portal.records("companies", List.of("name"), 6);
        for (int i = 0; i < 3; i++) {
            portal.update("companies", records.get(i).get("id").asText(), Map.of("name", "Renamed Corp " + i));
        }
        for (int i = 3; i < 5; i++) {
            portal.archive("companies", records.get(i).get("id").asText());
        }
        String created = portal.create("companies", Map.of("name", "Brand New Company", "domain", "brand.example"));

        JsonNode incremental = hub.runAndWait(key, integration, hub.task(key, integration, "companies", "incremental"), TIMEOUT);
        assertThat(incremental.get("status").asText()).as(incremental.toString()).isEqualTo("completed");
        assertThat(incremental.get("recordsCreated").asLong()).isEqualTo(1);
        assertThat(incremental.get("recordsUpdated").asLong()).isEqualTo(3);
        assertThat(incremental.get("recordsDeleted").asLong()).isEqualTo(2);
        assertThat(incremental.get("recordsFailed").asLong()).isZero();
        // only what changed since the last sync was fetched (the boundary millisecond comes again, unchanged)
        assertThat(incremental.get("recordsProcessed").asLong()).isLessThan(10);

        Map<String, JsonNode> byExternalId = byExternalId(hub.allShards(key, "c_company"));
        assertThat(byExternalId).hasSize(1001);
        for (int i = 0; i < 3; i++) {
            JsonNode renamed = byExternalId.get(records.get(i).get("id").asText());
            assertThat(renamed.at("/structuredData/name").asText()).isEqualTo("Renamed Corp " + i);
            assertThat(renamed.get("version").asLong()).isEqualTo(2);
        }
        for (int i = 3; i < 5; i++) {
            assertThat(byExternalId.get(records.get(i).get("id").asText()).get("deleted").asBoolean()).isTrue();
        }
        assertThat(byExternalId.get(records.get(5).get("id").asText()).get("version").asLong()).isEqualTo(1);
        JsonNode brandNew = byExternalId.get(created);
        assertThat(brandNew.at("/structuredData/name").asText()).isEqualTo("Brand New Company");
        assertThat(brandNew.at("/structuredData/domain").asText()).isEqualTo("brand.example");
        assertThat(byExternalId.values().stream().filter(s -> s.get("version").asLong() > 1).count()).isEqualTo(5);
    }

    private static JsonNode shard(HubClient hub, String key, JsonNode listed) {
        return hub.ok("GET", "/api/tenant/shards/" + listed.get("id").asText(), key, null);
    }
}
