package processors.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import processors.mapping.MappedRecord;

class ContentLimitTest {

    private final ContentLimit limit = new ContentLimit(10);

    @Test
    void aNoteBodyPastTheLimitIsCutWithTheMarkerAndKeepsItsLength() {
        MappedRecord note = record("c_note", "body", "0123456789abc");

        limit.apply(note);

        assertThat(note.structuredData()).containsExactly(entry("title", "t"), entry("body", "0123456789" + ContentLimit.MARKER),
                entry("bodyLength", 13), entry("truncated", true));
    }

    @Test
    void aDocumentTextPastTheLimitIsCutTheSameWay() {
        MappedRecord document = record("c_document", "text", "x".repeat(11));

        limit.apply(document);

        assertThat(document.structuredData()).contains(entry("text", "x".repeat(10) + ContentLimit.MARKER), entry("textLength", 11),
                entry("truncated", true));
    }

    @Test
    void textsWithinTheLimitOtherFieldsAndOtherShardTypesStayAsTheyAre() {
        MappedRecord atLimit = record("c_note", "body", "0123456789");
        MappedRecord otherField = record("c_note", "summary", "0123456789abc");
        MappedRecord company = record("c_company", "body", "0123456789abc");
        MappedRecord missing = new MappedRecord("1", null, "c_note", new LinkedHashMap<>(Map.of("title", "t")), List.of());

        for (MappedRecord record : List.of(atLimit, otherField, company, missing)) {
            Map<String, Object> before = Map.copyOf(record.structuredData());
            limit.apply(record);
            assertThat(record.structuredData()).isEqualTo(before);
        }
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        MappedRecord note = record("c_note", "body", "012345678\uD83D\uDE00tail");

        limit.apply(note);

        assertThat(note.structuredData().get("body")).isEqualTo("012345678" + ContentLimit.MARKER);
    }

    @Test
    void theLimitIsPositive() {
        assertThatThrownBy(() -> new ContentLimit(0)).hasMessageContaining("hub.content.max-text-chars");
    }

    private static MappedRecord record(String shardType, String field, String text) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("title", "t");
        data.put(field, text);
        return new MappedRecord("1", null, shardType, data, List.of());
    }
}
