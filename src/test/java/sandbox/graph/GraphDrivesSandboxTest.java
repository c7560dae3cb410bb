package sandbox.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockHttpServletResponse;

/** OneDrive in the Graph sandbox: drives, items, content and root/delta with token=latest, the deleted facet and 410 Gone. */
class GraphDrivesSandboxTest extends GraphSandboxTestBase {

    @Test
    void aFullEnumerationThenOnlyChangesWithDeletionsMarked() throws Exception {
        JsonNode created = graph.setup(HttpMethod.POST, "/drives", token, Map.of("name", "Delta drive", "files", 7), 201);
        String driveId = created.get("id").asText();
        assertThat(driveId).startsWith("b!").hasSize(66);
        assertThat(graph.get(GraphSandboxFixture.API + "/drives/" + driveId, token).get("driveType").asText()).isEqualTo("business");
        assertThat(graph.get(GraphSandboxFixture.API + "/drives", token).get("value")).extracting(d -> d.get("name").asText())
                .containsExactly("Documents", "Delta drive");
        String delta = GraphSandboxFixture.API + "/drives/" + driveId + "/root/delta";

        Round full = round(delta + "?$top=3");
        assertThat(full.pages()).isEqualTo(3);
        // the root, the Customers folder and 7 files
        assertThat(full.items()).hasSize(9);
        assertThat(full.items().get(0).has("root")).isTrue();
        JsonNode file = full.items().stream().filter(i -> i.has("file")).findFirst().orElseThrow();
        assertThat(file.get("id").asText()).matches("01[A-Z2-7]{32}");
        assertThat(file.get("eTag").asText()).matches("\"\\{[0-9A-F-]{36}},1\"");
        assertThat(file.at("/parentReference/path").asText()).isEqualTo("/drives/" + driveId + "/root:/Customers");
        String fileId = file.get("id").asText();
        MockHttpServletResponse content = graph.call(HttpMethod.GET, GraphSandboxFixture.API + "/drives/" + driveId + "/items/"
                + fileId + "/content", token, null);
        assertThat(content.getStatus()).isEqualTo(200);
        assertThat(content.getContentAsString(StandardCharsets.UTF_8)).startsWith("Account plan: ");
        assertThat(graph.get(GraphSandboxFixture.API + "/drives/" + driveId + "/root/children", token).get("value")).hasSize(1);

        JsonNode latest = graph.get(delta + "?token=latest", token);
        assertThat(latest.get("value")).isEmpty();
        String fromNow = latest.get("@odata.deltaLink").asText();
        assertThat(round(full.deltaLink()).items()).isEmpty();

        String items = "/drives/" + driveId + "/items";
        String added = graph.setup(HttpMethod.POST, items, token, Map.of("name", "Notes.txt", "content", "hello"), 201).get("id").asText();
        graph.setup(HttpMethod.PATCH, items + "/" + fileId, token, Map.of("content", "changed"), 200);
        String removed = full.items().stream().filter(i -> i.has("file") && !i.get("id").asText().equals(fileId))
                .findFirst().orElseThrow().get("id").asText();
        graph.setup(HttpMethod.DELETE, items + "/" + removed, token, null, 204);

        for (String link : List.of(full.deltaLink(), fromNow)) {
            List<JsonNode> changes = round(link).items();
            assertThat(changes).extracting(i -> i.get("id").asText()).containsExactlyInAnyOrder(added, fileId, removed);
            JsonNode gone = changes.stream().filter(i -> i.get("id").asText().equals(removed)).findFirst().orElseThrow();
            assertThat(gone.at("/deleted/state").asText()).isEqualTo("deleted");
            JsonNode changed = changes.stream().filter(i -> i.get("id").asText().equals(fileId)).findFirst().orElseThrow();
            assertThat(changed.get("eTag").asText()).endsWith(",2\"");
        }
        assertThat(graph.expect(404, HttpMethod.GET, GraphSandboxFixture.API + items + "/" + removed, token, null)
                .at("/error/code").asText()).isEqualTo("itemNotFound");
    }

    @Test
    void aStaleTokenIs410GoneWithALocationThatStartsOver() throws Exception {
        String driveId = graph.setup(HttpMethod.POST, "/drives", token, Map.of("name", "Resync drive", "files", 2), 201).get("id").asText();
        String delta = GraphSandboxFixture.API + "/drives/" + driveId + "/root/delta";
        String link = round(delta).deltaLink();
        graph.setup(HttpMethod.POST, "/drives/" + driveId + "/resync", token, null, 200);

        MockHttpServletResponse gone = graph.call(HttpMethod.GET, link, token, null);
        assertThat(gone.getStatus()).isEqualTo(410);
        JsonNode error = GraphSandboxFixture.JSON.readTree(gone.getContentAsString()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("resyncRequired");
        assertThat(error.at("/innerError/code").asText()).isEqualTo("resyncChangesApplyDifferences");
        Round again = round(gone.getHeader("Location"));
        assertThat(again.items()).hasSize(4);
        assertThat(graph.expect(400, HttpMethod.GET, delta + "?token=made-up", token, null).at("/error/code").asText())
                .isEqualTo("invalidRequest");
    }
}
