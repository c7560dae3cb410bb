package processors.conflicts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The field-level comparison, above all when the link has no base (a record synced before bases were kept). */
class ThreeWayMergeTest {

    private static final List<String> FIELDS = List.of("name", "phone");
    private static final Instant SHARD_CHANGED = Instant.parse("2026-01-02T10:00:00Z");
    private static final Instant PROVIDER_CHANGED = Instant.parse("2026-01-02T09:00:00Z");

    private static ThreeWayMerge.Result withoutBase(String strategy, Instant theirsAt) {
        return ThreeWayMerge.compare(FIELDS, null, Map.of("name", "Acme", "phone", "ours"), Map.of("name", "Acme", "phone", "theirs"),
                new ConflictPolicy(strategy, null, Map.of()), SHARD_CHANGED, theirsAt);
    }

    @Test
    void withoutABaseManualHoldsAFieldTheSidesHoldDifferently() {
        ThreeWayMerge.Result result = withoutBase(ConflictPolicy.MANUAL, PROVIDER_CHANGED);
        assertThat(result.toProvider()).as("the provider's value is not taken as consent").isEmpty();
        assertThat(result.toShard()).isEmpty();
        assertThat(result.held()).isTrue();
        assertThat(result.conflicts()).containsExactly(
                new ThreeWayMerge.FieldConflict("phone", null, "ours", "theirs", ThreeWayMerge.Winner.HELD));
    }

    @Test
    void withoutABaseEveryStrategySettlesTheConflictByItsOwnRule() {
        assertThat(withoutBase(ConflictPolicy.CASTIEL_WINS, PROVIDER_CHANGED).toProvider()).containsExactly(Map.entry("phone", "ours"));
        assertThat(withoutBase(ConflictPolicy.EXTERNAL_WINS, PROVIDER_CHANGED).toShard()).containsExactly(Map.entry("phone", "theirs"));
        assertThat(withoutBase(ConflictPolicy.LAST_WRITE_WINS, PROVIDER_CHANGED).toProvider()).as("the shard changed later")
                .containsExactly(Map.entry("phone", "ours"));
        ThreeWayMerge.Result providerLater = withoutBase(ConflictPolicy.LAST_WRITE_WINS, SHARD_CHANGED.plusSeconds(60));
        assertThat(providerLater.toShard()).containsExactly(Map.entry("phone", "theirs"));
        assertThat(providerLater.toProvider()).isEmpty();
        assertThat(withoutBase(ConflictPolicy.MERGE, PROVIDER_CHANGED).held()).as("merge falls back to manual").isTrue();
        ThreeWayMerge.Result priority = ThreeWayMerge.compare(FIELDS, null, Map.of("name", "Ours", "phone", "ours"),
                Map.of("name", "Theirs", "phone", "theirs"), new ConflictPolicy(ConflictPolicy.FIELD_PRIORITY, null, Map.of("phone", "external")),
                SHARD_CHANGED, PROVIDER_CHANGED);
        assertThat(priority.toShard()).containsExactly(Map.entry("phone", "theirs"));
        assertThat(priority.conflicts()).extracting(ThreeWayMerge.FieldConflict::field).containsExactly("name", "phone");
        assertThat(priority.held()).as("name has no owner: the fallback holds it").isTrue();
        for (String strategy : ConflictPolicy.STRATEGIES) {
            assertThat(withoutBase(strategy, PROVIDER_CHANGED).conflicts()).as(strategy).hasSize(1);
        }
    }

    @Test
    void withoutABaseFieldsBothSidesHoldAlikeAreNoConflict() {
        ThreeWayMerge.Result result = ThreeWayMerge.compare(FIELDS, null, Map.of("name", "Acme", "phone", 50), Map.of("name", "Acme", "phone", 50.0),
                new ConflictPolicy(ConflictPolicy.MANUAL, null, Map.of()), SHARD_CHANGED, PROVIDER_CHANGED);
        assertThat(result.conflicts()).isEmpty();
        assertThat(result.toProvider()).isEmpty();
        assertThat(result.toShard()).isEmpty();
    }

    @Test
    void withABaseAChangeOnOneSideGoesToTheOther() {
        Map<String, Object> base = Map.of("name", "Acme", "phone", "old");
        ConflictPolicy manual = new ConflictPolicy(ConflictPolicy.MANUAL, null, Map.of());
        ThreeWayMerge.Result ours = ThreeWayMerge.compare(FIELDS, base, Map.of("name", "Acme", "phone", "ours"),
                Map.of("name", "Acme", "phone", "old"), manual, SHARD_CHANGED, PROVIDER_CHANGED);
        assertThat(ours.toProvider()).containsExactly(Map.entry("phone", "ours"));
        assertThat(ours.conflicts()).isEmpty();
        ThreeWayMerge.Result theirs = ThreeWayMerge.compare(FIELDS, base, Map.of("name", "Acme", "phone", "old"),
                Map.of("name", "Acme", "phone", "theirs"), manual, SHARD_CHANGED, PROVIDER_CHANGED);
        assertThat(theirs.toShard()).containsExactly(Map.entry("phone", "theirs"));
        ThreeWayMerge.Result both = ThreeWayMerge.compare(FIELDS, base, Map.of("name", "Acme", "phone", "ours"),
                Map.of("name", "Acme", "phone", "theirs"), manual, SHARD_CHANGED, PROVIDER_CHANGED);
        assertThat(both.conflicts()).containsExactly(new ThreeWayMerge.FieldConflict("phone", "old", "ours", "theirs", ThreeWayMerge.Winner.HELD));
    }
}
