package providers.notion;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import providers.webhooks.HubEvent;
import providers.webhooks.InboundWebhook;

/** Notion events of database pages reach both page entities; other events keep their document and note nouns. */
class NotionEventParserTest {

    private static InboundWebhook post(String body) {
        return InboundWebhook.of("POST", "/webhooks/x", null, Map.of("content-type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aDatabasePageEventIsACompanyAndANoteEvent() {
        String body = "{\"id\":\"e1\",\"type\":\"page.properties_updated\",\"entity\":{\"id\":\"p1\",\"type\":\"page\"},"
                + "\"data\":{\"parent\":{\"id\":\"d1\",\"type\":\"database\",\"data_source_id\":\"s1\"},\"updated_properties\":[\"title\"]}}";
        assertThat(new NotionEventParser().parse(post(body))).containsExactly(
                new HubEvent("company.updated", "companies", "p1", "page.properties_updated"),
                new HubEvent("note.updated", "notes", "p1", "page.properties_updated"));
        String deleted = body.replace("page.properties_updated", "page.deleted");
        assertThat(new NotionEventParser().parse(post(deleted))).extracting(HubEvent::type).containsExactly("company.deleted", "note.deleted");
    }

    @Test
    void aWorkspacePageStaysADocument() {
        String body = "{\"id\":\"e2\",\"type\":\"page.created\",\"entity\":{\"id\":\"p2\",\"type\":\"page\"},"
                + "\"data\":{\"parent\":{\"id\":\"w1\",\"type\":\"space\"}}}";
        assertThat(new NotionEventParser().parse(post(body))).containsExactly(new HubEvent("document.created", "page", "p2", "page.created"));
    }
}
