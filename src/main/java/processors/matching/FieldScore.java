package processors.matching;

/**
 * One comparison of a score, as its explanation shows it: the field, how it was normalized and compared, both values
 * as the records hold them and as compared, the similarity and the weight. A value missing on either side is not
 * compared ({@code similarity} null, {@code note} says which side lacks it) and counts for nothing either way.
 * {@code candidateField} is the candidate's field the incoming value was compared with (another than {@code field}
 * when one of the rule's {@code alsoAgainst} fields compared best). {@code contribution} is {@code weight * similarity},
 * or 0 when the similarity is below the rule's {@code minSimilarity} (the note says so).
 */
public record FieldScore(String field, String candidateField, String normalizer, String comparator, double weight, String incoming, String candidate,
                         String incomingNormalized, String candidateNormalized, Double similarity, double contribution, String note) {

    public boolean compared() {
        return similarity != null;
    }
}
