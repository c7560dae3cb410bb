package sandbox.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static sandbox.hubspot.HubSpotSandboxFixture.BASE;
import static sandbox.hubspot.HubSpotSandboxFixture.OBJECTS;
import static sandbox.hubspot.HubSpotSandboxFixture.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockHttpServletResponse;

/** v4 associations (per record, default and labeled creation, removal, batch read) and v3 associations on reads. */
class HubSpotAssociationsTest {

    private static final String V4 = BASE + "/crm/v4";

    private final HubSpotSandboxFixture sandbox = new HubSpotSandboxFixture(6);
    private final String token = HubSpotSandboxFixture.portalToken("assoc");

    @AfterEach
    void close() {
        sandbox.close();
    }

    @Test
    void eachSeededCompanyHasTwoContactsAndADealSeenFromBothSides() throws Exception {
        String company = json(sandbox.get(OBJECTS + "/companies?limit=1", token)).at("/results/0/id").asText();
        JsonNode contacts = json(sandbox.get(V4 + "/objects/companies/" + company + "/associations/contacts", token));
        assertThat(contacts.get("results")).hasSize(2);
        JsonNode first = contacts.at("/results/0");
        assertThat(first.get("toObjectId").isNumber()).isTrue();
        assertThat(first.get("associationTypes")).hasSize(2);
        assertThat(first.at("/associationTypes/0/typeId").asInt()).isEqualTo(2);
        assertThat(first.at("/associationTypes/0/label").asText()).isEqualTo("Primary");
        assertThat(first.at("/associationTypes/0/category").asText()).isEqualTo("HUBSPOT_DEFINED");
        assertThat(first.at("/associationTypes/1/typeId").asInt()).isEqualTo(280);
        assertThat(first.at("/associationTypes/1/label").isNull()).isTrue();

        String contact = first.get("toObjectId").asText();
        JsonNode back = json(sandbox.get(V4 + "/objects/contact/" + contact + "/associations/company", token));
        assertThat(back.at("/results/0/toObjectId").asText()).isEqualTo(company);
        assertThat(back.at("/results/0/associationTypes/0/typeId").asInt()).isEqualTo(1);
        assertThat(back.at("/results/0/associationTypes/1/typeId").asInt()).isEqualTo(279);
        JsonNode deals = json(sandbox.get(V4 + "/objects/0-2/" + company + "/associations/0-3", token));
        assertThat(deals.get("results")).hasSize(1);
        assertThat(deals.at("/results/0/associationTypes/1/typeId").asInt()).isEqualTo(342);

        // paged by target id
        JsonNode page = json(sandbox.get(V4 + "/objects/companies/" + company + "/associations/contacts?limit=1", token));
        assertThat(page.get("results")).hasSize(1);
        String after = page.at("/paging/next/after").asText();
        JsonNode rest = json(sandbox.get(V4 + "/objects/companies/" + company + "/associations/contacts?limit=1&after=" + after,
                token));
        assertThat(rest.at("/results/0/toObjectId").asText()).isEqualTo(after);
        assertThat(rest.has("paging")).isFalse();

        // the v3 read's associations parameter
        JsonNode read = json(sandbox.get(OBJECTS + "/companies/" + company + "?associations=contacts,deals", token));
        List<String> types = new ArrayList<>();
        read.at("/associations/contacts/results").forEach(r -> types.add(r.get("type").asText()));
        assertThat(types).containsExactly("company_to_contact", "company_to_contact_unlabeled", "company_to_contact",
                "company_to_contact_unlabeled");
        assertThat(read.at("/associations/deals/results/0/id").asText())
                .isEqualTo(deals.at("/results/0/toObjectId").asText());
    }

    @Test
    void associationsAreCreatedDefaultOrLabeledAndRemoved() throws Exception {
        List<String> companies = new ArrayList<>();
        json(sandbox.get(OBJECTS + "/companies?limit=2", token)).get("results").forEach(r -> companies.add(r.get("id").asText()));
        String contact = json(sandbox.post(OBJECTS + "/contacts", token, "{\"properties\":{\"email\":\"new@x.example\"},"
                + "\"associations\":[{\"to\":{\"id\":" + companies.get(0) + "},\"types\":[{\"associationCategory\":"
                + "\"HUBSPOT_DEFINED\",\"associationTypeId\":279}]}]}")).get("id").asText();
        JsonNode created = json(sandbox.get(V4 + "/objects/contacts/" + contact + "/associations/companies", token));
        assertThat(created.at("/results/0/toObjectId").asText()).isEqualTo(companies.get(0));
        assertThat(created.at("/results/0/associationTypes")).hasSize(1);

        MockHttpServletResponse byDefault = sandbox.send(HttpMethod.PUT, V4 + "/objects/contact/" + contact
                + "/associations/default/company/" + companies.get(1), token, null);
        assertThat(byDefault.getStatus()).isEqualTo(200);
        assertThat(json(byDefault).at("/results/0/associationSpec/associationTypeId").asInt()).isEqualTo(279);

        MockHttpServletResponse labeled = sandbox.send(HttpMethod.PUT, V4 + "/objects/contact/" + contact
                + "/associations/company/" + companies.get(1), token,
                "[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":1}]");
        assertThat(labeled.getStatus()).isEqualTo(201);
        JsonNode labeledBody = json(labeled);
        assertThat(labeledBody.get("fromObjectTypeId").asText()).isEqualTo("0-1");
        assertThat(labeledBody.get("toObjectTypeId").asText()).isEqualTo("0-2");
        assertThat(labeledBody.get("toObjectId").asText()).isEqualTo(companies.get(1));
        assertThat(labeledBody.get("labels")).extracting(JsonNode::asText).containsExactly("Primary");
        JsonNode both = json(sandbox.get(V4 + "/objects/contacts/" + contact + "/associations/companies", token));
        assertThat(both.get("results")).hasSize(2);
        assertThat(both.at("/results/1/associationTypes/0/label").asText()).isEqualTo("Primary");

        assertThat(sandbox.send(HttpMethod.DELETE, V4 + "/objects/contact/" + contact + "/associations/company/"
                + companies.get(0), token, null).getStatus()).isEqualTo(204);
        assertThat(json(sandbox.get(V4 + "/objects/contacts/" + contact + "/associations/companies", token)).get("results"))
                .hasSize(1);
        assertThat(sandbox.send(HttpMethod.PUT, V4 + "/objects/contact/" + contact + "/associations/company/"
                + companies.get(0), token, "[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":342}]")
                .getStatus()).isEqualTo(400);
        assertThat(sandbox.send(HttpMethod.PUT, V4 + "/objects/contact/" + contact + "/associations/default/company/1",
                token, null).getStatus()).isEqualTo(400);
    }

    @Test
    void batchReadAnswersPerInputAndReportsThoseWithoutAssociations() throws Exception {
        List<String> companies = new ArrayList<>();
        json(sandbox.get(OBJECTS + "/companies?limit=3", token)).get("results").forEach(r -> companies.add(r.get("id").asText()));
        String lonely = json(sandbox.post(OBJECTS + "/companies", token, "{\"properties\":{\"name\":\"Lonely\"}}"))
                .get("id").asText();
        MockHttpServletResponse read = sandbox.post(V4 + "/associations/companies/contacts/batch/read", token,
                "{\"inputs\":[{\"id\":\"" + companies.get(0) + "\"},{\"id\":\"" + companies.get(2) + "\"}]}");
        assertThat(read.getStatus()).isEqualTo(200);
        JsonNode body = json(read);
        assertThat(body.get("status").asText()).isEqualTo("COMPLETE");
        assertThat(body.at("/results/0/from/id").asText()).isEqualTo(companies.get(0));
        assertThat(body.at("/results/0/to")).hasSize(2);
        assertThat(body.at("/results/1/to/0/associationTypes/1/typeId").asInt()).isEqualTo(280);

        MockHttpServletResponse partial = sandbox.post(V4 + "/associations/company/deal/batch/read", token,
                "{\"inputs\":[{\"id\":\"" + companies.get(1) + "\"},{\"id\":\"" + lonely + "\"}]}");
        assertThat(partial.getStatus()).isEqualTo(207);
        JsonNode partialBody = json(partial);
        assertThat(partialBody.get("results")).hasSize(1);
        assertThat(partialBody.get("numErrors").asInt()).isEqualTo(1);
        assertThat(partialBody.at("/errors/0/context/fromObjectId/0").asText()).isEqualTo(lonely);

        // archived records drop out of their associations
        String deal = partialBody.at("/results/0/to/0/toObjectId").asText();
        sandbox.send(HttpMethod.DELETE, OBJECTS + "/deals/" + deal, token, null);
        assertThat(json(sandbox.get(V4 + "/objects/companies/" + companies.get(1) + "/associations/deals", token))
                .get("results")).isEmpty();
    }
}
