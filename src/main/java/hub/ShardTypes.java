package hub;

import java.util.List;
import java.util.Map;

/** The shard types of Castiel's knowledge graph that the hub reads and writes. */
public final class ShardTypes {

    public static final List<String> ALL = List.of("c_company", "c_contact", "c_opportunity", "c_note", "c_document");

    /**
     * The long text field of each shard type whose shape has one (README, "Shard shapes"): a note's {@code body}, a
     * document's {@code text}. Synced values past {@code hub.content.max-text-chars} are cut there.
     */
    public static final Map<String, String> LONG_TEXT_FIELDS = Map.of("c_note", "body", "c_document", "text");

    private ShardTypes() {
    }
}
