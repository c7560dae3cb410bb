package sandbox.github;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * GitHub's JSON for the sandbox's objects: snake_case, full user objects, timestamps to the second with {@code Z}, the
 * legacy {@code node_id}, and API URLs below the base the caller used ({@code .../sandbox/github} or {@code .../api/v3}).
 */
final class GitHubJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private GitHubJson() {
    }

    static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String time(Instant at) {
        return at == null ? null : at.toString();
    }

    static String nodeId(String type, long id) {
        return Base64.getEncoder().encodeToString(("0" + type.length() + ":" + type + id).getBytes(StandardCharsets.UTF_8));
    }

    /** Where the (unserved) web pages of the sandbox's objects would be. */
    static String html(String apiBase) {
        int api = apiBase.indexOf("/api/v3");
        String origin = api >= 0 ? apiBase.substring(0, api) : apiBase.replaceFirst("/sandbox/github$", "");
        return origin + "/sandbox/github/web";
    }

    static Map<String, Object> user(String apiBase, String login) {
        Map<String, Object> user = new LinkedHashMap<>();
        long id = 9_000_000L + Math.abs((long) login.hashCode() % 1_000_000L);
        user.put("login", login);
        user.put("id", id);
        user.put("node_id", nodeId("User", id));
        user.put("avatar_url", html(apiBase) + "/avatars/" + login);
        user.put("url", apiBase + "/users/" + login);
        user.put("html_url", html(apiBase) + "/" + login);
        user.put("type", login.equals(GitHubOrg.LOGIN) ? "Organization" : "User");
        user.put("site_admin", false);
        return user;
    }

    static Map<String, Object> repo(String apiBase, GitHubOrg.Repo repo) {
        Map<String, Object> json = new LinkedHashMap<>();
        String full = GitHubOrg.LOGIN + "/" + repo.name;
        json.put("id", repo.id);
        json.put("node_id", nodeId("Repository", repo.id));
        json.put("name", repo.name);
        json.put("full_name", full);
        json.put("private", true);
        json.put("owner", user(apiBase, GitHubOrg.LOGIN));
        json.put("html_url", html(apiBase) + "/" + full);
        json.put("url", apiBase + "/repos/" + full);
        json.put("default_branch", "main");
        json.put("has_issues", true);
        json.put("open_issues_count", repo.issues.values().stream().filter(i -> !i.deleted && i.state.equals("open")).count());
        json.put("created_at", time(repo.createdAt));
        json.put("updated_at", time(repo.createdAt));
        json.put("pushed_at", time(repo.createdAt));
        return json;
    }

    static Map<String, Object> issue(String apiBase, GitHubOrg.Repo repo, GitHubOrg.Issue issue) {
        String repoUrl = apiBase + "/repos/" + GitHubOrg.LOGIN + "/" + repo.name;
        String webRepo = html(apiBase) + "/" + GitHubOrg.LOGIN + "/" + repo.name;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("url", repoUrl + "/issues/" + issue.number);
        json.put("repository_url", repoUrl);
        json.put("labels_url", repoUrl + "/issues/" + issue.number + "/labels{/name}");
        json.put("comments_url", repoUrl + "/issues/" + issue.number + "/comments");
        json.put("html_url", webRepo + (issue.pullRequest ? "/pull/" : "/issues/") + issue.number);
        json.put("id", issue.id);
        json.put("node_id", nodeId(issue.pullRequest ? "PullRequest" : "Issue", issue.id));
        json.put("number", issue.number);
        json.put("title", issue.title);
        json.put("user", user(apiBase, issue.user));
        List<Map<String, Object>> labels = new ArrayList<>();
        for (String label : issue.labels) {
            labels.add(label(repoUrl, label));
        }
        json.put("labels", labels);
        json.put("state", issue.state);
        json.put("locked", false);
        json.put("assignee", null);
        json.put("assignees", List.of());
        json.put("milestone", null);
        json.put("comments", issue.comments);
        json.put("created_at", time(issue.createdAt));
        json.put("updated_at", time(issue.updatedAt));
        json.put("closed_at", time(issue.closedAt));
        json.put("author_association", "MEMBER");
        json.put("active_lock_reason", null);
        if (issue.pullRequest) {
            Map<String, Object> pull = new LinkedHashMap<>();
            pull.put("url", repoUrl + "/pulls/" + issue.number);
            pull.put("html_url", webRepo + "/pull/" + issue.number);
            pull.put("diff_url", webRepo + "/pull/" + issue.number + ".diff");
            pull.put("patch_url", webRepo + "/pull/" + issue.number + ".patch");
            pull.put("merged_at", null);
            json.put("pull_request", pull);
        } else {
            json.put("state_reason", issue.stateReason);
        }
        json.put("body", issue.body);
        return json;
    }

    /** A pull request as /pulls answers it (what egit and camel-github read: number, state, title, body, head, base). */
    static Map<String, Object> pull(String apiBase, GitHubOrg.Repo repo, GitHubOrg.Issue issue) {
        String repoUrl = apiBase + "/repos/" + GitHubOrg.LOGIN + "/" + repo.name;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("url", repoUrl + "/pulls/" + issue.number);
        json.put("id", issue.id + 50_000_000_000L);
        json.put("node_id", nodeId("PullRequest", issue.id));
        json.put("html_url", html(apiBase) + "/" + GitHubOrg.LOGIN + "/" + repo.name + "/pull/" + issue.number);
        json.put("issue_url", repoUrl + "/issues/" + issue.number);
        json.put("number", issue.number);
        json.put("state", issue.state);
        json.put("locked", false);
        json.put("title", issue.title);
        json.put("user", user(apiBase, issue.user));
        json.put("body", issue.body);
        json.put("created_at", time(issue.createdAt));
        json.put("updated_at", time(issue.updatedAt));
        json.put("closed_at", time(issue.closedAt));
        json.put("merged_at", null);
        String sha = String.format("%040x", issue.id);
        json.put("head", Map.of("label", GitHubOrg.LOGIN + ":feature-" + issue.number, "ref", "feature-" + issue.number, "sha", sha));
        json.put("base", Map.of("label", GitHubOrg.LOGIN + ":main", "ref", "main", "sha", String.format("%040x", repo.id)));
        json.put("merged", false);
        json.put("comments", issue.comments);
        return json;
    }

    static Map<String, Object> comment(String apiBase, GitHubOrg.Repo repo, GitHubOrg.Comment comment) {
        String repoUrl = apiBase + "/repos/" + GitHubOrg.LOGIN + "/" + repo.name;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("url", repoUrl + "/issues/comments/" + comment.id);
        json.put("html_url", html(apiBase) + "/" + GitHubOrg.LOGIN + "/" + repo.name + "/issues/" + comment.issueNumber + "#issuecomment-"
                + comment.id);
        json.put("issue_url", repoUrl + "/issues/" + comment.issueNumber);
        json.put("id", comment.id);
        json.put("node_id", nodeId("IssueComment", comment.id));
        json.put("user", user(apiBase, comment.user));
        json.put("created_at", time(comment.createdAt));
        json.put("updated_at", time(comment.updatedAt));
        json.put("author_association", "MEMBER");
        json.put("body", comment.body);
        return json;
    }

    static Map<String, Object> hook(String apiBase, GitHubOrg.Repo repo, GitHubOrg.Hook hook) {
        String url = apiBase + "/repos/" + GitHubOrg.LOGIN + "/" + repo.name + "/hooks/" + hook.id;
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("content_type", hook.contentType);
        config.put("insecure_ssl", "0");
        config.put("url", hook.url);
        if (hook.secret != null) {
            config.put("secret", "********");
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", "Repository");
        json.put("id", hook.id);
        json.put("name", "web");
        json.put("active", hook.active);
        json.put("events", hook.events);
        json.put("config", config);
        json.put("updated_at", time(hook.updatedAt));
        json.put("created_at", time(hook.createdAt));
        json.put("url", url);
        json.put("test_url", url + "/test");
        json.put("ping_url", url + "/pings");
        json.put("deliveries_url", url + "/deliveries");
        Map<String, Object> last = new LinkedHashMap<>();
        last.put("code", null);
        last.put("status", "unused");
        last.put("message", null);
        json.put("last_response", last);
        return json;
    }

    static Map<String, Object> error(String message, String documentation, int status) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("message", message);
        json.put("documentation_url", documentation);
        json.put("status", Integer.toString(status));
        return json;
    }

    private static Map<String, Object> label(String repoUrl, String name) {
        Map<String, Object> label = new LinkedHashMap<>();
        long id = 5_000_000_000L + Math.abs((long) name.hashCode() % 1_000_000_000L);
        label.put("id", id);
        label.put("node_id", nodeId("Label", id));
        label.put("url", repoUrl + "/labels/" + name);
        label.put("name", name);
        label.put("color", String.format("%06x", Math.abs(name.hashCode()) % 0xffffff));
        label.put("default", List.of("bug", "enhancement", "question", "documentation").contains(name));
        label.put("description", null);
        return label;
    }
}
