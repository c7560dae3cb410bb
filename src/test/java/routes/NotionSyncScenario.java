package routes;

import static org.assertj.core.api.Assertions.assertThat;
import static routes.NotionSyncTest.*;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import hub.HubClient;

/**
 * The end-to-end sync of {@link NotionSyncTest} against its sandbox, on each store: H2 there, PostgreSQL in
 * {@link ContentSyncOnPostgresTest}.
 */
interface NotionSyncScenario {

    HubClient hub();

    @Test
    default void companiesAndNotesSyncFullThenIncrementallyWithTrashedPagesAsDeletions() {
        Session s = session(hub(), 12, 15, Map.of(), true);
        NotionSandboxWorkspace notion = s.notion();

        assertCounts(s.sync("companies", "full"), 12, 12, 0, 0);
        assertCounts(s.sync("notes", "full"), 15, 15, 0, 0);
        Map<String, JsonNode> companies = s.shards("c_company");
        assertThat(companies).hasSize(12);
        JsonNode firstCompany = notion.pages("companies", 1).get(0);
        JsonNode companyShard = s.shard(companies.get(firstCompany.get("id").asText()));
        assertThat(companyShard.at("/structuredData/name").asText()).isEqualTo(firstCompany.at("/properties/Name/title/0/plain_text").asText());
        assertThat(companyShard.at("/structuredData/employees").isIntegralNumber()).isTrue();

        JsonNode note = notion.pages("notes", 1).get(0);
        JsonNode noteShard = s.shard(s.shards("c_note").get(note.get("id").asText()));
        String body = noteShard.at("/structuredData/body").asText();
        assertThat(body).startsWith("## Summary\n").contains("\n- Next step: send the proposal to ").contains("\n  Deal: ")
                .contains("\n1. Follow up with ").containsPattern("\\[[ x]\\] Book the renewal call");
        assertThat(noteShard.at("/structuredData/kind").asText()).isEqualTo("page");
        assertThat(noteShard.at("/structuredData/title").asText()).startsWith("Meeting with ");
        assertThat(noteShard.at("/structuredData/author").asText()).as("the creator's name, not an id").doesNotMatch("[0-9a-f-]{36}");
        assertThat(noteShard.at("/structuredData/url").asText()).startsWith("https://www.notion.so/");
        JsonNode about = noteShard.get("relationships").get(0);
        assertThat(about.get("type").asText()).isEqualTo("about");
        assertThat(about.get("targetExternalId").asText()).isEqualTo(note.at("/properties/Company/relation/0/id").asText());

        // a second full pass writes nothing
        assertCounts(s.sync("companies", "full"), 12, 0, 0, 0);

        // change Notion: rename two companies, trash one, create one; append a block to a note
        List<JsonNode> pages = notion.pages("companies", 4);
        notion.update(pages.get(0).get("id").asText(), Map.of("Name", NotionSandboxWorkspace.title("Renamed Co 0")));
        notion.update(pages.get(1).get("id").asText(), Map.of("Name", NotionSandboxWorkspace.title("Renamed Co 1"),
                "Employees", Map.of("number", 4242)));
        notion.trash(pages.get(2).get("id").asText());
        String created = notion.ok("POST", "/pages", Map.of("parent", Map.of("database_id", notion.databaseId("companies")),
                "properties", Map.of("Name", NotionSandboxWorkspace.title("Brand New Notion Co"),
                        "Website", Map.of("url", "https://www.brandnew.example")))).get("id").asText();
        notion.ok("PATCH", "/blocks/" + note.get("id").asText() + "/children", Map.of("children", List.of(Map.of("object", "block",
                "type", "paragraph", "paragraph", Map.of("rich_text", List.of(Map.of("type", "text", "text", Map.of("content",
                        "Added after the call."))))))));

        JsonNode incremental = s.sync("companies", "incremental");
        assertThat(incremental.get("status").asText()).as(incremental.toString()).isEqualTo("completed");
        assertThat(incremental.get("recordsCreated").asLong()).as(incremental.toString()).isEqualTo(1);
        assertThat(incremental.get("recordsUpdated").asLong()).as(incremental.toString()).isEqualTo(2);
        assertThat(incremental.get("recordsDeleted").asLong()).as(incremental.toString()).isEqualTo(1);
        assertThat(incremental.get("recordsProcessed").asLong()).as("only the edited minute again, not the database").isLessThan(12);
        companies = s.shards("c_company");
        assertThat(companies).hasSize(13);
        assertThat(companies.get(pages.get(0).get("id").asText()).at("/structuredData/name").asText()).isEqualTo("Renamed Co 0");
        assertThat(companies.get(pages.get(1).get("id").asText()).at("/structuredData/employees").asLong()).isEqualTo(4242);
        assertThat(companies.get(pages.get(2).get("id").asText()).get("deleted").asBoolean()).isTrue();
        assertThat(companies.get(created).at("/structuredData/domain").asText()).isEqualTo("brandnew.example");
        assertThat(companies.get(pages.get(3).get("id").asText()).get("version").asLong()).isEqualTo(1);

        JsonNode notes = s.sync("notes", "incremental");
        assertThat(notes.get("recordsUpdated").asLong()).as(notes.toString()).isEqualTo(1);
        assertThat(s.shard(s.shards("c_note").get(note.get("id").asText())).at("/structuredData/body").asText())
                .endsWith("Added after the call.");
    }
}
