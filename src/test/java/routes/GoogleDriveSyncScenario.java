package routes;

import static org.assertj.core.api.Assertions.assertThat;
import static routes.GoogleDriveSyncTest.*;
import static routes.SalesforceSyncScenario.assertCounts;
import static routes.SalesforceSyncScenario.byExternalId;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import hub.EmbeddedHubTest;
import hub.HubClient;

/**
 * The end-to-end sync of {@link GoogleDriveSyncTest} against its sandbox, on each store: H2 there, PostgreSQL in
 * {@link ContentSyncOnPostgresTest}.
 */
interface GoogleDriveSyncScenario {

    HubClient hub();

    @Test
    default void fullSyncOfTheSelectedFoldersThenChangesThroughTheChangesApi() {
        HubClient hub = hub();
        String key = hub.newTenantKey(EmbeddedHubTest.ADMIN_KEY);
        GoogleDriveDomain domain = new GoogleDriveDomain(hub, "sync");
        String integration = domain.connect(key, Map.of());
        String customers = domain.folder("Customers");
        String notes = domain.folder("Meeting notes");
        String sales = domain.drive("Sales");

        HubClient.Response unknown = domain.select(key, integration, List.of(customers, "1NoSuchFolderAnywhereInThisDomain00"));
        assertThat(unknown.status()).as(unknown.raw()).isEqualTo(400);
        assertThat(unknown.raw()).contains("sources.files").contains("1NoSuchFolderAnywhereInThisDomain00");
        assertThat(domain.select(key, integration, List.of(customers, sales)).status()).isEqualTo(200);

        List<JsonNode> expected = domain.filesIn(List.of(customers, sales));
        assertThat(expected).hasSizeGreaterThan(10);
        String task = hub.task(key, integration, "files", "full");
        JsonNode full = hub.runAndWait(key, integration, task, TIMEOUT);
        assertCounts(full, "completed", expected.size(), expected.size(), 0, 0, 0);

        Map<String, JsonNode> shards = byExternalId(hub.allShards(key, "c_document"));
        assertThat(shards.keySet()).containsExactlyInAnyOrderElementsOf(expected.stream().map(f -> f.get("id").asText()).toList());
        JsonNode doc = expected.stream().filter(f -> f.get("mimeType").asText().endsWith(".document")).findFirst().orElseThrow();
        JsonNode docShard = shard(hub, key, shards.get(doc.get("id").asText()));
        assertThat(docShard.at("/structuredData/kind").asText()).isEqualTo("doc");
        assertThat(docShard.at("/structuredData/title").asText()).isEqualTo(doc.get("name").asText());
        assertThat(docShard.at("/structuredData/text").asText()).startsWith("Account plan: ")
                .contains(doc.get("name").asText().replaceFirst("^.* – ", ""));
        assertThat(docShard.at("/structuredData/url").asText()).isEqualTo(doc.get("webViewLink").asText());
        assertThat(docShard.at("/structuredData/author").asText()).isEqualTo(doc.at("/owners/0/displayName").asText());
        assertThat(docShard.at("/structuredData/container").asText()).isIn("Customers", "Sales");
        assertThat(docShard.at("/structuredData/extras/size").asLong()).isEqualTo(doc.get("size").asLong());
        assertThat(docShard.at("/structuredData/updatedAt").asText()).isNotBlank();
        JsonNode pdf = expected.stream().filter(f -> f.get("mimeType").asText().equals("application/pdf")).findFirst().orElseThrow();
        JsonNode pdfShard = shard(hub, key, shards.get(pdf.get("id").asText()));
        assertThat(pdfShard.at("/structuredData/text").isMissingNode()).isTrue();
        assertThat(pdfShard.at("/structuredData/extras/mimeType").asText()).isEqualTo("application/pdf");
        assertThat(pdfShard.at("/structuredData/extras/size").asLong()).isEqualTo(pdf.get("size").asLong());

        // Drive changes: a Doc edited, one trashed, one deleted, one new in Customers, one new in the unselected folder
        List<JsonNode> docs = expected.stream().filter(f -> f.get("mimeType").asText().endsWith(".document")).toList();
        String edited = docs.get(0).get("id").asText();
        String trashed = docs.get(1).get("id").asText();
        String deleted = docs.get(2).get("id").asText();
        domain.setup("PATCH", "files/" + edited, Map.of("text", "Renewal call with Acme moved to Friday."));
        domain.setup("POST", "files/" + trashed + "/trash", null);
        domain.setup("DELETE", "files/" + deleted, null);
        String created = domain.setup("POST", "files", Map.of("name", "Kick-off notes", "parent", customers,
                "text", "Kick-off with the new customer.")).get("id").asText();
        domain.setup("POST", "files", Map.of("name", "Not selected", "parent", notes, "text", "elsewhere"));

        String incrementalTask = hub.task(key, integration, "files", "incremental");
        JsonNode incremental = hub.runAndWait(key, integration, incrementalTask, TIMEOUT);
        assertThat(incremental.get("status").asText()).as(incremental.toString()).isEqualTo("completed");
        assertThat(incremental.get("recordsCreated").asLong()).isEqualTo(1);
        assertThat(incremental.get("recordsUpdated").asLong()).isEqualTo(1);
        assertThat(incremental.get("recordsDeleted").asLong()).isEqualTo(2);
        assertThat(incremental.get("recordsFailed").asLong()).isZero();

        shards = byExternalId(hub.allShards(key, "c_document"));
        assertThat(shard(hub, key, shards.get(edited)).at("/structuredData/text").asText()).isEqualTo("Renewal call with Acme moved to Friday.");
        assertThat(shards.get(trashed).get("deleted").asBoolean()).isTrue();
        assertThat(shards.get(deleted).get("deleted").asBoolean()).isTrue();
        assertThat(shard(hub, key, shards.get(created)).at("/structuredData/title").asText()).isEqualTo("Kick-off notes");
        assertThat(shards).hasSize(expected.size() + 1);

        // nothing changed since: an empty page of changes
        assertCounts(hub.runAndWait(key, integration, incrementalTask, TIMEOUT), "completed", 0, 0, 0, 0, 0);

        // the domain starts over (its change log with it): the stored page token is refused, the pass becomes full
        domain.setup("POST", "reset", null);
        JsonNode afterReset = hub.runAndWait(key, integration, incrementalTask, TIMEOUT);
        assertThat(afterReset.get("status").asText()).as(afterReset.toString()).isEqualTo("completed");
        assertThat(afterReset.get("notice").asText()).contains("the pass became a full pass");
        assertThat(afterReset.get("recordsProcessed").asLong()).isEqualTo(expected.size());
    }
}
