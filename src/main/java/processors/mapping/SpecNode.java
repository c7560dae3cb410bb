package processors.mapping;

import java.util.List;
import java.util.Map;

/**
 * One node of a mapping spec, read from a YAML file or from JSON-like override data, that knows where it came from:
 * the compiler is written once and its errors point at {@code file:line:column} or at {@code fieldMappings[2].transform}.
 */
interface SpecNode {

    enum Kind { MAP, LIST, SCALAR }

    Kind kind();

    /** The value of a scalar: String, Integer, Long, Double, Boolean or null. */
    Object scalar();

    List<SpecNode> items();

    /** Map entries in written order. */
    Map<String, SpecNode> entries();

    /** Where the node is, as {@code file:line:column} or a data path. */
    String where();

    /** An error located at this node. */
    MappingException error(String problem);

    /** An error located at the key of one of this map's entries (unknown or misspelt keys). */
    MappingException keyError(String key, String problem);

    /** The node as plain Java values (String, Number, Boolean, null, List, Map). */
    Object toValue();

    default boolean isNull() {
        return kind() == Kind.SCALAR && scalar() == null;
    }

    /** How the node reads in an error message ("a list", "an object", "text 'abc'"). */
    default String describe() {
        return switch (kind()) {
            case MAP -> "an object";
            case LIST -> "a list";
            case SCALAR -> scalar() == null ? "nothing" : scalar() instanceof String s ? "text " + Transforms.quote(s) : String.valueOf(scalar());
        };
    }
}
