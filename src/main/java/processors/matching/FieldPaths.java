package processors.matching;

import java.util.Map;

/** Reads a dotted field path ({@code address.city}) from a shard's structured data. */
final class FieldPaths {

    private FieldPaths() {
    }

    /** The value at the path: a key holding the whole path, else the nested maps walked; null when absent. */
    static Object read(Map<String, ?> data, String path) {
        if (data == null) {
            return null;
        }
        Object direct = data.get(path);
        if (direct != null || path.indexOf('.') < 0) {
            return direct;
        }
        Object at = data;
        for (String part : path.split("\\.")) {
            if (!(at instanceof Map<?, ?> map)) {
                return null;
            }
            at = map.get(part);
        }
        return at;
    }
}
