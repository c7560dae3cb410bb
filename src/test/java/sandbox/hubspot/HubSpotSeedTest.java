package sandbox.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static sandbox.hubspot.HubSpotSandboxFixture.BASE;
import static sandbox.hubspot.HubSpotSandboxFixture.OBJECTS;
import static sandbox.hubspot.HubSpotSandboxFixture.json;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import sandbox.kit.Population;

/** Seeded data drawn from the shared population, and the ground truth the setup API publishes. */
class HubSpotSeedTest {

    private final HubSpotSandboxFixture sandbox = new HubSpotSandboxFixture(30);
    private final Population world = new Population();

    @AfterEach
    void close() {
        sandbox.close();
    }

    @Test
    void recordsAreThePopulationsHubSpotAccountsWithTheirEntityIdsAsGroundTruth() throws Exception {
        String token = HubSpotSandboxFixture.portalToken("truth");
        JsonNode truth = json(sandbox.get(BASE + "/setup/ground-truth", token));
        assertThat(truth.get("portalId").asLong()).isEqualTo(sandbox.portals.find("truth").portalId());
        assertThat(truth.at("/population/provider").asText()).isEqualTo("hubspot");
        assertThat(truth.get("companies")).hasSize(30);
        assertThat(truth.get("contacts")).hasSize(60);
        assertThat(truth.get("deals")).hasSize(30);

        JsonNode companies = json(sandbox.get(OBJECTS + "/companies?limit=100&properties=name,domain,industry", token));
        int shared = 0;
        for (int k = 0; k < 30; k++) {
            JsonNode company = companies.get("results").get(k);
            Population.Account account = world.account("hubspot", k);
            String id = company.get("id").asText();
            assertThat(truth.at("/companies/" + id).asText()).isEqualTo(account.company().entityId());
            assertThat(company.at("/properties/name").asText()).isEqualTo(account.company().name());
            assertThat(company.at("/properties/domain").asText()).isEqualTo(account.company().domain());
            if (account.company().industry() != null) {
                assertThat(HubSpotObjectType.INDUSTRIES).contains(company.at("/properties/industry").asText());
            }
            // its contacts and deal are the account's people and deal
            JsonNode contacts = json(sandbox.get(BASE + "/crm/v4/objects/companies/" + id + "/associations/contacts", token));
            for (JsonNode contact : contacts.get("results")) {
                assertThat(account.people().stream().map(Population.Person::entityId))
                        .contains(truth.at("/contacts/" + contact.get("toObjectId").asText()).asText());
            }
            JsonNode deal = json(sandbox.get(BASE + "/crm/v4/objects/companies/" + id + "/associations/deals", token));
            assertThat(truth.at("/deals/" + deal.at("/results/0/toObjectId").asText()).asText())
                    .isEqualTo(account.deal().entityId());
            if (account.company().entityId().equals("company-" + k)) {
                shared++;
            }
        }
        // the same world entities as the other sandboxes' for most companies
        assertThat(shared).isBetween(10, 28);

        // records created through the API are nobody in the world; archived seeded ones still are who they were
        String created = json(sandbox.post(OBJECTS + "/companies", token, "{\"properties\":{\"name\":\"New\"}}")).get("id").asText();
        String first = companies.at("/results/0/id").asText();
        sandbox.send(HttpMethod.DELETE, OBJECTS + "/companies/" + first, token, null);
        JsonNode after = json(sandbox.get(BASE + "/setup/ground-truth?objectType=companies", token));
        assertThat(after.has("contacts")).isFalse();
        assertThat(after.get("companies").has(created)).isFalse();
        assertThat(after.at("/companies/" + first).asText()).isEqualTo(truth.at("/companies/" + first).asText());
    }

    @Test
    void everyPortalHoldsTheSameSeedAndDealsUseHubSpotsPipeline() throws Exception {
        JsonNode a = json(sandbox.get(OBJECTS + "/deals?limit=30&properties=dealname,amount,dealstage,pipeline,closedate",
                HubSpotSandboxFixture.portalToken("one")));
        JsonNode b = json(sandbox.get(OBJECTS + "/deals?limit=30&properties=dealname,amount,dealstage,pipeline,closedate",
                "pat-sandbox"));
        assertThat(a.get("results")).isEqualTo(b.get("results"));
        for (JsonNode deal : a.get("results")) {
            assertThat(deal.at("/properties/pipeline").asText()).isEqualTo("default");
            assertThat(HubSpotObjectType.DEAL_STAGES).contains(deal.at("/properties/dealstage").asText());
            assertThat(deal.at("/properties/amount").asText()).matches("\\d+\\.\\d{2}");
            assertThat(deal.at("/properties/closedate").asText()).endsWith("T00:00:00.000Z");
        }
        assertThat(sandbox.portals.seed(30)).isSameAs(sandbox.portals.find("one").seed());
    }
}
