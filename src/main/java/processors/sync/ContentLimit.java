package processors.sync;

import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import hub.ShardTypes;
import processors.mapping.MappedRecord;

/**
 * The content rule for long texts: a note's body or a document's text longer than {@code hub.content.max-text-chars} is cut
 * there and ends with {@link #MARKER}; the shard keeps the original length ({@code bodyLength}, {@code textLength}) and
 * {@code truncated: true}. A long text never fails the record or its page.
 */
@Component
public class ContentLimit {

    /** Appended to a cut text, so a reader sees it is not the whole. */
    public static final String MARKER = "\n[truncated]";

    private final int maxTextChars;

    public ContentLimit(@Value("${hub.content.max-text-chars:100000}") int maxTextChars) {
        if (maxTextChars < 1) {
            throw new IllegalArgumentException("hub.content.max-text-chars must be positive, was " + maxTextChars);
        }
        this.maxTextChars = maxTextChars;
    }

    /** Applies the rule to the record and the shards it derives, in place. */
    public void apply(MappedRecord record) {
        cut(record.shardType(), record.structuredData());
        for (MappedRecord.Derived derived : record.derived()) {
            cut(derived.record().shardType(), derived.record().structuredData());
        }
    }

    private void cut(String shardType, Map<String, Object> data) {
        String field = ShardTypes.LONG_TEXT_FIELDS.get(shardType);
        if (field == null || !(data.get(field) instanceof String text) || text.length() <= maxTextChars) {
            return;
        }
        int end = maxTextChars;
        // never split a surrogate pair: the cut text stays valid UTF-16
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        data.put(field, text.substring(0, end) + MARKER);
        data.put(field + "Length", text.length());
        data.put("truncated", true);
    }
}
