package providers;

import java.util.Set;

/** A tenant's condition on the records to pull: field, comparison, literal value (string, number, boolean or null). */
public record PullFilter(String field, String op, Object value) {

    public static final Set<String> OPERATORS = Set.of("=", "!=", "<", "<=", ">", ">=");
}
