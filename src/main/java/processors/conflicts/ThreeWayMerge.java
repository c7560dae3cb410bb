package processors.conflicts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Field-level three-way comparison of the last synced values (base), the shard (ours) and the
 * provider's record (theirs). A field only one side changed takes that side's value; a field both
 * changed to the same value is settled; a field both changed differently is a conflict, settled by
 * the policy: Castiel's value is written to the provider, the provider's is taken into the shard,
 * or (manual) the field is held until someone resolves it.
 */
public final class ThreeWayMerge {

    /** Which side a conflicting field went to; HELD when it waits for a person. */
    public enum Winner { CASTIEL, EXTERNAL, HELD }

    /** One field changed on both sides. */
    public record FieldConflict(String field, Object base, Object ours, Object theirs, Winner winner) {
    }

    /**
     * What the comparison asks for: values to write to the provider, values to take into the shard,
     * the conflicts found, and whether any is held.
     */
    public record Result(Map<String, Object> toProvider, Map<String, Object> toShard, List<FieldConflict> conflicts) {

        public boolean held() {
            return conflicts.stream().anyMatch(c -> c.winner() == Winner.HELD);
        }
    }

    private ThreeWayMerge() {
    }

    /**
     * Compares the given fields. With no base (a record linked before bases were kept) neither side's
     * change can be told apart, so a field the two sides hold differently is a conflict for the policy
     * to settle, never a change of one side only.
     *
     * @param oursAt   when the shard was last changed in Castiel (for last_write_wins)
     * @param theirsAt when the provider record was last changed, or null when unknown
     */
    public static Result compare(Collection<String> fields, Map<String, Object> base, Map<String, Object> ours,
                                 Map<String, Object> theirs, ConflictPolicy policy, Instant oursAt, Instant theirsAt) {
        Map<String, Object> toProvider = new LinkedHashMap<>();
        Map<String, Object> toShard = new LinkedHashMap<>();
        List<FieldConflict> conflicts = new ArrayList<>();
        for (String field : fields) {
            Object ourValue = ours.get(field);
            Object theirValue = theirs.get(field);
            if (FieldValues.same(ourValue, theirValue)) {
                continue;
            }
            Object baseValue = base == null ? null : base.get(field);
            boolean oursChanged = base == null || !FieldValues.same(ourValue, baseValue);
            boolean theirsChanged = base == null || !FieldValues.same(theirValue, baseValue);
            if (oursChanged && !theirsChanged) {
                toProvider.put(field, ourValue);
            } else if (theirsChanged && !oursChanged) {
                toShard.put(field, theirValue);
            } else {
                Winner winner = settle(field, policy, oursAt, theirsAt);
                conflicts.add(new FieldConflict(field, baseValue, ourValue, theirValue, winner));
                if (winner == Winner.CASTIEL) {
                    toProvider.put(field, ourValue);
                } else if (winner == Winner.EXTERNAL) {
                    toShard.put(field, theirValue);
                }
            }
        }
        return new Result(toProvider, toShard, conflicts);
    }

    private static Winner settle(String field, ConflictPolicy policy, Instant oursAt, Instant theirsAt) {
        return switch (policy.strategy()) {
            case ConflictPolicy.CASTIEL_WINS -> Winner.CASTIEL;
            case ConflictPolicy.EXTERNAL_WINS -> Winner.EXTERNAL;
            case ConflictPolicy.MANUAL -> Winner.HELD;
            case ConflictPolicy.LAST_WRITE_WINS -> lastWrite(oursAt, theirsAt);
            case ConflictPolicy.FIELD_PRIORITY -> {
                String owner = policy.fieldPriority().get(field);
                yield owner == null ? fallback(field, policy, oursAt, theirsAt)
                        : "castiel".equals(owner) ? Winner.CASTIEL : Winner.EXTERNAL;
            }
            case ConflictPolicy.MERGE -> fallback(field, policy, oursAt, theirsAt);
            default -> throw new IllegalArgumentException("unknown conflict strategy " + policy.strategy());
        };
    }

    private static Winner fallback(String field, ConflictPolicy policy, Instant oursAt, Instant theirsAt) {
        String fallback = policy.fallback();
        if (fallback == null || ConflictPolicy.MERGE.equals(fallback) || ConflictPolicy.FIELD_PRIORITY.equals(fallback)) {
            return Winner.HELD;
        }
        return settle(field, new ConflictPolicy(fallback, null, Map.of()), oursAt, theirsAt);
    }

    /** The later change wins; with no provider time known, or a tie, Castiel's (the change being written) does. */
    private static Winner lastWrite(Instant oursAt, Instant theirsAt) {
        return theirsAt != null && oursAt != null && theirsAt.isAfter(oursAt) ? Winner.EXTERNAL : Winner.CASTIEL;
    }
}
