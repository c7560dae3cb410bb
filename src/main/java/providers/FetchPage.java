package providers;

import java.util.List;
import java.util.Map;

/**
 * One page of records, the cursor of the next page (null when done), and what a change feed adds to a page:
 * {@code deleted}, records the provider reports deleted in this page (providers whose deletions come with their
 * changes, {@link IntegrationAdapter#deletionsInPages()}), applied in the page's transaction; and on the last page
 * {@code resumeMarker}, where the next incremental pass starts (a Dataverse delta link), which then replaces the
 * highest change marker of the records as the high-water mark. Both are empty for providers without a change feed.
 */
public record FetchPage(List<Map<String, Object>> records, String nextPageCursor, long totalSize, List<DeletedRecord> deleted,
                        String resumeMarker) {

    public FetchPage {
        deleted = deleted == null ? List.of() : deleted;
    }

    /** A page of records only. */
    public FetchPage(List<Map<String, Object>> records, String nextPageCursor, long totalSize) {
        this(records, nextPageCursor, totalSize, List.of(), null);
    }

    public boolean hasMore() {
        return nextPageCursor != null;
    }
}
