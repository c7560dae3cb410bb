package processors.matching;

import java.util.List;

/**
 * How alike an incoming record is to one candidate shard, with the explanation a person reviews: every comparison
 * (field, comparator, the two values, similarity, weight), every custom rule, the weight compared, and the
 * thresholds the verdict was taken against. All parts are plain values, so it serializes to JSON as it is.
 *
 * @param total             {@code sum(weight * similarity) / max(comparedWeight, minComparedWeight)}, rounded to 4 places
 * @param comparedWeight    the weight of the comparisons made (values present on both sides, custom rules met)
 * @param minComparedWeight the rules' floor of the divisor (see {@link MatchRules})
 */
public record MatchScore(double total, Verdict verdict, Thresholds thresholds, double comparedWeight, double minComparedWeight,
                         List<FieldScore> fields, List<RuleScore> customRules) {

    public MatchScore {
        fields = List.copyOf(fields);
        customRules = List.copyOf(customRules);
    }
}
