package sandbox.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh Graph sandbox on MockMvc per test ({@link GraphSandboxFixture}) and a Graph token of the Entra sandbox. */
abstract class GraphSandboxTestBase {

    @TempDir
    Path temp;
    GraphSandboxFixture graph;
    String token;

    /** The sandbox's settings; the defaults unless a test class needs others. */
    GraphSandboxProperties properties() {
        return GraphSandboxProperties.defaults();
    }

    @BeforeEach
    void startSandbox() throws Exception {
        graph = new GraphSandboxFixture(temp, properties());
        token = graph.token();
    }

    @AfterEach
    void stopSandbox() {
        graph.close();
    }

    /** One delta round: every item of its pages, how many pages, and the deltaLink it ended with. */
    record Round(List<JsonNode> items, int pages, String deltaLink) {
    }

    /** Follows a delta from {@code start} through its nextLinks to the deltaLink; a page never carries both. */
    Round round(String start) throws Exception {
        List<JsonNode> items = new ArrayList<>();
        int pages = 0;
        JsonNode page = graph.get(start, token);
        while (true) {
            pages++;
            if (page.has("@odata.nextLink") && page.has("@odata.deltaLink")) {
                throw new AssertionError("a page with both a nextLink and a deltaLink: " + page);
            }
            page.get("value").forEach(items::add);
            if (page.has("@odata.deltaLink")) {
                return new Round(items, pages, page.get("@odata.deltaLink").asText());
            }
            page = graph.get(page.get("@odata.nextLink").asText(), token);
        }
    }
}
