package processors.matching;

/** Match rules that cannot be used; {@link #field()} names the part at fault ({@code fields[2].comparator}). */
public class InvalidMatchRulesException extends RuntimeException {

    private final String field;

    public InvalidMatchRulesException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The path of the part at fault in the rules document. */
    public String field() {
        return field;
    }

    /** The message without the field's path. */
    public String problem() {
        return getMessage().substring(field.length() + 2);
    }
}
