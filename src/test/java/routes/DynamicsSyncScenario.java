package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import hub.DynamicsSandbox;
import hub.EmbeddedHubTest;
import hub.HubClient;

/**
 * Dynamics 365 end to end over HTTP, as a user drives it: connect an org of the sandbox with an app registration (Entra
 * ID client credentials), sync its 1,000 accounts, 2,000 contacts and 1,000 opportunities, change rows "in Dynamics"
 * and sync again through change tracking; an expired delta token makes the pass full and the execution says so.
 * Runs on each store (see the implementing classes).
 */
interface DynamicsSyncScenario {

    Duration TIMEOUT = Duration.ofSeconds(180);

    HubClient hub();

    @Test
    default void fullSyncThenIncrementalSyncThroughChangeTracking() {
        HubClient hub = hub();
        String key = hub.newTenantKey(EmbeddedHubTest.ADMIN_KEY);
        DynamicsSandbox dynamics = new DynamicsSandbox(hub, "sync");
        String integration = dynamics.connect(key, Map.of());

        JsonNode accounts = hub.runAndWait(key, integration, hub.task(key, integration, "accounts", "full"), TIMEOUT);
        JsonNode contacts = hub.runAndWait(key, integration, hub.task(key, integration, "contacts", "full"), TIMEOUT);
        JsonNode opportunities = hub.runAndWait(key, integration, hub.task(key, integration, "opportunities", "full"), TIMEOUT);
        SalesforceSyncScenario.assertCounts(accounts, "completed", 1000, 1000, 0, 0, 0);
        SalesforceSyncScenario.assertCounts(contacts, "completed", 2000, 2000, 0, 0, 0);
        SalesforceSyncScenario.assertCounts(opportunities, "completed", 1000, 1000, 0, 0, 0);
        assertThat(hub.allShards(key, "c_company")).hasSize(1000);
        assertThat(hub.allShards(key, "c_opportunity")).hasSize(1000);

        // a contact links to its account's company, an opportunity to its account's
        JsonNode contactRow = dynamics.rows("contacts", "contactid,emailaddress1,_parentcustomerid_value").stream()
                .filter(r -> r.hasNonNull("emailaddress1")).findFirst().orElseThrow();
        JsonNode contact = shard(hub, key, "c_contact", contactRow.get("contactid").asText());
        assertThat(contact.at("/structuredData/email").asText()).isEqualTo(contactRow.get("emailaddress1").asText().trim().toLowerCase());
        assertThat(contact.at("/externalRelationships/0/externalVersion").asText()).startsWith("W/\"");
        JsonNode worksAt = contact.get("relationships").get(0);
        assertThat(worksAt.get("type").asText()).isEqualTo("works_at");
        assertThat(worksAt.get("targetExternalId").asText()).isEqualTo(contactRow.get("_parentcustomerid_value").asText());
        JsonNode company = hub.ok("GET", "/api/tenant/shards/" + worksAt.get("targetShardId").asText(), key, null);
        assertThat(company.at("/externalRelationships/0/externalId").asText()).isEqualTo(contactRow.get("_parentcustomerid_value").asText());
        JsonNode dealRow = dynamics.rows("opportunities", "opportunityid,_parentaccountid_value").get(0);
        assertThat(shard(hub, key, "c_opportunity", dealRow.get("opportunityid").asText()).at("/relationships/0/targetExternalId").asText())
                .isEqualTo(dealRow.get("_parentaccountid_value").asText());

        // change Dynamics: rename three accounts, delete two, create one
        List<JsonNode> rows = dynamics.rows("accounts", "accountid,name");
        for (int i = 0; i < 3; i++) {
            dynamics.update("accounts", rows.get(i).get("accountid").asText(), Map.of("name", "Renamed Corp " + i));
        }
        for (int i = 3; i < 5; i++) {
            assertThat(dynamics.web("DELETE", "accounts(" + rows.get(i).get("accountid").asText() + ")", null).status()).isEqualTo(204);
        }
        HubClient.Response created = dynamics.web("POST", "accounts", Map.of("name", "Brand New Company", "websiteurl", "https://brand.example"));
        assertThat(created.status()).as(created.raw()).isEqualTo(204);
        String createdUrl = dynamics.web("GET", "accounts?$select=accountid&$filter=name%20eq%20'Brand%20New%20Company'", null)
                .body().at("/value/0/accountid").asText();

        String incrementalTask = hub.task(key, integration, "accounts", "incremental");
        JsonNode incremental = hub.runAndWait(key, integration, incrementalTask, TIMEOUT);
        // only the delta since the full pass: 3 changed and 1 new row, and 2 deletions
        SalesforceSyncScenario.assertCounts(incremental, "completed", 4, 1, 3, 0, 0);
        assertThat(incremental.get("recordsDeleted").asLong()).isEqualTo(2);

        Map<String, JsonNode> byId = SalesforceSyncScenario.byExternalId(hub.allShards(key, "c_company"));
        assertThat(byId).hasSize(1001);
        for (int i = 0; i < 3; i++) {
            assertThat(byId.get(rows.get(i).get("accountid").asText()).at("/structuredData/name").asText()).isEqualTo("Renamed Corp " + i);
        }
        for (int i = 3; i < 5; i++) {
            assertThat(byId.get(rows.get(i).get("accountid").asText()).get("deleted").asBoolean()).isTrue();
        }
        assertThat(byId.get(createdUrl).at("/structuredData/domain").asText()).isEqualTo("brand.example");
        assertThat(byId.get(rows.get(5).get("accountid").asText()).get("version").asLong()).isEqualTo(1);

        // nothing changed since: an empty delta
        SalesforceSyncScenario.assertCounts(hub.runAndWait(key, integration, incrementalTask, TIMEOUT), "completed", 0, 0, 0, 0, 0);

        // Dataverse forgets the changes (ExpireChangeTrackingInDays): the next pass is full, and says so
        dynamics.update("accounts", rows.get(5).get("accountid").asText(), Map.of("telephone1", "+1 555 0199"));
        assertThat(dynamics.setup("POST", "delta-tokens/invalidate", null).status()).isBetween(200, 204);
        JsonNode afterExpiry = hub.runAndWait(key, integration, incrementalTask, TIMEOUT);
        assertThat(afterExpiry.get("mode").asText()).isEqualTo("incremental");
        assertThat(afterExpiry.get("notice").asText()).contains("refused the change marker").contains("0x80044352")
                .contains("the pass became a full pass");
        SalesforceSyncScenario.assertCounts(afterExpiry, "completed", 999, 0, 1, 998, 0);
        assertThat(shard(hub, key, "c_company", rows.get(5).get("accountid").asText()).at("/structuredData/phone").asText())
                .isEqualTo("+1 555 0199");
        // and the full pass's delta link is where the next one starts
        JsonNode next = hub.runAndWait(key, integration, incrementalTask, TIMEOUT);
        SalesforceSyncScenario.assertCounts(next, "completed", 0, 0, 0, 0, 0);
        assertThat(next.has("notice")).isFalse();
    }

    private static JsonNode shard(HubClient hub, String key, String type, String externalId) {
        String id = SalesforceSyncScenario.byExternalId(hub.allShards(key, type)).get(externalId).get("id").asText();
        return hub.ok("GET", "/api/tenant/shards/" + id, key, null);
    }
}
