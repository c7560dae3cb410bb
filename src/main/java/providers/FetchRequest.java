package providers;

import java.util.List;

/**
 * A page request. {@code since} is where the pass starts: an inclusive lower bound on the change marker, or the
 * resume marker a previous pass's last page gave ({@link FetchPage#resumeMarker()}); null: from the start.
 * {@code pageCursor} is the provider's cursor from the previous page of the same query; {@code filters} are the
 * tenant's pull filters for the entity, all of which must hold.
 */
public record FetchRequest(String entity, List<String> fields, String versionField, List<PullFilter> filters,
                           String since, String pageCursor, int pageSize) {
}
