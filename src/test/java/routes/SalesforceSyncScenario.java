package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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

    @Test
    default void tasksAndEventsBecomeNotesLinkedToWhatTheyConcernAndTheirDeletionsFollow() {
        HubClient hub = hub();
        String key = hub.newTenantKey(EmbeddedHubTest.ADMIN_KEY);
        String org = "notes-" + UUID.randomUUID().toString().substring(0, 8);
        String integration = hub.connectedSalesforce(key, org, Map.of());
        String token = hub.sandboxToken(org);
        long tasks = query(hub, token, "SELECT COUNT() FROM Task").get("totalSize").asLong();
        long events = query(hub, token, "SELECT COUNT() FROM Event").get("totalSize").asLong();
        assertThat(tasks).isPositive();
        assertThat(events).isPositive();

        for (String entity : List.of("Account", "Contact", "Opportunity")) {
            assertThat(hub.runAndWait(key, integration, hub.task(key, integration, entity, "full"), TIMEOUT).get("status").asText())
                    .isEqualTo("completed");
        }
        String taskFull = hub.task(key, integration, "Task", "full");
        String eventFull = hub.task(key, integration, "Event", "full");
        assertCounts(hub.runAndWait(key, integration, taskFull, TIMEOUT), "completed", tasks, tasks, 0, 0, 0);
        assertCounts(hub.runAndWait(key, integration, eventFull, TIMEOUT), "completed", events, events, 0, 0, 0);
        Map<String, JsonNode> notes = byExternalId(hub.allShards(key, "c_note"));
        assertThat(notes).hasSize((int) (tasks + events));

        // an email about an opportunity: linked to the opportunity, the contact it went to and their company
        JsonNode email = query(hub, token, "SELECT Id, Subject, WhoId, WhatId, AccountId, Status, ActivityDate FROM Task "
                + "WHERE TaskSubtype = 'Email' ORDER BY CreatedDate LIMIT 1").get("records").get(0);
        JsonNode note = hub.ok("GET", "/api/tenant/shards/" + notes.get(email.get("Id").asText()).get("id").asText(), key, null);
        assertThat(note.get("shardType").asText()).isEqualTo("c_note");
        assertThat(note.at("/structuredData/kind").asText()).isEqualTo("task");
        assertThat(note.at("/structuredData/title").asText()).isEqualTo(email.get("Subject").asText());
        assertThat(note.at("/structuredData/author").asText()).startsWith("005");
        assertThat(note.at("/structuredData/extras/status").asText()).isEqualTo(email.get("Status").asText());
        assertThat(note.at("/structuredData/extras/date").asText()).isEqualTo(email.get("ActivityDate").asText());
        assertThat(linked(hub, key, note)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "about", "c_opportunity " + email.get("WhatId").asText(),
                "with", "c_contact " + email.get("WhoId").asText(),
                "belongs_to", "c_company " + email.get("AccountId").asText()));

        // a meeting with a contact, about no record: linked to the contact and, through it, the company
        JsonNode meeting = query(hub, token, "SELECT Id, WhoId, AccountId, StartDateTime, EndDateTime, Location FROM Event "
                + "WHERE WhatId = null ORDER BY CreatedDate LIMIT 1").get("records").get(0);
        JsonNode meetingNote = hub.ok("GET", "/api/tenant/shards/" + notes.get(meeting.get("Id").asText()).get("id").asText(), key, null);
        assertThat(meetingNote.at("/structuredData/kind").asText()).isEqualTo("event");
        assertThat(meetingNote.at("/structuredData/extras/location").asText()).isEqualTo(meeting.get("Location").asText());
        assertThat(Instant.parse(meetingNote.at("/structuredData/extras/end").asText()))
                .isAfter(Instant.parse(meetingNote.at("/structuredData/extras/start").asText()));
        assertThat(linked(hub, key, meetingNote)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "with", "c_contact " + meeting.get("WhoId").asText(),
                "belongs_to", "c_company " + meeting.get("AccountId").asText()));

        // Salesforce deletes the activities of a deleted opportunity or contact with it; a task is deleted on its own;
        // a new event is logged
        String opportunity = email.get("WhatId").asText();
        String contact = meeting.get("WhoId").asText();
        List<String> gone = new ArrayList<>();
        for (String type : List.of("Task", "Event")) {
            query(hub, token, "SELECT Id FROM " + type + " WHERE WhatId = '" + opportunity + "'").get("records")
                    .forEach(r -> gone.add(r.get("Id").asText()));
            query(hub, token, "SELECT Id FROM " + type + " WHERE WhoId = '" + contact + "'").get("records")
                    .forEach(r -> gone.add(r.get("Id").asText()));
        }
        assertThat(gone).contains(email.get("Id").asText(), meeting.get("Id").asText());
        assertThat(hub.sandbox("DELETE", token, "/sobjects/Opportunity/" + opportunity, null).status()).isEqualTo(204);
        assertThat(hub.sandbox("DELETE", token, "/sobjects/Contact/" + contact, null).status()).isEqualTo(204);
        JsonNode lone = query(hub, token, "SELECT Id FROM Task ORDER BY CreatedDate LIMIT 1").get("records").get(0);
        assertThat(gone).doesNotContain(lone.get("Id").asText());
        assertThat(hub.sandbox("DELETE", token, "/sobjects/Task/" + lone.get("Id").asText(), null).status()).isEqualTo(204);
        gone.add(lone.get("Id").asText());
        HubClient.Response logged = hub.sandbox("POST", token, "/sobjects/Event", Map.of("Subject", "Kick-off",
                "WhoId", email.get("WhoId").asText(), "StartDateTime", "2025-09-01T09:00:00Z", "DurationInMinutes", 60));
        assertThat(logged.status()).as(logged.raw()).isEqualTo(201);

        JsonNode taskRun = hub.runAndWait(key, integration, hub.task(key, integration, "Task", "incremental"), TIMEOUT);
        JsonNode eventRun = hub.runAndWait(key, integration, hub.task(key, integration, "Event", "incremental"), TIMEOUT);
        assertThat(taskRun.get("status").asText()).isEqualTo("completed");
        assertThat(eventRun.get("status").asText()).isEqualTo("completed");
        assertThat(taskRun.get("recordsDeleted").asLong() + eventRun.get("recordsDeleted").asLong()).isEqualTo(gone.size());
        assertThat(eventRun.get("recordsCreated").asLong()).isEqualTo(1);
        notes = byExternalId(hub.allShards(key, "c_note"));
        assertThat(notes).hasSize((int) (tasks + events + 1));
        for (String id : gone) {
            assertThat(notes.get(id).get("deleted").asBoolean()).as(id).isTrue();
        }
        assertThat(notes.values().stream().filter(n -> n.get("deleted").asBoolean()).count()).isEqualTo(gone.size());
        assertThat(notes.get(logged.body().get("id").asText()).at("/structuredData/title").asText()).isEqualTo("Kick-off");
    }

    /** A note's links as type -> "shard type, external id" of the shard each resolves to. */
    private static Map<String, String> linked(HubClient hub, String key, JsonNode shard) {
        Map<String, String> links = new HashMap<>();
        for (JsonNode relation : shard.get("relationships")) {
            assertThat(relation.get("targetShardId").isNull()).as(relation.toString()).isFalse();
            JsonNode target = hub.ok("GET", "/api/tenant/shards/" + relation.get("targetShardId").asText(), key, null);
            assertThat(target.get("shardType").asText()).isEqualTo(relation.get("targetShardType").asText());
            links.put(relation.get("type").asText(), target.get("shardType").asText() + " "
                    + target.at("/externalRelationships/0/externalId").asText());
        }
        return links;
    }

    private static JsonNode query(HubClient hub, String token, String soql) {
        HubClient.Response r = hub.sandbox("GET", token, "/query?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8).replace("+", "%20"),
                null);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body();
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
