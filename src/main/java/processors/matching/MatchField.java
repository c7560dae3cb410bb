package processors.matching;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One comparison of a score: the shard field (a dotted path in its structured data, {@code address.city}), how both
 * values are normalized, how they are compared, and how much the similarity weighs against the other comparisons.
 * {@code alsoAgainst} names other fields of the candidate the incoming value is compared with too, the best similarity
 * counting: {@code firstName} also against {@code lastName} forgives names entered the wrong way round, {@code phone}
 * also against {@code mobile} a number kept in the other field. A similarity below {@code minSimilarity} (0: none)
 * counts as 0: Jaro-Winkler gives two unrelated names about 0.5, which would otherwise count as half an agreement.
 */
public record MatchField(String field, String normalizer, FieldComparator comparator, double weight, List<String> alsoAgainst,
                         double minSimilarity) {

    public MatchField {
        alsoAgainst = List.copyOf(alsoAgainst);
    }

    public MatchField(String field, String normalizer, FieldComparator comparator, double weight) {
        this(field, normalizer, comparator, weight, List.of(), 0);
    }

    /** The similarity as it counts in the total. */
    double counted(double similarity) {
        return similarity < minSimilarity ? 0 : similarity;
    }

    Map<String, Object> toDocument() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("field", field);
        document.put("normalizer", normalizer);
        document.put("comparator", comparator.id());
        document.put("weight", weight);
        if (!alsoAgainst.isEmpty()) {
            document.put("alsoAgainst", alsoAgainst);
        }
        if (minSimilarity > 0) {
            document.put("minSimilarity", minSimilarity);
        }
        return document;
    }
}
