package processors.mapping;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** A dotted path into nested maps, split once at load so that reading a record costs only map lookups. */
final class FieldPath {

    /** What {@link #get} returns when the record does not contain the path at all (as opposed to holding null). */
    static final Object MISSING = new Object() {
        @Override
        public String toString() {
            return "<missing>";
        }
    };

    /** Provider field names: letters, digits and a few separators, never brackets, braces, pipes or quotes. */
    private static final Pattern SOURCE_SEGMENT = Pattern.compile("[\\p{L}\\p{N}_$@:#-]+(?: [\\p{L}\\p{N}_$@:#-]+)*");

    /** Shard field names are plain identifiers, so they read well in JSON and in queries. */
    private static final Pattern TARGET_SEGMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String text;
    private final String[] keys;

    private FieldPath(String text, String[] keys) {
        this.text = text;
        this.keys = keys;
    }

    /** A path into a provider record. */
    static FieldPath source(String text) {
        return parse(text, SOURCE_SEGMENT, "letters, digits, spaces and _ $ @ : # -");
    }

    /** A path into a shard's structured data. */
    static FieldPath target(String text) {
        return parse(text, TARGET_SEGMENT, "identifiers such as address.postalCode");
    }

    private static FieldPath parse(String text, Pattern segment, String allowed) {
        String[] keys = text.split("\\.", -1);
        for (String key : keys) {
            if (!segment.matcher(key).matches()) {
                throw new IllegalArgumentException("invalid path '" + text + "': each dot-separated part must be " + allowed);
            }
        }
        return new FieldPath(text, keys);
    }

    /**
     * The value at this path, null when the path or one of its parents holds null, or {@link #MISSING}. A key holding
     * the whole dotted path is read as it is: OData annotations ({@code @odata.etag},
     * {@code industrycode@OData.Community.Display.V1.FormattedValue}) are single keys with dots in them.
     */
    Object get(Map<String, ?> root) {
        if (keys.length > 1 && root != null) {
            Object literal = root.get(text);
            if (literal != null || root.containsKey(text)) {
                return literal;
            }
        }
        Object current = root;
        for (String key : keys) {
            if (current == null) {
                return null;
            }
            if (!(current instanceof Map<?, ?> map)) {
                return MISSING;
            }
            Object next = map.get(key);
            if (next == null && !map.containsKey(key)) {
                return MISSING;
            }
            current = next;
        }
        return current;
    }

    /** Sets the value, creating the parent maps (in insertion order) that do not exist yet. */
    @SuppressWarnings("unchecked")
    void put(Map<String, Object> root, Object value) {
        Map<String, Object> current = root;
        int last = keys.length - 1;
        for (int i = 0; i < last; i++) {
            Object next = current.get(keys[i]);
            if (!(next instanceof Map)) {
                next = new LinkedHashMap<String, Object>();
                current.put(keys[i], next);
            }
            current = (Map<String, Object>) next;
        }
        current.put(keys[last], value);
    }

    /** True when one path is a strict prefix of the other, so both cannot be set as separate values. */
    boolean overlaps(FieldPath other) {
        int common = Math.min(keys.length, other.keys.length);
        for (int i = 0; i < common; i++) {
            if (!keys[i].equals(other.keys[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldPath other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
