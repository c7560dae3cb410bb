package hub;

import java.util.List;

/** The shard types of Castiel's knowledge graph that the hub reads and writes. */
public final class ShardTypes {

    public static final List<String> ALL = List.of("c_company", "c_contact", "c_opportunity", "c_note", "c_document");

    private ShardTypes() {
    }
}
