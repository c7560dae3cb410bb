package providers;

import java.util.List;
import java.util.Map;

/** Records of one page in change-marker order, and the cursor of the next page (null when done). */
public record FetchPage(List<Map<String, Object>> records, String nextPageCursor, long totalSize) {

    public boolean hasMore() {
        return nextPageCursor != null;
    }
}
