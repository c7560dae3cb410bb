package processors.mapping;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * What a shard field holds, as its mapping says: declared with {@code type:} or, without one, known
 * from the transforms that produce the value ({@code integer}, {@code number}, {@code boolean}, the
 * text transforms). Shard writes are checked against it before anything is written back.
 */
public enum FieldType {

    TEXT("text", "expected text"),
    NUMBER("number", "expected a number"),
    INTEGER("integer", "expected a whole number"),
    BOOLEAN("boolean", "expected true or false"),
    /** No transform says: text, a number or a boolean, never an object or a list. */
    SCALAR("scalar", "expected text, a number, true or false");

    /** Numbers beyond this (absolute) are refused: providers store at most 15 to 18 significant digits. */
    public static final double NUMBER_LIMIT = 1e15;

    private final String key;
    private final String expected;

    FieldType(String key, String expected) {
        this.key = key;
        this.expected = expected;
    }

    public String key() {
        return key;
    }

    static Optional<FieldType> of(String key) {
        for (FieldType type : values()) {
            if (type.key.equals(key)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** The type the last typing transform gives, or {@link #SCALAR} when none does. */
    static FieldType inferred(List<Transform> transforms) {
        FieldType type = SCALAR;
        for (Transform transform : transforms) {
            switch (transform.id()) {
                case "number" -> type = NUMBER;
                case "integer" -> type = INTEGER;
                case "boolean" -> type = BOOLEAN;
                case "string", "trim", "lowercase", "uppercase", "truncate", "replace", "stripPrefix" -> type = type == SCALAR ? TEXT : type;
                default -> {
                    // default and dateFormat keep the type; dates are checked by converting them back
                }
            }
        }
        return type;
    }

    /** Why {@code value} (not null) cannot be this field's, or empty when it can. */
    Optional<String> refusal(Object value, int maxLength) {
        boolean fits = switch (this) {
            case TEXT -> value instanceof String;
            case NUMBER -> value instanceof Number;
            case INTEGER -> value instanceof Number n && whole(n);
            case BOOLEAN -> value instanceof Boolean;
            case SCALAR -> value instanceof String || value instanceof Number || value instanceof Boolean;
        };
        if (!fits) {
            return Optional.of(expected);
        }
        if (value instanceof String text && text.length() > maxLength) {
            return Optional.of("longer than " + maxLength + " characters");
        }
        if (value instanceof Number n && !(Double.isFinite(n.doubleValue()) && Math.abs(n.doubleValue()) < NUMBER_LIMIT)) {
            return Optional.of("out of range: a number must be less than 1e15 in size");
        }
        return Optional.empty();
    }

    private static boolean whole(Number n) {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte || n instanceof BigInteger) {
            return true;
        }
        if (n instanceof BigDecimal d) {
            return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
        }
        double d = n.doubleValue();
        return Double.isFinite(d) && d == Math.rint(d);
    }
}
