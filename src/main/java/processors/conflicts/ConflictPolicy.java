package processors.conflicts;

import java.util.Map;
import java.util.Set;

/**
 * How a field changed on both sides is settled, for one integration entity: the strategy, the
 * fallback that {@code merge} and {@code field_priority} use for what they leave open, and the
 * field owners of {@code field_priority}.
 */
public record ConflictPolicy(String strategy, String fallback, Map<String, String> fieldPriority) {

    public static final String LAST_WRITE_WINS = "last_write_wins";
    public static final String EXTERNAL_WINS = "external_wins";
    public static final String CASTIEL_WINS = "castiel_wins";
    public static final String MANUAL = "manual";
    public static final String MERGE = "merge";
    public static final String FIELD_PRIORITY = "field_priority";
    public static final Set<String> STRATEGIES = Set.of(LAST_WRITE_WINS, EXTERNAL_WINS, CASTIEL_WINS, MANUAL, MERGE, FIELD_PRIORITY);
}
