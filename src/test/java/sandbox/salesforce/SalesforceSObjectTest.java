package sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static sandbox.salesforce.SandboxFixture.DATA;
import static sandbox.salesforce.SandboxFixture.authorized;
import static sandbox.salesforce.SandboxFixture.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

class SalesforceSObjectTest {

    private final SandboxFixture sandbox = new SandboxFixture(100, 2000);
    private String token;

    @BeforeEach
    void login() throws Exception {
        token = sandbox.login("admin@sandbox.example");
    }

    @Test
    void createsReadsUpdatesAndDeletesAContact() throws Exception {
        String accountId = firstId("Account");
        MockHttpServletResponse created = send(post(DATA + "/sobjects/Contact"),
                "{\"FirstName\":\"Ada\",\"LastName\":\"Lovelace\",\"Email\":\"ada@example.com\",\"AccountId\":\""
                        + accountId + "\",\"attributes\":{\"type\":\"Contact\"}}");
        assertThat(created.getStatus()).isEqualTo(201);
        JsonNode result = json(created);
        String id = result.get("id").asText();
        assertThat(result.get("success").asBoolean()).isTrue();
        assertThat(result.get("errors")).isEmpty();
        assertThat(id).startsWith("0035A").hasSize(18);

        JsonNode record = json(sandbox.get(DATA + "/sobjects/Contact/" + id, token));
        assertThat(record.get("Name").asText()).isEqualTo("Ada Lovelace");
        assertThat(record.get("IsDeleted").asBoolean()).isFalse();
        assertThat(record.get("CreatedDate").asText()).isEqualTo("2025-06-01T12:00:00.000+0000");
        JsonNode some = json(sandbox.get(DATA + "/sobjects/Contact/" + id + "?fields=Email,Id", token));
        List<String> names = new ArrayList<>();
        some.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("attributes", "Email", "Id");

        sandbox.clock.advance(Duration.ofSeconds(5));
        assertThat(send(patch(DATA + "/sobjects/Contact/" + id), "{\"FirstName\":\"Augusta\",\"Title\":\"\"}")
                .getStatus()).isEqualTo(204);
        record = json(sandbox.get(DATA + "/sobjects/Contact/" + id.substring(0, 15), token));
        assertThat(record.get("Name").asText()).isEqualTo("Augusta Lovelace");
        assertThat(record.get("Title").isNull()).isTrue();
        assertThat(record.get("SystemModstamp").asText()).isEqualTo("2025-06-01T12:00:05.000+0000");

        assertThat(sandbox.perform(authorized(delete(DATA + "/sobjects/Contact/" + id), token)).getStatus())
                .isEqualTo(204);
        assertError(sandbox.get(DATA + "/sobjects/Contact/" + id, token), 404, "NOT_FOUND");
        assertError(sandbox.perform(authorized(delete(DATA + "/sobjects/Contact/" + id), token)), 404,
                "ENTITY_IS_DELETED");

        assertThat(sandbox.changes).extracting(SandboxFixture.Change::changeType)
                .containsExactly("created", "updated", "deleted");
        assertThat(sandbox.changes.get(0).orgId()).isEqualTo(sandbox.orgs.defaultOrg().orgId());
        assertThat(sandbox.changes.get(2).record()).containsEntry("IsDeleted", true).containsEntry("Id", id);
    }

    @Test
    void changesAreStampedStrictlyIncreasingAndSeenIncrementally() throws Exception {
        String first = json(send(post(DATA + "/sobjects/Account"), "{\"Name\":\"One\"}")).get("id").asText();
        String second = json(send(post(DATA + "/sobjects/Account"), "{\"Name\":\"Two\"}")).get("id").asText();
        JsonNode rows = json(sandbox.query("query", "SELECT Id, SystemModstamp FROM Account "
                + "WHERE SystemModstamp > 2025-06-01T00:00:00Z ORDER BY SystemModstamp", token));
        assertThat(rows.get("totalSize").asInt()).isEqualTo(2);
        assertThat(rows.get("records").get(0).get("Id").asText()).isEqualTo(first);
        assertThat(rows.get("records").get(0).get("SystemModstamp").asText()).isEqualTo("2025-06-01T12:00:00.000+0000");
        assertThat(rows.get("records").get(1).get("Id").asText()).isEqualTo(second);
        assertThat(rows.get("records").get(1).get("SystemModstamp").asText()).isEqualTo("2025-06-01T12:00:00.001+0000");
    }

    @Test
    void validatesWrites() throws Exception {
        assertError(send(post(DATA + "/sobjects/Opportunity"), "{\"Name\":\"Deal\"}"), 400, "REQUIRED_FIELD_MISSING");
        JsonNode missing = json(send(post(DATA + "/sobjects/Opportunity"), "{\"Name\":\"Deal\"}"));
        assertThat(missing.get(0).get("fields")).extracting(JsonNode::asText).containsExactly("StageName", "CloseDate");
        assertError(send(post(DATA + "/sobjects/Account"), "{\"Name\":\"X\",\"Foo\":1}"), 400, "INVALID_FIELD");
        assertError(send(post(DATA + "/sobjects/Account"), "{\"Name\":\"X\",\"Id\":\"001000000000001AAA\"}"), 400,
                "INVALID_FIELD_FOR_INSERT_UPDATE");
        assertError(send(post(DATA + "/sobjects/Contact"), "{\"LastName\":\"X\",\"Name\":\"Y\"}"), 400,
                "INVALID_FIELD_FOR_INSERT_UPDATE");
        assertError(send(post(DATA + "/sobjects/Account"), "{\"Name\":\"X\",\"CreatedDate\":\"2020-01-01T00:00:00Z\"}"),
                400, "INVALID_FIELD_FOR_INSERT_UPDATE");
        assertError(send(post(DATA + "/sobjects/Account"), "{\"Name\":"), 400, "JSON_PARSER_ERROR");
        assertError(send(post(DATA + "/sobjects/Account"), "[]"), 400, "JSON_PARSER_ERROR");
        assertError(send(post(DATA + "/sobjects/Account"), "{\"Name\":\"X\",\"NumberOfEmployees\":\"many\"}"), 400,
                "JSON_PARSER_ERROR");
        assertError(send(post(DATA + "/sobjects/Contact"), "{\"LastName\":\"X\",\"Email\":\"nope\"}"), 400,
                "INVALID_EMAIL_ADDRESS");
        assertError(send(post(DATA + "/sobjects/Contact"), "{\"LastName\":\"X\",\"AccountId\":\"bogus\"}"), 400,
                "MALFORMED_ID");
        assertError(send(post(DATA + "/sobjects/Contact"),
                "{\"LastName\":\"X\",\"AccountId\":\"" + SalesforceIds.of("001", "5A", 99999) + "\"}"), 400,
                "INVALID_CROSS_REFERENCE_KEY");
        assertError(send(post(DATA + "/sobjects/Widget"), "{\"Name\":\"X\"}"), 404, "NOT_FOUND");
        String id = firstId("Account");
        assertError(send(patch(DATA + "/sobjects/Account/" + id), "{\"Name\":null}"), 400, "REQUIRED_FIELD_MISSING");
        assertError(send(patch(DATA + "/sobjects/Account/" + id), "{\"IsDeleted\":true}"), 400,
                "INVALID_FIELD_FOR_INSERT_UPDATE");
        assertError(send(patch(DATA + "/sobjects/Account/001000000000000"), "{}"), 404, "NOT_FOUND");
        assertError(sandbox.get(DATA + "/sobjects/Account/001D000000IRFmaIBH", token), 400, "MALFORMED_ID");
        assertError(sandbox.get(DATA + "/sobjects/Account/" + id + "?fields=Id,Foo", token), 400, "INVALID_FIELD");
        assertThat(sandbox.changes).isEmpty();
    }

    @Test
    void conditionalUpdates() throws Exception {
        String id = firstId("Account");
        MockHttpServletResponse read = sandbox.get(DATA + "/sobjects/Account/" + id, token);
        String etag = read.getHeader("ETag");
        assertThat(etag).startsWith("\"").endsWith("\"");
        assertThat(sandbox.get(DATA + "/sobjects/Contact/" + firstId("Contact"), token).getHeader("ETag")).isNull();
        assertThat(sandbox.perform(authorized(get(DATA + "/sobjects/Account/" + id).header("If-None-Match", etag), token))
                .getStatus()).isEqualTo(304);

        // seeded at 2025-01-01; unmodified since a later date passes, an earlier one fails
        String before = DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.parse("2024-12-31T00:00:00Z").atOffset(ZoneOffset.UTC));
        MockHttpServletResponse stale = send(patch(DATA + "/sobjects/Account/" + id).header("If-Unmodified-Since", before),
                "{\"Phone\":\"1\"}");
        assertError(stale, 412, "PRECONDITION_FAILED");
        assertThat(json(stale).get(0).get("message").asText()).contains("has been modified since");
        String after = DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.parse("2025-02-01T00:00:00Z").atOffset(ZoneOffset.UTC));
        assertThat(send(patch(DATA + "/sobjects/Account/" + id).header("If-Unmodified-Since", after), "{\"Phone\":\"1\"}")
                .getStatus()).isEqualTo(204);
        assertError(send(patch(DATA + "/sobjects/Account/" + id).header("If-Unmodified-Since", "yesterday"),
                "{\"Phone\":\"2\"}"), 400, "INVALID_HEADER_TYPE");

        // the update changed the ETag
        assertError(send(patch(DATA + "/sobjects/Account/" + id).header("If-Match", etag), "{\"Phone\":\"3\"}"), 412,
                "PRECONDITION_FAILED");
        String current = sandbox.get(DATA + "/sobjects/Account/" + id, token).getHeader("ETag");
        assertThat(send(patch(DATA + "/sobjects/Account/" + id).header("If-Match", "\"other\", " + current),
                "{\"Phone\":\"3\"}").getStatus()).isEqualTo(204);
        assertError(send(patch(DATA + "/sobjects/Account/" + id).header("If-Match", "unquoted"), "{\"Phone\":\"4\"}"),
                400, "INVALID_HEADER_TYPE");
    }

    @Test
    void conditionalUpdateRefusedAfterAChangeInALaterSecond() throws Exception {
        String id = firstId("Account");
        String row = DATA + "/sobjects/Account/" + id;
        Instant seeded = lastModified(id);
        assertThat(send(patch(row).header("If-Unmodified-Since", httpDate(seeded)), "{\"Phone\":\"1\"}").getStatus())
                .isEqualTo(204);
        Instant first = lastModified(id);
        assertThat(first).isAfter(seeded);

        // the clock has not moved: the stamp still moves forward, within the same millisecond of the clock
        assertThat(send(patch(row).header("If-Unmodified-Since", httpDate(first)), "{\"Phone\":\"2\"}").getStatus())
                .isEqualTo(204);
        Instant second = lastModified(id);
        assertThat(second).isAfter(first);
        assertThat(json(sandbox.get(row, token)).get("SystemModstamp").asText()).isEqualTo(SandboxJson.dateTime(second));

        sandbox.clock.advance(Duration.ofSeconds(1));
        assertThat(send(patch(row), "{\"Phone\":\"3\"}").getStatus()).isEqualTo(204);
        MockHttpServletResponse stale = send(patch(row).header("If-Unmodified-Since", httpDate(second)), "{\"Phone\":\"4\"}");
        assertError(stale, 412, "PRECONDITION_FAILED");
        assertThat(json(stale).get(0).get("message").asText()).contains(httpDate(second));
        assertThat(json(sandbox.get(row, token)).get("Phone").asText()).isEqualTo("3");
        assertThat(send(patch(row).header("If-Unmodified-Since", httpDate(lastModified(id))), "{\"Phone\":\"4\"}")
                .getStatus()).isEqualTo(204);

        // HTTP dates carry whole seconds: a change later within the same second is not seen
        Instant current = lastModified(id);
        sandbox.clock.advance(Duration.ofMillis(10));
        assertThat(send(patch(row), "{\"Phone\":\"5\"}").getStatus()).isEqualTo(204);
        assertThat(send(patch(row).header("If-Unmodified-Since", httpDate(current)), "{\"Phone\":\"6\"}").getStatus())
                .isEqualTo(204);

        // a Salesforce datetime is not an HTTP-date
        assertError(send(patch(row).header("If-Unmodified-Since", SandboxJson.dateTime(current)), "{\"Phone\":\"7\"}"),
                400, "INVALID_HEADER_TYPE");
        assertThat(json(sandbox.get(row, token)).get("Phone").asText()).isEqualTo("6");
        // DELETE does not take conditional headers
        assertThat(sandbox.perform(authorized(delete(row).header("If-Unmodified-Since", httpDate(seeded)), token))
                .getStatus()).isEqualTo(204);
    }

    @Test
    void validatesUpdates() throws Exception {
        String id = firstId("Account");
        String row = DATA + "/sobjects/Account/" + id;
        String name = json(sandbox.get(row, token)).get("Name").asText();
        for (String blank : List.of("\"\"", "\"   \"", "null")) {
            MockHttpServletResponse missing = send(patch(row), "{\"Name\":" + blank + "}");
            assertError(missing, 400, "REQUIRED_FIELD_MISSING");
            assertThat(json(missing).get(0).get("fields")).extracting(JsonNode::asText).containsExactly("Name");
        }
        MockHttpServletResponse unknown = send(patch(row), "{\"Phone\":\"1\",\"Colour__c\":\"red\"}");
        assertError(unknown, 400, "INVALID_FIELD");
        assertThat(json(unknown).get(0).get("message").asText()).contains("'Colour__c'");
        MockHttpServletResponse tooLong = send(patch(row), "{\"Name\":\"" + "x".repeat(256) + "\"}");
        assertError(tooLong, 400, "STRING_TOO_LONG");
        assertThat(json(tooLong).get(0).get("fields")).extracting(JsonNode::asText).containsExactly("Name");
        assertThat(send(patch(row), "{\"Name\":\"" + "x".repeat(255) + "\"}").getStatus()).isEqualTo(204);

        assertThat(json(sandbox.get(row, token)).get("Name").asText()).isNotEqualTo(name).hasSize(255);
        assertThat(sandbox.changes).hasSize(1);
    }

    @Test
    void deletedAndUpdatedWindows() throws Exception {
        String accountId = firstId("Account");
        sandbox.clock.advance(Duration.ofMinutes(1));
        String contactId = firstId("Contact");
        assertThat(send(patch(DATA + "/sobjects/Contact/" + contactId), "{\"Title\":\"CEO\"}").getStatus()).isEqualTo(204);
        sandbox.clock.advance(Duration.ofMinutes(1));
        assertThat(sandbox.perform(authorized(delete(DATA + "/sobjects/Account/" + accountId), token)).getStatus())
                .isEqualTo(204);

        // jsforce's form: +00:00 encoded as %2B00%3A00
        JsonNode deleted = json(sandbox.get(DATA + "/sobjects/Account/deleted?start=2025-06-01T12%3A00%3A00%2B00%3A00"
                + "&end=2025-06-01T12%3A05%3A00%2B00%3A00", token));
        assertThat(deleted.get("deletedRecords")).hasSize(1);
        assertThat(deleted.get("deletedRecords").get(0).get("id").asText()).isEqualTo(accountId);
        assertThat(deleted.get("deletedRecords").get(0).get("deletedDate").asText())
                .isEqualTo("2025-06-01T12:02:00.000+0000");
        assertThat(deleted.get("latestDateCovered").asText()).isEqualTo("2025-06-01T12:02:00.000+0000");
        assertThat(deleted.get("earliestDateAvailable").asText()).isEqualTo("2025-05-17T12:02:00.000+0000");

        // an unencoded + arrives as a space; a window before the deletion is empty
        JsonNode none = json(sandbox.get(DATA + "/sobjects/Account/deleted/?start=2025-06-01T11:00:00+00:00"
                + "&end=2025-06-01T12:01:00+00:00", token));
        assertThat(none.get("deletedRecords")).isEmpty();
        // cascaded deletions are stamped 1 ms apart, just after the account's; let the clock pass them
        sandbox.clock.advance(Duration.ofSeconds(1));
        // deleting the account deleted its contacts too
        JsonNode contacts = json(sandbox.get(DATA + "/sobjects/Contact/deleted?start=2025-06-01T12:00:00Z"
                + "&end=2025-06-01T13:00:00Z", token));
        assertThat(contacts.get("deletedRecords")).hasSize(2);

        JsonNode updated = json(sandbox.get(DATA + "/sobjects/Contact/updated?start=2025-06-01T12:00:00Z"
                + "&end=2025-06-01T12:01:30Z", token));
        // the contact updated at 12:01 has since been deleted with its account, so it is no longer "updated"
        assertThat(updated.get("ids")).isEmpty();
        String secondContact = json(sandbox.query("query",
                "SELECT Id FROM Contact ORDER BY SystemModstamp LIMIT 1 OFFSET 2", token)).get("records").get(0)
                .get("Id").asText();
        assertThat(send(patch(DATA + "/sobjects/Contact/" + secondContact), "{\"Title\":\"CTO\"}").getStatus())
                .isEqualTo(204);
        updated = json(sandbox.get(DATA + "/sobjects/Contact/updated/?start=2025-06-01T12:00:00Z"
                + "&end=2025-06-01T13:00:00Z", token));
        assertThat(updated.get("ids")).extracting(JsonNode::asText).containsExactly(secondContact);

        assertError(sandbox.get(DATA + "/sobjects/Account/deleted?start=2025-06-01T12:00:00Z", token), 400,
                "MISSING_ARGUMENT");
        assertError(sandbox.get(DATA + "/sobjects/Account/deleted?start=2025-06-02T12:00:00Z&end=2025-06-01T12:00:00Z",
                token), 400, "INVALID_REPLICATION_DATE");
    }

    @Test
    void describesObjects() throws Exception {
        JsonNode global = json(sandbox.get(DATA + "/sobjects/", token));
        assertThat(global.get("sobjects")).extracting(n -> n.get("name").asText())
                .containsExactly("Account", "Contact", "Opportunity", "Lead", "Task", "Event");
        JsonNode basic = json(sandbox.get(DATA + "/sobjects/Account/", token));
        assertThat(basic.get("objectDescribe").get("keyPrefix").asText()).isEqualTo("001");
        assertThat(basic.get("recentItems")).isEmpty();
        JsonNode describe = json(sandbox.get(DATA + "/sobjects/contact/describe", token));
        assertThat(describe.get("name").asText()).isEqualTo("Contact");
        JsonNode name = null;
        for (JsonNode f : describe.get("fields")) {
            if (f.get("name").asText().equals("Name")) {
                name = f;
            }
        }
        assertThat(name).isNotNull();
        assertThat(name.get("createable").asBoolean()).isFalse();
        assertThat(name.get("updateable").asBoolean()).isFalse();
        assertThat(name.has("externalId")).isTrue();
        assertError(sandbox.get(DATA + "/sobjects/Widget/describe/", token), 404, "NOT_FOUND");
    }

    private String firstId(String type) throws Exception {
        return json(sandbox.query("query", "SELECT Id FROM " + type + " WHERE IsDeleted = false ORDER BY SystemModstamp LIMIT 1", token))
                .get("records").get(0).get("Id").asText();
    }

    private Instant lastModified(String accountId) throws Exception {
        return sandbox.orgs.defaultOrg().get(SObjectSchema.ACCOUNT, accountId).lastModifiedDate();
    }

    private static String httpDate(Instant instant) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
    }

    private MockHttpServletResponse send(MockHttpServletRequestBuilder request, String body) throws Exception {
        return sandbox.perform(authorized(request, token).contentType("application/json;charset=utf-8").content(body));
    }

    private static void assertError(MockHttpServletResponse response, int status, String errorCode) throws Exception {
        assertThat(response.getStatus()).isEqualTo(status);
        assertThat(response.getContentType()).isEqualTo("application/json;charset=UTF-8");
        assertThat(json(response).get(0).get("errorCode").asText()).isEqualTo(errorCode);
    }
}
