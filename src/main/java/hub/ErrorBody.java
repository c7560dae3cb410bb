package hub;

/** The JSON every refused request gets: status, reason phrase, a message, and the offending field when there is one. */
public record ErrorBody(int status, String error, String message, String field) {
}
