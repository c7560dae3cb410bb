package providers.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import processors.mapping.EntityMapping;
import processors.mapping.MappedRecord;
import processors.mapping.MappingCatalog;
import processors.mapping.RelationshipRef;

/** mappings/slack/messages.yaml: a message as the adapter hands it on becomes a c_note of the shared shape. */
class SlackMappingTest {

    private final EntityMapping messages = new MappingCatalog("").find("slack", "messages").orElseThrow();

    private static Map<String, Object> reply() {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("id", "C0123ABCD:1700000100.000200");
        record.put("ts", "1700000100.000200");
        record.put("channel", "C0123ABCD");
        record.put("channelName", "#acct-acme-0");
        record.put("text", "Sent the proposal to Acme");
        record.put("subtype", null);
        record.put("user", "U0001");
        record.put("author", "Jane Doe");
        record.put("threadTs", "1700000000.000100");
        record.put("parentId", "C0123ABCD:1700000000.000100");
        record.put("replyCount", 0);
        record.put("edited", true);
        record.put("editedAt", "2023-11-14T22:30:00Z");
        record.put("createdAt", "2023-11-14T22:15:00.000200Z");
        record.put("updatedAt", "2023-11-14T22:30:00Z");
        record.put("version", "1700001000.000000");
        record.put("permalink", "https://acme.slack.com/archives/C0123ABCD/p1700000100000200?thread_ts=1700000000.000100&cid=C0123ABCD");
        return record;
    }

    @Test
    void aReplyIsANoteLinkedToItsParentsNote() {
        assertThat(messages.shardType()).isEqualTo("c_note");
        assertThat(messages.externalVersionPath()).isEqualTo("version");
        MappedRecord note = messages.map(reply());
        assertThat(note.externalId()).isEqualTo("C0123ABCD:1700000100.000200");
        Map<String, Object> data = note.structuredData();
        assertThat(data).containsEntry("kind", "message").containsEntry("body", "Sent the proposal to Acme").containsEntry("author", "Jane Doe")
                .containsEntry("container", "#acct-acme-0").containsEntry("createdAt", "2023-11-14T22:15:00.000200Z");
        assertThat(data.get("url").toString()).startsWith("https://acme.slack.com/archives/C0123ABCD/p1700000100000200");
        @SuppressWarnings("unchecked")
        Map<String, Object> extras = (Map<String, Object>) data.get("extras");
        assertThat(extras).containsEntry("edited", true).containsEntry("threadTs", "1700000000.000100").containsEntry("channelId", "C0123ABCD");
        assertThat(note.relationships()).containsExactly(new RelationshipRef("reply_to", "messages", "c_note", "C0123ABCD:1700000000.000100"));
    }

    @Test
    void aTopLevelMessageHasNoParentAndNothingIsWrittenBack() {
        Map<String, Object> record = reply();
        record.put("threadTs", null);
        record.put("parentId", null);
        assertThat(messages.map(record).relationships()).isEmpty();
        assertThat(messages.writableTargets()).isEmpty();
        assertThat(Set.copyOf(messages.fields().stream().map(f -> f.target().split("\\.")[0]).toList()))
                .isSubsetOf("kind", "title", "body", "author", "container", "url", "createdAt", "updatedAt", "extras");
    }
}
