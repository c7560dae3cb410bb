package processors.matching;

import java.util.Set;
import java.util.TreeSet;

/**
 * What match rules of a shard type may name: the fields its shards hold (the targets of the field mappings into it)
 * and the sources that write them (providers with such a mapping), for source priorities.
 */
public record ShardFields(String shardType, Set<String> fields, Set<String> sources) {

    public ShardFields {
        fields = Set.copyOf(fields);
        sources = Set.copyOf(sources);
    }

    String knownFields() {
        return String.join(", ", new TreeSet<>(fields));
    }
}
