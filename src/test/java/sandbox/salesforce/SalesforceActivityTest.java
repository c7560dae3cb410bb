package sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static sandbox.salesforce.SandboxFixture.DATA;
import static sandbox.salesforce.SandboxFixture.authorized;
import static sandbox.salesforce.SandboxFixture.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** Tasks and events: seeded, queried, described, written and deleted as Salesforce does. */
class SalesforceActivityTest {

    private static final int ACCOUNTS = 30;
    private final SandboxFixture sandbox = new SandboxFixture(ACCOUNTS, 2000);
    private String token;

    @BeforeEach
    void login() throws Exception {
        token = sandbox.login("admin@sandbox.example");
    }

    @Test
    void seededActivitiesAreQueriedWithWhoWhatAndTheirAccount() throws Exception {
        assertThat(count("SELECT COUNT() FROM Task")).isEqualTo(ACCOUNTS);
        assertThat(count("SELECT COUNT() FROM Event")).isEqualTo(ACCOUNTS / 2);
        // the third account's task is an email about its opportunity, to its first contact
        JsonNode opportunity = first("SELECT Id, AccountId, Name FROM Opportunity ORDER BY CreatedDate LIMIT 1 OFFSET 2");
        JsonNode task = first("SELECT Id, WhoId, WhatId, AccountId, Subject, TaskSubtype, Status, ActivityDate FROM Task "
                + "WHERE WhatId = '" + opportunity.get("Id").asText() + "'");
        assertThat(task.get("AccountId").asText()).isEqualTo(opportunity.get("AccountId").asText());
        assertThat(task.get("TaskSubtype").asText()).isEqualTo("Email");
        assertThat(task.get("Subject").asText()).isEqualTo("Email: " + opportunity.get("Name").asText());
        assertThat(task.get("ActivityDate").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
        JsonNode contact = first("SELECT Id, AccountId FROM Contact WHERE Id = '" + task.get("WhoId").asText() + "'");
        assertThat(contact.get("AccountId").asText()).isEqualTo(opportunity.get("AccountId").asText());

        JsonNode events = json(sandbox.query("query", "SELECT Id, StartDateTime, EndDateTime, DurationInMinutes, IsAllDayEvent "
                + "FROM Event WHERE IsAllDayEvent = false ORDER BY StartDateTime DESC LIMIT 3", token));
        assertThat(events.get("records")).hasSize(3);
        JsonNode event = events.get("records").get(0);
        assertThat(event.get("StartDateTime").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:00\\.000\\+0000");
        assertThat(event.get("DurationInMinutes").isInt()).isTrue();
        assertThat(event.get("IsAllDayEvent").asBoolean()).isFalse();
    }

    @Test
    void aTaskGetsSalesforcesDefaultsAndTheAccountOfWhatItIsAbout() throws Exception {
        JsonNode opportunity = first("SELECT Id, AccountId FROM Opportunity ORDER BY CreatedDate LIMIT 1");
        JsonNode contact = first("SELECT Id, AccountId FROM Contact ORDER BY CreatedDate LIMIT 1 OFFSET 5");
        MockHttpServletResponse created = send(post(DATA + "/sobjects/Task"), "{\"Subject\":\"Call back\",\"WhatId\":\""
                + opportunity.get("Id").asText() + "\",\"WhoId\":\"" + contact.get("Id").asText().substring(0, 15)
                + "\",\"ActivityDate\":\"2025-06-03\"}");
        assertThat(created.getStatus()).as(created.getContentAsString()).isEqualTo(201);
        String id = json(created).get("id").asText();
        assertThat(id).startsWith("00T5A");

        JsonNode task = json(sandbox.get(DATA + "/sobjects/Task/" + id, token));
        assertThat(task.get("AccountId").asText()).isEqualTo(opportunity.get("AccountId").asText());
        assertThat(task.get("WhoId").asText()).isEqualTo(contact.get("Id").asText());
        assertThat(task.get("Status").asText()).isEqualTo("Not Started");
        assertThat(task.get("Priority").asText()).isEqualTo("Normal");
        assertThat(task.get("TaskSubtype").asText()).isEqualTo("Task");
        assertThat(task.get("OwnerId").asText()).isEqualTo(sandbox.orgs.defaultOrg().userId());
        assertThat(task.get("ActivityDate").asText()).isEqualTo("2025-06-03");

        // about nothing but a contact: the contact's account
        assertThat(send(patch(DATA + "/sobjects/Task/" + id), "{\"WhatId\":null,\"Status\":\"Completed\"}").getStatus()).isEqualTo(204);
        task = json(sandbox.get(DATA + "/sobjects/Task/" + id, token));
        assertThat(task.get("AccountId").asText()).isEqualTo(contact.get("AccountId").asText());
        assertThat(task.get("Status").asText()).isEqualTo("Completed");

        assertError(send(patch(DATA + "/sobjects/Task/" + id), "{\"TaskSubtype\":\"Call\"}"), 400, "INVALID_FIELD_FOR_INSERT_UPDATE");
        assertError(send(patch(DATA + "/sobjects/Task/" + id), "{\"AccountId\":\"" + opportunity.get("AccountId").asText() + "\"}"),
                400, "INVALID_FIELD_FOR_INSERT_UPDATE");
        assertError(send(patch(DATA + "/sobjects/Task/" + id), "{\"Status\":null}"), 400, "REQUIRED_FIELD_MISSING");

        sandbox.clock.advance(Duration.ofMinutes(1));
        assertThat(sandbox.perform(authorized(delete(DATA + "/sobjects/Task/" + id), token)).getStatus()).isEqualTo(204);
        JsonNode deleted = json(sandbox.get(DATA + "/sobjects/Task/deleted?start=2025-06-01T12:00:00Z&end=2025-06-01T13:00:00Z", token));
        assertThat(deleted.get("deletedRecords")).extracting(r -> r.get("id").asText()).containsExactly(id);
    }

    @Test
    void anEventsStartEndAndDurationFollowOneAnother() throws Exception {
        String account = first("SELECT Id FROM Account ORDER BY CreatedDate LIMIT 1").get("Id").asText();
        MockHttpServletResponse created = send(post(DATA + "/sobjects/Event"), "{\"Subject\":\"Meeting\",\"WhatId\":\"" + account
                + "\",\"StartDateTime\":\"2025-06-10T09:00:00.000+0000\",\"DurationInMinutes\":45,\"Location\":\"Berlin\"}");
        assertThat(created.getStatus()).as(created.getContentAsString()).isEqualTo(201);
        String row = DATA + "/sobjects/Event/" + json(created).get("id").asText();
        JsonNode event = json(sandbox.get(row, token));
        assertThat(event.get("EndDateTime").asText()).isEqualTo("2025-06-10T09:45:00.000+0000");
        assertThat(event.get("ActivityDateTime").asText()).isEqualTo("2025-06-10T09:00:00.000+0000");
        assertThat(event.get("ActivityDate").asText()).isEqualTo("2025-06-10");
        assertThat(event.get("IsAllDayEvent").asBoolean()).isFalse();
        assertThat(event.get("AccountId").asText()).isEqualTo(account);

        // a new end changes the duration; a moved start keeps it
        assertThat(send(patch(row), "{\"EndDateTime\":\"2025-06-10T10:30:00Z\"}").getStatus()).isEqualTo(204);
        assertThat(json(sandbox.get(row, token)).get("DurationInMinutes").asInt()).isEqualTo(90);
        assertThat(send(patch(row), "{\"StartDateTime\":\"2025-06-11T14:00:00Z\"}").getStatus()).isEqualTo(204);
        event = json(sandbox.get(row, token));
        assertThat(event.get("EndDateTime").asText()).isEqualTo("2025-06-11T15:30:00.000+0000");
        assertThat(event.get("ActivityDate").asText()).isEqualTo("2025-06-11");

        assertError(send(patch(row), "{\"EndDateTime\":\"2025-06-11T13:00:00Z\"}"), 400, "FIELD_INTEGRITY_EXCEPTION");
        assertError(send(patch(row), "{\"DurationInMinutes\":20161}"), 400, "FIELD_INTEGRITY_EXCEPTION");
        MockHttpServletResponse noLength = send(post(DATA + "/sobjects/Event"), "{\"StartDateTime\":\"2025-06-10T09:00:00Z\"}");
        assertError(noLength, 400, "REQUIRED_FIELD_MISSING");
        assertThat(json(noLength).get(0).get("fields").get(0).asText()).isEqualTo("DurationInMinutes");
        assertError(send(post(DATA + "/sobjects/Event"), "{\"DurationInMinutes\":30}"), 400, "REQUIRED_FIELD_MISSING");

        // an all-day event is whole days from midnight UTC
        MockHttpServletResponse allDay = send(post(DATA + "/sobjects/Event"),
                "{\"Subject\":\"Workshop\",\"IsAllDayEvent\":true,\"ActivityDate\":\"2025-07-01\"}");
        assertThat(allDay.getStatus()).as(allDay.getContentAsString()).isEqualTo(201);
        event = json(sandbox.get(DATA + "/sobjects/Event/" + json(allDay).get("id").asText(), token));
        assertThat(event.get("StartDateTime").asText()).isEqualTo("2025-07-01T00:00:00.000+0000");
        assertThat(event.get("DurationInMinutes").asInt()).isEqualTo(1440);
        assertThat(event.get("EndDateTime").asText()).isEqualTo("2025-07-02T00:00:00.000+0000");
        assertThat(event.get("AccountId").isNull()).isTrue();
    }

    @Test
    void polymorphicReferencesAcceptOnlyLiveRecordsOfTheirObjects() throws Exception {
        String account = first("SELECT Id FROM Account ORDER BY CreatedDate LIMIT 1").get("Id").asText();
        // WhoId is a person: an account id is of the wrong object, a lead id that names no lead is no reference
        MockHttpServletResponse wrongObject = send(post(DATA + "/sobjects/Task"), "{\"WhoId\":\"" + account + "\"}");
        assertError(wrongObject, 400, "FIELD_INTEGRITY_EXCEPTION");
        assertThat(json(wrongObject).get(0).get("fields").get(0).asText()).isEqualTo("WhoId");
        assertError(send(post(DATA + "/sobjects/Task"), "{\"WhoId\":\"" + SalesforceIds.of("00Q", "5A", 999_999) + "\"}"), 400,
                "INVALID_CROSS_REFERENCE_KEY");
        assertError(send(post(DATA + "/sobjects/Task"), "{\"WhatId\":\"" + SalesforceIds.of("006", "5A", 999) + "\"}"), 400,
                "INVALID_CROSS_REFERENCE_KEY");
        assertError(send(post(DATA + "/sobjects/Task"), "{\"OwnerId\":\"" + SalesforceIds.of("005", "5A", 2) + "\"}"), 400,
                "INVALID_CROSS_REFERENCE_KEY");
        assertError(send(post(DATA + "/sobjects/Task"), "{\"WhatId\":\"nope\"}"), 400, "MALFORMED_ID");
        assertThat(sandbox.changes).isEmpty();
    }

    @Test
    void deletingWhatAnActivityConcernsDeletesTheActivity() throws Exception {
        // account 1 has a task with its first contact and an event with its second
        JsonNode account = first("SELECT Id FROM Account ORDER BY CreatedDate LIMIT 1 OFFSET 1");
        String accountId = account.get("Id").asText();
        List<String> activities = new ArrayList<>();
        for (String type : List.of("Task", "Event")) {
            json(sandbox.query("query", "SELECT Id FROM " + type + " WHERE AccountId = '" + accountId + "'", token)).get("records")
                    .forEach(r -> activities.add(r.get("Id").asText()));
        }
        assertThat(activities).hasSize(2);
        String firstContact = first("SELECT Id FROM Contact WHERE AccountId = '" + accountId + "' ORDER BY CreatedDate LIMIT 1")
                .get("Id").asText();

        sandbox.clock.advance(Duration.ofMinutes(1));
        assertThat(sandbox.perform(authorized(delete(DATA + "/sobjects/Contact/" + firstContact), token)).getStatus()).isEqualTo(204);
        assertThat(count("SELECT COUNT() FROM Task WHERE AccountId = '" + accountId + "'")).isZero();
        assertThat(count("SELECT COUNT() FROM Event WHERE AccountId = '" + accountId + "'")).isEqualTo(1);

        assertThat(sandbox.perform(authorized(delete(DATA + "/sobjects/Account/" + accountId), token)).getStatus()).isEqualTo(204);
        JsonNode gone = json(sandbox.query("queryAll", "SELECT Id FROM Event WHERE AccountId = '" + accountId
                + "' AND IsDeleted = true", token));
        assertThat(gone.get("totalSize").asInt()).isEqualTo(1);
        sandbox.clock.advance(Duration.ofSeconds(1));
        JsonNode deletedEvents = json(sandbox.get(DATA + "/sobjects/Event/deleted?start=2025-06-01T12:00:00Z&end=2025-06-01T13:00:00Z",
                token));
        assertThat(deletedEvents.get("deletedRecords")).extracting(r -> r.get("id").asText()).containsExactly(activities.get(1));
        assertThat(sandbox.changes).extracting(c -> c.type() + " " + c.changeType())
                .containsExactly("Contact deleted", "Task deleted", "Account deleted", "Contact deleted", "Opportunity deleted",
                        "Event deleted");
    }

    @Test
    void describesWhoAndWhatAsPolymorphicReferences() throws Exception {
        JsonNode task = json(sandbox.get(DATA + "/sobjects/Task/describe", token));
        assertThat(task.get("keyPrefix").asText()).isEqualTo("00T");
        JsonNode who = field(task, "WhoId");
        assertThat(who.get("referenceTo")).extracting(JsonNode::asText).containsExactly("Contact", "Lead");
        assertThat(who.get("relationshipName").asText()).isEqualTo("Who");
        assertThat(who.get("polymorphicForeignKey").asBoolean()).isTrue();
        assertThat(field(task, "WhatId").get("referenceTo")).extracting(JsonNode::asText).contains("Account", "Opportunity");
        JsonNode accountId = field(task, "AccountId");
        assertThat(accountId.get("createable").asBoolean()).isFalse();
        assertThat(accountId.get("polymorphicForeignKey").asBoolean()).isFalse();
        assertThat(field(task, "Subject").get("type").asText()).isEqualTo("combobox");
        assertThat(field(task, "TaskSubtype").get("updateable").asBoolean()).isFalse();
        assertThat(field(task, "Status").get("picklistValues")).extracting(v -> v.get("value").asText()).contains("Completed");
        JsonNode event = json(sandbox.get(DATA + "/sobjects/Event/describe/", token));
        assertThat(event.get("keyPrefix").asText()).isEqualTo("00U");
        assertThat(field(event, "DurationInMinutes").get("type").asText()).isEqualTo("int");

        JsonNode account = json(sandbox.get(DATA + "/sobjects/Account/describe", token));
        List<String> children = new ArrayList<>();
        account.get("childRelationships").forEach(c -> children.add(c.get("childSObject").asText() + "." + c.get("field").asText()
                + " " + c.get("relationshipName").asText()));
        assertThat(children).containsExactly("Contact.AccountId Contacts", "Opportunity.AccountId Opportunities",
                "Task.WhatId Tasks", "Task.AccountId null", "Event.WhatId Events", "Event.AccountId null");
    }

    private static JsonNode field(JsonNode describe, String name) {
        for (JsonNode f : describe.get("fields")) {
            if (f.get("name").asText().equals(name)) {
                return f;
            }
        }
        throw new AssertionError("no field " + name);
    }

    private int count(String soql) throws Exception {
        return json(sandbox.query("query", soql, token)).get("totalSize").asInt();
    }

    private JsonNode first(String soql) throws Exception {
        JsonNode page = json(sandbox.query("query", soql, token));
        assertThat(page.get("records")).as(soql).isNotEmpty();
        return page.get("records").get(0);
    }

    private MockHttpServletResponse send(MockHttpServletRequestBuilder request, String body) throws Exception {
        return sandbox.perform(authorized(request, token).contentType("application/json;charset=utf-8").content(body));
    }

    private static void assertError(MockHttpServletResponse response, int status, String errorCode) throws Exception {
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(status);
        assertThat(json(response).get(0).get("errorCode").asText()).isEqualTo(errorCode);
    }
}
