package processors.matching;

/**
 * The verdict's cut-offs, each in (0, 1] with {@code review <= match}: a total at or above {@code match} is the same
 * entity, from {@code review} up to {@code match} a person decides, below {@code review} no match.
 */
public record Thresholds(double match, double review) {

    public Verdict verdict(double total) {
        return total >= match ? Verdict.MATCH : total >= review ? Verdict.REVIEW : Verdict.NO_MATCH;
    }
}
