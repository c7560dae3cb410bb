package sandbox.github;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A GitHub API error: its status, GitHub's JSON body ({@code message}, {@code documentation_url}) and extra headers. */
final class GitHubApiException extends RuntimeException {

    static final String DOCS = "https://docs.github.com/rest";

    final int status;
    final Map<String, Object> body;
    final Map<String, String> headers;

    GitHubApiException(int status, String message, String documentation, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.body = GitHubJson.error(message, documentation, status);
        this.headers = headers;
    }

    GitHubApiException(int status, String message) {
        this(status, message, DOCS, Map.of());
    }

    static GitHubApiException notFound() {
        return new GitHubApiException(404, "Not Found");
    }

    /** 422 Validation Failed with one error naming the field. */
    static GitHubApiException invalid(String resource, String field, String code) {
        GitHubApiException e = new GitHubApiException(422, "Validation Failed", DOCS + "/issues/issues", Map.of());
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("resource", resource);
        error.put("code", code);
        error.put("field", field);
        e.body.put("errors", List.of(error));
        return e;
    }
}
