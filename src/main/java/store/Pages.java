package store;

import java.util.List;
import java.util.function.Function;

/** Builds a page from a query that fetched one row more than the limit. */
final class Pages {

    private Pages() {
    }

    static <T> Page<T> of(List<T> rowsPlusOne, int limit, Function<T, Cursor> cursorOf) {
        if (rowsPlusOne.size() <= limit) {
            return new Page<>(rowsPlusOne, null);
        }
        List<T> items = rowsPlusOne.subList(0, limit);
        return new Page<>(List.copyOf(items), cursorOf.apply(items.get(limit - 1)).encode());
    }
}
