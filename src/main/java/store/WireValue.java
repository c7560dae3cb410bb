package store;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A status enum whose constants keep their lower-case spelling: the same word in the database column,
 * in the JSON and in query filters. Stores convert at the JDBC boundary with {@link #value()} and {@code of}.
 */
public interface WireValue {

    /** The spelling in the column and the JSON: the constant's name in lower case. */
    @JsonValue
    default String value() {
        return ((Enum<?>) this).name().toLowerCase(Locale.ROOT);
    }

    /** The constant of {@code type} spelled {@code value}; any other spelling is refused, naming the allowed ones. */
    static <E extends Enum<E> & WireValue> E parse(Class<E> type, String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.value().equals(value)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("unknown " + name(type) + " '" + value + "'; allowed: " + String.join(", ", values(type)));
    }

    /** The spellings of {@code type}, in declaration order. */
    static <E extends Enum<E> & WireValue> List<String> values(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(WireValue::value).toList();
    }

    private static String name(Class<?> type) {
        return type.getEnclosingClass() == null ? type.getSimpleName() : type.getEnclosingClass().getSimpleName() + "." + type.getSimpleName();
    }
}
