package sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static sandbox.salesforce.SandboxFixture.DATA;
import static sandbox.salesforce.SandboxFixture.authorized;
import static sandbox.salesforce.SandboxFixture.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletResponse;

import sandbox.kit.Population;

/** The org's seeded records are the shared world's entities, and the setup endpoint says which. */
class SalesforceGroundTruthTest {

    private static final int ACCOUNTS = 80;
    private static final String GROUND_TRUTH = "/sandbox/salesforce/setup/ground-truth";
    private final SandboxFixture sandbox = new SandboxFixture(ACCOUNTS, 2000);
    private final Population world = new Population();
    private String token;

    @BeforeEach
    void login() throws Exception {
        token = sandbox.login("admin+truth@sandbox.example");
    }

    @Test
    void salesforceAndThePopulationAgreeOnEverySeededRecord() throws Exception {
        JsonNode truth = groundTruth();
        assertThat(truth.get("org").asText()).isEqualTo("truth");
        assertThat(truth.get("provider").asText()).isEqualTo("salesforce");
        assertThat(truth.get("seed").asLong()).isEqualTo(world.seed());
        assertThat(truth.get("accounts").asInt()).isEqualTo(ACCOUNTS);
        JsonNode entities = truth.get("entities");
        assertThat(entities.get("Account").size()).isEqualTo(ACCOUNTS);
        assertThat(entities.get("Contact").size()).isEqualTo(2 * ACCOUNTS);
        assertThat(entities.get("Opportunity").size()).isEqualTo(ACCOUNTS);

        List<JsonNode> accounts = records("SELECT Id, Name, Website, BillingCity FROM Account ORDER BY CreatedDate");
        List<JsonNode> contacts = records("SELECT Id, AccountId, LastName, Title FROM Contact ORDER BY CreatedDate");
        List<JsonNode> opportunities = records("SELECT Id, AccountId, Name, CloseDate FROM Opportunity ORDER BY CreatedDate");
        for (int k = 0; k < ACCOUNTS; k++) {
            Population.Account expected = world.account("salesforce", k);
            JsonNode account = accounts.get(k);
            assertThat(entities.get("Account").get(account.get("Id").asText()).asText()).isEqualTo(expected.company().entityId());
            assertThat(account.get("Name").asText().trim()).isEqualTo(expected.company().name());
            assertThat(account.get("BillingCity").asText()).isEqualTo(expected.company().address().city());
            for (int j = 0; j < 2; j++) {
                JsonNode contact = contacts.get(2 * k + j);
                Population.Person person = expected.people().get(j);
                assertThat(contact.get("AccountId").asText()).isEqualTo(account.get("Id").asText());
                assertThat(entities.get("Contact").get(contact.get("Id").asText()).asText()).isEqualTo(person.entityId());
                assertThat(contact.get("LastName").asText()).isEqualTo(person.lastName());
                assertThat(contact.get("Title").asText()).isEqualTo(person.title());
            }
            JsonNode opportunity = opportunities.get(k);
            assertThat(entities.get("Opportunity").get(opportunity.get("Id").asText()).asText()).isEqualTo(expected.deal().entityId());
            assertThat(opportunity.get("Name").asText()).isEqualTo(expected.deal().name());
            assertThat(opportunity.get("CloseDate").asText()).isEqualTo(expected.deal().closeDate().toString());
        }
    }

    @Test
    void aSharedCompanyIsTheSameEntityInHubSpotAndOneOnlySalesforceHasIsNot() throws Exception {
        JsonNode accountTruth = groundTruth().get("entities").get("Account");
        List<JsonNode> accounts = records("SELECT Id, Name FROM Account ORDER BY CreatedDate");
        int shared = IntStream.range(0, ACCOUNTS).filter(world::shared).findFirst().orElseThrow();
        int own = IntStream.range(0, ACCOUNTS).filter(k -> !world.shared(k)).findFirst().orElseThrow();

        String sharedEntity = accountTruth.get(accounts.get(shared).get("Id").asText()).asText();
        assertThat(sharedEntity).isEqualTo("company-" + shared).isEqualTo(world.account("hubspot", shared).company().entityId());
        assertThat(world.account("hubspot", shared).company().domain()).isEqualTo(world.account("salesforce", shared).company().domain());
        String ownEntity = accountTruth.get(accounts.get(own).get("Id").asText()).asText();
        assertThat(ownEntity).isEqualTo("company-salesforce-" + own).isNotEqualTo(world.account("hubspot", own).company().entityId());
        // the same entity, mostly the same people
        long samePeople = IntStream.range(0, ACCOUNTS).filter(world::shared).mapToLong(k -> IntStream.range(0, 2)
                .filter(j -> world.account("salesforce", k).people().get(j).entityId()
                        .equals(world.account("hubspot", k).people().get(j).entityId())).count()).sum();
        assertThat(samePeople).isPositive();
    }

    @Test
    void groundTruthKeepsSeededRecordsWhateverHappensToThemAndKnowsNoNewOnes() throws Exception {
        String first = records("SELECT Id FROM Account ORDER BY CreatedDate LIMIT 1").get(0).get("Id").asText();
        assertThat(sandbox.perform(authorized(post(DATA + "/sobjects/Account"), token).contentType("application/json")
                .content("{\"Name\":\"Fresh Co\"}")).getStatus()).isEqualTo(201);
        assertThat(sandbox.perform(authorized(delete(DATA + "/sobjects/Account/" + first), token)).getStatus()).isEqualTo(204);

        JsonNode accounts = groundTruth().get("entities").get("Account");
        assertThat(accounts.size()).isEqualTo(ACCOUNTS);
        assertThat(accounts.get(first).asText()).isEqualTo(world.account("salesforce", 0).company().entityId());
        List<String> ids = new ArrayList<>();
        accounts.fieldNames().forEachRemaining(ids::add);
        assertThat(ids).isSorted();

        // another org holds the same world under its own ids
        String other = sandbox.login("admin+truth-two@sandbox.example");
        JsonNode otherAccounts = json(sandbox.get(GROUND_TRUTH, other)).get("entities").get("Account");
        List<String> entities = new ArrayList<>();
        otherAccounts.forEach(e -> entities.add(e.asText()));
        List<String> ours = new ArrayList<>();
        accounts.forEach(e -> ours.add(e.asText()));
        assertThat(entities).isEqualTo(ours);
        assertThat(otherAccounts.fieldNames().next()).isNotEqualTo(first);

        MockHttpServletResponse anonymous = sandbox.get(GROUND_TRUTH, null);
        assertThat(anonymous.getStatus()).isEqualTo(401);
        assertThat(json(anonymous).get(0).get("errorCode").asText()).isEqualTo("INVALID_SESSION_ID");
    }

    private JsonNode groundTruth() throws Exception {
        MockHttpServletResponse response = sandbox.get(GROUND_TRUTH, token);
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
        assertThat(response.getContentType()).isEqualTo("application/json;charset=UTF-8");
        return json(response);
    }

    private List<JsonNode> records(String soql) throws Exception {
        JsonNode page = json(sandbox.query("query", soql, token));
        assertThat(page.get("done").asBoolean()).isTrue();
        List<JsonNode> records = new ArrayList<>();
        page.get("records").forEach(records::add);
        return records;
    }
}
