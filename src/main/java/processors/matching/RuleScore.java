package processors.matching;

import java.util.List;

/**
 * A custom rule in a score's explanation: its parts, their weighted mean similarity (null when a part is missing on a
 * side), whether it was met (every part present and the mean at least {@code minSimilarity}) and what it added.
 */
public record RuleScore(String name, double weight, double minSimilarity, Double similarity, boolean met, double contribution,
                        List<FieldScore> parts) {

    public RuleScore {
        parts = List.copyOf(parts);
    }
}
