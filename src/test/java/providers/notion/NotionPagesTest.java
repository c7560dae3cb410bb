package providers.notion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import providers.PermanentProviderException;

/** Notion's typed property values read flat, and written back by type. */
class NotionPagesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void typedValuesReadAsPlainOnes() throws Exception {
        JsonNode page = JSON.readTree("""
                {"object":"page","id":"p1","created_time":"2024-01-01T10:00:00.000Z","last_edited_time":"2024-01-02T10:00:00.000Z",
                 "created_by":{"id":"u1"},"last_edited_by":{"id":"u2"},"in_trash":false,"url":"https://www.notion.so/p1",
                 "parent":{"type":"data_source_id","data_source_id":"s1","database_id":"d1"},
                 "properties":{
                  "Name":{"id":"title","type":"title","title":[{"plain_text":"Acme "},{"plain_text":"Corp"}]},
                  "Employees":{"type":"number","number":42},
                  "Stage":{"type":"select","select":{"name":"Customer"}},
                  "Tags":{"type":"multi_select","multi_select":[{"name":"a"},{"name":"b"}]},
                  "Company":{"type":"relation","relation":[{"id":"c1"},{"id":"c2"}]},
                  "Renewal":{"type":"date","date":{"start":"2024-02-01","end":null}},
                  "Active":{"type":"checkbox","checkbox":true},
                  "Website":{"type":"url","url":null},
                  "Notes":{"type":"rich_text","rich_text":[]}}}""");
        Map<String, Object> flat = NotionPages.flat(page);
        assertThat(flat).containsEntry("Name", "Acme Corp").containsEntry("Employees", new BigDecimal("42"))
                .containsEntry("Stage", "Customer").containsEntry("Tags", "a, b").containsEntry("Company", "c1")
                .containsEntry("Renewal", "2024-02-01").containsEntry("Active", true).containsEntry("Website", null)
                .containsEntry("Notes", null).containsEntry("id", "p1").containsEntry("database_id", "d1")
                .containsEntry("last_edited_time", "2024-01-02T10:00:00.000Z").containsEntry("in_trash", false);
    }

    @Test
    void writesAreTypedByTheProperty() {
        assertThat(NotionPages.request("Name", "title", "x".repeat(2500)).at("/title/1/text/content").asText()).hasSize(500);
        assertThat(NotionPages.request("Employees", "number", "77").at("/number").decimalValue()).isEqualByComparingTo("77");
        assertThat(NotionPages.request("Stage", "select", "Customer").at("/select/name").asText()).isEqualTo("Customer");
        assertThat(NotionPages.request("Stage", "select", null).get("select").isNull()).isTrue();
        assertThat(NotionPages.request("Tags", "multi_select", "a, b").at("/multi_select/1/name").asText()).isEqualTo("b");
        assertThat(NotionPages.request("Active", "checkbox", "true").get("checkbox").asBoolean()).isTrue();
        assertThat(NotionPages.request("Renewal", "date", "2024-02-01").at("/date/start").asText()).isEqualTo("2024-02-01");
        assertThatThrownBy(() -> NotionPages.request("Employees", "number", "many")).isInstanceOf(PermanentProviderException.class)
                .hasMessageContaining("Employees");
        assertThatThrownBy(() -> NotionPages.request("Files", "files", "x")).hasMessageContaining("cannot be written");
    }

    @Test
    void blocksBecomeMarkedLines() throws Exception {
        assertThat(NotionPages.line(JSON.readTree("{\"type\":\"to_do\",\"to_do\":{\"rich_text\":[{\"plain_text\":\"Call\"}],\"checked\":true}}")))
                .isEqualTo("[x] Call");
        assertThat(NotionPages.line(JSON.readTree("{\"type\":\"heading_1\",\"heading_1\":{\"rich_text\":[{\"plain_text\":\"H\"}]}}")))
                .isEqualTo("# H");
        assertThat(NotionPages.line(JSON.readTree("{\"type\":\"image\",\"image\":{}}"))).isNull();
    }
}
