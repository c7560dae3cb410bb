package processors.conflicts;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Shard data as flat maps of dotted field paths to leaf values ({@code address.city}), the form the
 * three-way comparison works on, and back.
 */
public final class FieldValues {

    private FieldValues() {
    }

    /** Leaf values by dotted path; nested maps are walked, lists and scalars are leaves. */
    public static Map<String, Object> flatten(Map<String, ?> data) {
        Map<String, Object> flat = new LinkedHashMap<>();
        if (data != null) {
            flatten("", data, flat);
        }
        return flat;
    }

    private static void flatten(String prefix, Map<String, ?> data, Map<String, Object> flat) {
        data.forEach((key, value) -> {
            String path = prefix.isEmpty() ? key : prefix + "." + key;
            if (value instanceof Map<?, ?> nested && !nested.isEmpty()) {
                @SuppressWarnings("unchecked")
                Map<String, ?> child = (Map<String, ?>) nested;
                flatten(path, child, flat);
            } else {
                flat.put(path, value);
            }
        });
    }

    /** Nested data for dotted paths (the inverse of {@link #flatten}). */
    public static Map<String, Object> nest(Map<String, ?> flat) {
        Map<String, Object> data = new LinkedHashMap<>();
        flat.forEach((path, value) -> put(data, path, value));
        return data;
    }

    /** Sets a dotted path in nested data, creating the maps on the way. */
    @SuppressWarnings("unchecked")
    public static void put(Map<String, Object> data, String path, Object value) {
        String[] parts = path.split("\\.");
        Map<String, Object> at = data;
        for (int i = 0; i < parts.length - 1; i++) {
            Object next = at.get(parts[i]);
            if (!(next instanceof Map)) {
                next = new LinkedHashMap<String, Object>();
                at.put(parts[i], next);
            }
            at = (Map<String, Object>) next;
        }
        at.put(parts[parts.length - 1], value);
    }

    /** Equal as data: numbers by value (50 equals 50.0), everything else by equals; null equals null. */
    public static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
        }
        return Objects.equals(a, b);
    }
}
