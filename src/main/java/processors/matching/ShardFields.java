package processors.matching;

import java.util.Set;
import java.util.TreeSet;

/**
 * What match rules of a shard type may name: the fields its shards hold (the targets of the field mappings into it)
 * and the sources that write them (providers with such a mapping), for source priorities. {@link #any} names no
 * limit: for rules read back from the store, checked when they were saved (a mapping changed since must not stop
 * matching).
 */
public record ShardFields(String shardType, Set<String> fields, Set<String> sources, boolean open) {

    public ShardFields {
        fields = Set.copyOf(fields);
        sources = Set.copyOf(sources);
    }

    public ShardFields(String shardType, Set<String> fields, Set<String> sources) {
        this(shardType, fields, sources, false);
    }

    /** Any field and source is accepted. */
    public static ShardFields any(String shardType) {
        return new ShardFields(shardType, Set.of(), Set.of(), true);
    }

    boolean knowsField(String field) {
        return open || fields.contains(field);
    }

    boolean knowsSource(String source) {
        return open || sources.contains(source);
    }

    String knownFields() {
        return String.join(", ", new TreeSet<>(fields));
    }
}
