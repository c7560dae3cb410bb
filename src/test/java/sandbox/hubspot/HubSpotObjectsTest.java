package sandbox.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static sandbox.hubspot.HubSpotSandboxFixture.OBJECTS;
import static sandbox.hubspot.HubSpotSandboxFixture.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockHttpServletResponse;

/** CRM v3 objects: list paging, read, create, update, archive, batch, and HubSpot's error bodies and status codes. */
class HubSpotObjectsTest {

    private static final Pattern ISO_MILLIS = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final HubSpotSandboxFixture sandbox = new HubSpotSandboxFixture(25);
    private final String token = HubSpotSandboxFixture.portalToken("objects");

    @AfterEach
    void close() {
        sandbox.close();
    }

    @Test
    void listPagesThroughEveryCompanyOnceWithAfterCursorsAndLinks() throws Exception {
        MockHttpServletResponse first = sandbox.get(OBJECTS + "/companies", token);
        assertThat(first.getStatus()).isEqualTo(200);
        assertThat(first.getContentType()).startsWith("application/json");
        JsonNode page = json(first);
        assertThat(page.get("results")).hasSize(10);
        JsonNode record = page.get("results").get(0);
        assertThat(record.get("id").asText()).matches("\\d+");
        assertThat(record.at("/properties/hs_object_id").asText()).isEqualTo(record.get("id").asText());
        assertThat(record.at("/properties/name").asText()).isNotBlank();
        assertThat(record.at("/properties/createdate").asText()).matches(ISO_MILLIS);
        assertThat(record.at("/properties/hs_lastmodifieddate").asText()).isEqualTo(record.get("updatedAt").asText());
        assertThat(record.get("createdAt").asText()).matches(ISO_MILLIS);
        assertThat(record.get("archived").asBoolean()).isFalse();
        assertThat(record.has("archivedAt")).isFalse();
        String after = page.at("/paging/next/after").asText();
        assertThat(page.at("/paging/next/link").asText())
                .isEqualTo("http://localhost/sandbox/hubspot/crm/v3/objects/companies?limit=10&after=" + after);

        Set<String> ids = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode next = json(sandbox.get(OBJECTS + "/companies?limit=7" + (cursor == null ? "" : "&after=" + cursor), token));
            next.get("results").forEach(r -> assertThat(ids.add(r.get("id").asText())).isTrue());
            cursor = next.at("/paging/next/after").isMissingNode() ? null : next.at("/paging/next/after").asText();
            pages++;
        } while (cursor != null);
        assertThat(ids).hasSize(25);
        assertThat(pages).isEqualTo(4);
    }

    @Test
    void listTakesPropertiesRepeatedOrCommaSeparatedAndServesAtMostAHundred() throws Exception {
        JsonNode repeated = json(sandbox.get(OBJECTS + "/contacts?limit=2&properties=email&properties=jobtitle&archived=false",
                token));
        JsonNode comma = json(sandbox.get(OBJECTS + "/0-1?limit=2&properties=email,jobtitle,nosuchproperty", token));
        assertThat(repeated.get("results")).isEqualTo(comma.get("results"));
        JsonNode properties = repeated.at("/results/0/properties");
        List<String> names = new ArrayList<>();
        properties.fieldNames().forEachRemaining(names::add);
        // the requested ones and the ones always sent, in name order; unknown names left out
        assertThat(names).containsExactly("createdate", "email", "hs_object_id", "jobtitle", "lastmodifieddate");
        assertThat(json(sandbox.get(OBJECTS + "/contacts?limit=500", token)).get("results")).hasSize(50);
        assertThat(json(sandbox.get(OBJECTS + "/companies?limit=0", token)).get("category").asText())
                .isEqualTo("VALIDATION_ERROR");
    }

    @Test
    void createAnswers201WithServerStampsAndUpdateMovesTheModificationDate() throws Exception {
        MockHttpServletResponse created = sandbox.post(OBJECTS + "/companies", token,
                "{\"properties\":{\"name\":\"Acme Rockets\",\"domain\":\"acme.example\",\"numberofemployees\":42}}");
        assertThat(created.getStatus()).as(created.getContentAsString()).isEqualTo(201);
        JsonNode company = json(created);
        String id = company.get("id").asText();
        assertThat(company.at("/properties/name").asText()).isEqualTo("Acme Rockets");
        assertThat(company.at("/properties/numberofemployees").asText()).isEqualTo("42");
        assertThat(company.at("/properties/hs_object_id").asText()).isEqualTo(id);
        assertThat(company.at("/properties/createdate").asText()).isEqualTo("2026-06-01T12:00:00.000Z");

        sandbox.clock.advance(Duration.ofSeconds(3));
        MockHttpServletResponse updated = sandbox.send(HttpMethod.PATCH, OBJECTS + "/companies/" + id, token,
                "{\"properties\":{\"name\":\"Acme Rockets Inc.\",\"domain\":\"\"}}");
        assertThat(updated.getStatus()).isEqualTo(200);
        JsonNode after = json(updated);
        assertThat(after.at("/properties/hs_lastmodifieddate").asText()).isEqualTo("2026-06-01T12:00:03.000Z");
        assertThat(after.get("updatedAt").asText()).isEqualTo("2026-06-01T12:00:03.000Z");
        assertThat(after.get("createdAt").asText()).isEqualTo("2026-06-01T12:00:00.000Z");

        JsonNode read = json(sandbox.get(OBJECTS + "/companies/" + id + "?properties=name,domain", token));
        assertThat(read.at("/properties/name").asText()).isEqualTo("Acme Rockets Inc.");
        // an empty string cleared the domain: asked for, it is null
        assertThat(read.at("/properties/domain").isNull()).isTrue();

        // writes in the same millisecond still get strictly increasing stamps
        String second = json(sandbox.send(HttpMethod.PATCH, OBJECTS + "/companies/" + id, token,
                "{\"properties\":{\"phone\":\"+1 555 0100\"}}")).get("updatedAt").asText();
        String third = json(sandbox.send(HttpMethod.PATCH, OBJECTS + "/companies/" + id, token,
                "{\"properties\":{\"phone\":\"+1 555 0101\"}}")).get("updatedAt").asText();
        assertThat(Instant.parse(third)).isEqualTo(Instant.parse(second).plusMillis(1));
    }

    @Test
    void archiveAnswers204ThenTheRecordIsGoneExceptFromTheArchivedList() throws Exception {
        String id = json(sandbox.get(OBJECTS + "/deals?limit=1", token)).at("/results/0/id").asText();
        MockHttpServletResponse deleted = sandbox.send(HttpMethod.DELETE, OBJECTS + "/deals/" + id, token, null);
        assertThat(deleted.getStatus()).isEqualTo(204);
        assertThat(deleted.getContentAsByteArray()).isEmpty();
        assertNotFound(sandbox.get(OBJECTS + "/deals/" + id, token));
        assertThat(sandbox.send(HttpMethod.DELETE, OBJECTS + "/deals/" + id, token, null).getStatus()).isEqualTo(204);

        JsonNode archived = json(sandbox.get(OBJECTS + "/deals?archived=true", token));
        assertThat(archived.get("results")).hasSize(1);
        assertThat(archived.at("/results/0/id").asText()).isEqualTo(id);
        assertThat(archived.at("/results/0/archived").asBoolean()).isTrue();
        assertThat(archived.at("/results/0/archivedAt").asText()).matches(ISO_MILLIS);
        assertThat(json(sandbox.get(OBJECTS + "/deals/" + id + "?archived=true", token)).get("archived").asBoolean())
                .isTrue();
        List<String> live = new ArrayList<>();
        json(sandbox.get(OBJECTS + "/deals?limit=100", token)).get("results").forEach(r -> live.add(r.get("id").asText()));
        assertThat(live).hasSize(24).doesNotContain(id);
        assertThat(sandbox.send(HttpMethod.PATCH, OBJECTS + "/deals/" + id, token, "{\"properties\":{\"amount\":\"1\"}}")
                .getStatus()).isEqualTo(404);
    }

    @Test
    void badWritesAreRefusedWithHubSpotsValidationBody() throws Exception {
        MockHttpServletResponse unknown = sandbox.post(OBJECTS + "/contacts", token,
                "{\"properties\":{\"email\":\"a@b.example\",\"testproperty\":\"x\",\"hs_object_id\":\"5\"}}");
        assertThat(unknown.getStatus()).isEqualTo(400);
        JsonNode error = json(unknown);
        assertThat(error.get("status").asText()).isEqualTo("error");
        assertThat(error.get("category").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(error.get("correlationId").asText()).matches(UUID);
        assertThat(error.get("message").asText()).startsWith("Property values were not valid: [")
                .contains("\"error\":\"PROPERTY_DOESNT_EXIST\"", "\"name\":\"testproperty\"", "READ_ONLY_VALUE");
        assertThat(error.at("/errors/0/code").asText()).isEqualTo("PROPERTY_DOESNT_EXIST");
        assertThat(error.at("/errors/0/context/propertyName/0").asText()).isEqualTo("testproperty");
        assertThat(error.at("/errors/1/code").asText()).isEqualTo("READ_ONLY_VALUE");

        JsonNode deal = json(sandbox.post(OBJECTS + "/deals", token,
                "{\"properties\":{\"dealname\":\"X\",\"amount\":\"lots\",\"dealstage\":\"won\"}}"));
        assertThat(deal.get("errors")).extracting(e -> e.get("code").asText())
                .containsExactly("INVALID_INTEGER", "INVALID_OPTION", "REQUIRED_FIELD");
        assertThat(json(sandbox.post(OBJECTS + "/companies", token, "{\"properties\":{\"phone\":\"1\"}}"))
                .at("/errors/0/code").asText()).isEqualTo("REQUIRED_FIELD");
        JsonNode badJson = json(sandbox.post(OBJECTS + "/companies", token, "{\"properties\":"));
        assertThat(badJson.get("message").asText()).startsWith("Invalid input JSON");
        assertThat(sandbox.get(OBJECTS + "/tickets", token).getStatus()).isEqualTo(400);
        assertThat(json(sandbox.get(OBJECTS + "/tickets", token)).get("message").asText())
                .isEqualTo("Unable to infer object type from: tickets");
        assertThat(sandbox.changes).isEmpty();
    }

    @Test
    void getByEmailAndDatetimesInEitherFormStoredInHubSpotsForm() throws Exception {
        JsonNode contact = json(sandbox.post(OBJECTS + "/contacts", token,
                "{\"properties\":{\"email\":\"Jane.Doe@Example.com\",\"firstname\":\"Jane\"}}"));
        JsonNode byEmail = json(sandbox.get(OBJECTS + "/contacts/jane.doe@example.com?idProperty=email", token));
        assertThat(byEmail.get("id").asText()).isEqualTo(contact.get("id").asText());
        assertThat(sandbox.get(OBJECTS + "/contacts/x@y.example?idProperty=email", token).getStatus()).isEqualTo(404);
        assertThat(sandbox.get(OBJECTS + "/contacts/x?idProperty=firstname", token).getStatus()).isEqualTo(400);

        String dealId = json(sandbox.post(OBJECTS + "/deals", token, "{\"properties\":{\"dealname\":\"D\","
                + "\"dealstage\":\"qualifiedtobuy\",\"pipeline\":\"default\",\"closedate\":1767225600000}}")).get("id").asText();
        assertThat(json(sandbox.get(OBJECTS + "/deals/" + dealId + "?properties=closedate", token))
                .at("/properties/closedate").asText()).isEqualTo("2026-01-01T00:00:00.000Z");
        sandbox.send(HttpMethod.PATCH, OBJECTS + "/deals/" + dealId, token,
                "{\"properties\":{\"closedate\":\"2026-02-03\"}}");
        assertThat(json(sandbox.get(OBJECTS + "/deals/" + dealId + "?properties=closedate", token))
                .at("/properties/closedate").asText()).isEqualTo("2026-02-03T00:00:00.000Z");
    }

    @Test
    void batchReadCreateUpdateArchiveAnswerAsHubSpotDoes() throws Exception {
        JsonNode list = json(sandbox.get(OBJECTS + "/companies?limit=3", token));
        String a = list.at("/results/0/id").asText();
        String b = list.at("/results/1/id").asText();

        MockHttpServletResponse read = sandbox.post(OBJECTS + "/companies/batch/read", token,
                "{\"properties\":[\"name\"],\"inputs\":[{\"id\":\"" + a + "\"},{\"id\":\"" + b + "\"}]}");
        assertThat(read.getStatus()).isEqualTo(200);
        JsonNode readBody = json(read);
        assertThat(readBody.get("status").asText()).isEqualTo("COMPLETE");
        assertThat(readBody.get("results")).hasSize(2);
        assertThat(readBody.get("startedAt").asText()).matches(ISO_MILLIS);

        MockHttpServletResponse partial = sandbox.post(OBJECTS + "/companies/batch/read", token,
                "{\"inputs\":[{\"id\":\"" + a + "\"},{\"id\":\"1\"}]}");
        assertThat(partial.getStatus()).isEqualTo(207);
        JsonNode partialBody = json(partial);
        assertThat(partialBody.get("numErrors").asInt()).isEqualTo(1);
        assertThat(partialBody.at("/errors/0/category").asText()).isEqualTo("OBJECT_NOT_FOUND");
        assertThat(partialBody.at("/errors/0/context/ids/0").asText()).isEqualTo("1");

        MockHttpServletResponse created = sandbox.post(OBJECTS + "/contacts/batch/create", token,
                "{\"inputs\":[{\"properties\":{\"email\":\"one@x.example\"}},{\"properties\":{\"email\":\"two@x.example\"}}]}");
        assertThat(created.getStatus()).isEqualTo(201);
        assertThat(json(created).get("results")).hasSize(2);
        MockHttpServletResponse refused = sandbox.post(OBJECTS + "/contacts/batch/create", token,
                "{\"inputs\":[{\"properties\":{\"email\":\"three@x.example\"}},{\"properties\":{\"nope\":\"1\"}}]}");
        assertThat(refused.getStatus()).as("one bad input refuses the batch").isEqualTo(400);
        assertThat(json(sandbox.post(OBJECTS + "/contacts/search", token,
                "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"email\",\"operator\":\"EQ\",\"value\":\"three@x.example\"}]}]}"))
                .get("total").asInt()).isZero();

        MockHttpServletResponse updated = sandbox.post(OBJECTS + "/companies/batch/update", token,
                "{\"inputs\":[{\"id\":\"" + a + "\",\"properties\":{\"name\":\"A2\"}},{\"id\":\"77\",\"properties\":{\"name\":\"Z\"}}]}");
        assertThat(updated.getStatus()).isEqualTo(207);
        assertThat(json(updated).at("/results/0/properties/name").asText()).isEqualTo("A2");
        assertThat(json(updated).at("/errors/0/context/ids/0").asText()).isEqualTo("77");
        assertThat(sandbox.post(OBJECTS + "/companies/batch/update", token, "{\"inputs\":[{\"id\":\"" + a
                + "\",\"properties\":{}},{\"id\":\"" + a + "\",\"properties\":{}}]}").getStatus()).isEqualTo(400);

        MockHttpServletResponse archived = sandbox.post(OBJECTS + "/companies/batch/archive", token,
                "{\"inputs\":[{\"id\":\"" + a + "\"},{\"id\":\"" + b + "\"},{\"id\":\"5\"}]}");
        assertThat(archived.getStatus()).isEqualTo(204);
        assertThat(json(sandbox.get(OBJECTS + "/companies?archived=true", token)).get("results")).hasSize(2);

        StringBuilder tooMany = new StringBuilder("{\"inputs\":[");
        for (int i = 0; i < 101; i++) {
            tooMany.append(i == 0 ? "" : ",").append("{\"id\":\"").append(i).append("\"}");
        }
        assertThat(sandbox.post(OBJECTS + "/companies/batch/read", token, tooMany + "]}").getStatus()).isEqualTo(400);
    }

    @Test
    void propertiesApiDescribesEveryPropertyForDiscovery() throws Exception {
        JsonNode properties = json(sandbox.get(HubSpotSandboxFixture.BASE + "/crm/v3/properties/deals", token));
        List<String> names = new ArrayList<>();
        properties.get("results").forEach(p -> names.add(p.get("name").asText()));
        assertThat(names).contains("dealname", "amount", "closedate", "dealstage", "pipeline", "hs_lastmodifieddate",
                "createdate", "hs_object_id");
        JsonNode stage = json(sandbox.get(HubSpotSandboxFixture.BASE + "/crm/v3/properties/deals/dealstage", token));
        assertThat(stage.get("type").asText()).isEqualTo("enumeration");
        assertThat(stage.get("options")).extracting(o -> o.get("value").asText()).contains("closedwon", "closedlost");
        JsonNode modified = json(sandbox.get(HubSpotSandboxFixture.BASE + "/crm/v3/properties/contacts/lastmodifieddate",
                token));
        assertThat(modified.get("type").asText()).isEqualTo("datetime");
        assertThat(modified.at("/modificationMetadata/readOnlyValue").asBoolean()).isTrue();
        assertNotFound(sandbox.get(HubSpotSandboxFixture.BASE + "/crm/v3/properties/deals/nope", token));
        assertThat(json(sandbox.get(HubSpotSandboxFixture.BASE + "/account-info/v3/details", token)).get("portalId").asLong())
                .isEqualTo(sandbox.portals.find("objects").portalId());
    }

    private static void assertNotFound(MockHttpServletResponse response) throws Exception {
        assertThat(response.getStatus()).isEqualTo(404);
        JsonNode error = json(response);
        assertThat(error.get("status").asText()).isEqualTo("error");
        assertThat(error.get("category").asText()).isEqualTo("OBJECT_NOT_FOUND");
        assertThat(error.get("correlationId").asText()).matches(UUID);
        assertThat(error.has("message")).isTrue();
    }
}
