package providers;

import java.time.Instant;
import java.util.List;

/**
 * One rate budget a provider response reports: its limit, what remains of it and when it resets; any part may be
 * unknown (null).
 */
public record RateBudget(Long limit, Long remaining, Instant resetAt) {

    /** remaining / limit in [0,1], or null when either is unknown or limit <= 0. */
    public Double remainingFraction() {
        if (limit == null || remaining == null || limit <= 0) {
            return null;
        }
        return Math.max(0.0, Math.min(1.0, (double) remaining / (double) limit));
    }

    public boolean isEmpty() {
        return limit == null && remaining == null && resetAt == null;
    }

    /** The budget with the smallest remaining fraction; one without a fraction loses; ties keep the first; null for none. */
    public static RateBudget tightest(List<RateBudget> budgets) {
        RateBudget best = null;
        Double bestFraction = null;
        for (RateBudget budget : budgets) {
            if (budget == null || budget.isEmpty()) {
                continue;
            }
            Double fraction = budget.remainingFraction();
            if (best == null || (fraction != null && (bestFraction == null || fraction < bestFraction))) {
                best = budget;
                bestFraction = fraction;
            }
        }
        return best;
    }

    /** A header's non-negative whole number, or null when absent or unparseable (bad values never throw). */
    public static Long count(String value) {
        if (value == null || !digits(value.trim())) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException tooLarge) {
            return null;
        }
    }

    /** Only ASCII digits, at least one. */
    public static boolean digits(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
