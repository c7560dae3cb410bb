package processors.matching;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Several fields judged together, as one comparison of the score: its similarity is the weighted mean of its parts'
 * similarities, and the rule is met when every part is present on both sides and that mean is at least
 * {@code minSimilarity}. A met rule adds {@code weight} at its similarity to the score, like a field; a rule that is
 * not met adds nothing (its fields' own comparisons already say what differs), so a custom rule is positive evidence:
 * "the same last name, birth date and postal code" can decide what no single field does.
 */
public record CustomRule(String name, List<MatchField> parts, double weight, double minSimilarity) {

    public CustomRule {
        parts = List.copyOf(parts);
    }

    Map<String, Object> toDocument() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("name", name);
        document.put("fields", parts.stream().map(MatchField::toDocument).toList());
        document.put("weight", weight);
        document.put("minSimilarity", minSimilarity);
        return document;
    }
}
