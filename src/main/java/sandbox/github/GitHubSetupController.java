package sandbox.github;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import sandbox.kit.AccessTokens;
import sandbox.kit.SetupResources;
import sandbox.kit.Workspaces;

/**
 * What GitHub's settings screens do, for tests and demos, under {@code /sandbox/github/setup} (authenticated with the
 * org's token, never counted against its limit): the primary limit and its answer, latency, a secondary limit for the
 * next calls, token revocation, an admin's deletion of an issue, ground truth of a repository, the hooks with their
 * delivery counters, and a reset. Also the OAuth app's flow ({@code /login/oauth/authorize}, {@code /access_token}) for
 * the app {@code sandbox-client} / {@code sandbox-secret}.
 */
@RestController
@ConditionalOnExpression("${hub.sandbox.enabled:false} and ${hub.sandbox.github.enabled:true}")
class GitHubSetupController {

    private final GitHubOrgs orgs;

    GitHubSetupController(GitHubOrgs orgs) {
        this.orgs = orgs;
    }

    @GetMapping("/sandbox/github/setup/limits")
    Map<String, Object> limits(HttpServletRequest request) {
        GitHubOrg org = org(request);
        Map<String, Object> state = SetupResources.limits(org.calls, GitHubOrg.CORE);
        state.put("status", org.primaryStatus);
        state.put("secondaryRefusals", org.secondaryRefusals.get());
        return state;
    }

    /** {@code {"rateLimit": n, "windowSeconds": w, "status": 403|429}}: the primary limit per token and how it answers. */
    @PutMapping("/sandbox/github/setup/limits")
    Map<String, Object> configureLimits(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        GitHubOrg org = org(request);
        JsonNode json = SetupResources.object(body, GitHubSetupController::invalid);
        Long status = SetupResources.wholeNumber(json, "status", GitHubSetupController::invalid);
        if (status != null && status != 403 && status != 429) {
            throw invalid("status: 403 or 429, not " + status);
        }
        SetupResources.configureLimits(org.calls, GitHubOrg.CORE, body, GitHubSetupController::invalid);
        if (status != null) {
            org.primaryStatus = status.intValue();
        }
        return limits(request);
    }

    @GetMapping("/sandbox/github/setup/latency")
    Map<String, Object> latency(HttpServletRequest request) {
        return SetupResources.latency(org(request).calls);
    }

    @PutMapping("/sandbox/github/setup/latency")
    Map<String, Object> configureLatency(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        return SetupResources.configureLatency(org(request).calls, body, GitHubSetupController::invalid);
    }

    /** {@code {"refusals": n, "retryAfterSeconds": s}}: the next n API calls get the secondary limit's 403. */
    @PostMapping("/sandbox/github/setup/secondary-limit")
    Map<String, Object> secondaryLimit(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        GitHubOrg org = org(request);
        JsonNode json = SetupResources.object(body, GitHubSetupController::invalid);
        Long refusals = SetupResources.wholeNumber(json, "refusals", GitHubSetupController::invalid);
        Long retryAfter = SetupResources.wholeNumber(json, "retryAfterSeconds", GitHubSetupController::invalid);
        if (refusals == null || refusals < 0 || refusals > 10_000) {
            throw invalid("refusals: required, 0 to 10000");
        }
        if (retryAfter != null && (retryAfter < 1 || retryAfter > 3600)) {
            throw invalid("retryAfterSeconds: 1 to 3600");
        }
        org.secondaryRetryAfter = retryAfter == null ? 60 : retryAfter;
        org.secondaryRefusals.set(refusals.intValue());
        return limits(request);
    }

    /** {@code {"token": "..."}} (default: the caller's): the token is revoked, its calls get 401 Bad credentials. */
    @PostMapping("/sandbox/github/setup/tokens/revoke")
    Map<String, Object> revoke(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        GitHubOrg org = org(request);
        JsonNode json = SetupResources.optionalObject(body, GitHubSetupController::invalid);
        String token = json == null || GitHubApiController.text(json, "token") == null ? token(request)
                : GitHubApiController.text(json, "token");
        orgs.revoke(org, token);
        return Map.of("revoked", true);
    }

    /** {@code {"repositories": r, "issuesPerRepository": i, "commentsPerIssue": c}} (each optional: the configured size). */
    @PostMapping("/sandbox/github/setup/reset")
    Map<String, Object> reset(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        GitHubOrg org = org(request);
        JsonNode json = SetupResources.optionalObject(body, GitHubSetupController::invalid);
        GitHubSandboxProperties p = orgs.properties();
        GitHubOrgs.Sizes sizes = new GitHubOrgs.Sizes(size(json, "repositories", p.repositories(), 1, GitHubSandboxProperties.MAX_REPOSITORIES),
                size(json, "issuesPerRepository", p.issuesPerRepository(), 0, GitHubSandboxProperties.MAX_ISSUES),
                size(json, "commentsPerIssue", p.commentsPerIssue(), 0, GitHubSandboxProperties.MAX_COMMENTS));
        GitHubOrg fresh = orgs.reset(org, sizes);
        return Map.of("org", fresh.name.isEmpty() ? GitHubOrg.LOGIN : fresh.name, "repositories", fresh.repos().size());
    }

    /** Ground truth: every issue, pull request and comment of a repository as the sandbox holds it, deleted ones marked. */
    @GetMapping("/sandbox/github/setup/repos/{repo}")
    Map<String, Object> truth(HttpServletRequest request, @PathVariable String repo) {
        GitHubOrg org = org(request);
        GitHubOrg.Repo found = repo(org, repo);
        List<Map<String, Object>> issues = new ArrayList<>();
        List<Map<String, Object>> comments = new ArrayList<>();
        synchronized (org) {
            for (GitHubOrg.Issue issue : found.issues.values()) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("id", issue.id);
                one.put("number", issue.number);
                one.put("pullRequest", issue.pullRequest);
                one.put("title", issue.title);
                one.put("state", issue.state);
                one.put("labels", List.copyOf(issue.labels));
                one.put("updatedAt", GitHubJson.time(issue.updatedAt));
                one.put("deleted", issue.deleted);
                issues.add(one);
            }
            for (GitHubOrg.Comment comment : found.comments.values()) {
                comments.add(Map.of("id", comment.id, "issueNumber", comment.issueNumber, "body", comment.body));
            }
        }
        Map<String, Object> truth = new LinkedHashMap<>();
        truth.put("repository", GitHubOrg.LOGIN + "/" + found.name);
        truth.put("issues", issues);
        truth.put("comments", comments);
        return truth;
    }

    /** What an admin's "Delete issue" does: the issue answers 410, leaves every list, its comments go; hooks hear issues.deleted. */
    @PostMapping("/sandbox/github/setup/repos/{repo}/issues/{number}/delete")
    Map<String, Object> deleteIssue(HttpServletRequest request, @PathVariable String repo, @PathVariable int number) {
        GitHubOrg org = org(request);
        GitHubOrg.Repo found = repo(org, repo);
        GitHubOrg.Issue issue;
        synchronized (org) {
            issue = found.issues.get(number);
        }
        if (issue == null || issue.deleted) {
            throw new GitHubApiException(404, "no issue #" + number + " in " + found.name);
        }
        org.deleteIssue(found, issue);
        return Map.of("deleted", issue.id);
    }

    /** The hooks of the org's repositories with their delivery counters. */
    @GetMapping("/sandbox/github/setup/hooks")
    List<Map<String, Object>> hooks(HttpServletRequest request) {
        GitHubOrg org = org(request);
        List<Map<String, Object>> all = new ArrayList<>();
        for (GitHubOrg.Repo repo : org.repos()) {
            for (GitHubOrg.Hook hook : org.hooks(repo)) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("repository", GitHubOrg.LOGIN + "/" + repo.name);
                one.put("id", hook.id);
                one.put("url", hook.url);
                one.put("events", hook.events);
                one.put("deliveries", orgs.deliveries(hook));
                all.add(one);
            }
        }
        return all;
    }

    // ------------------------------------------------------------------ the OAuth app

    /**
     * The consent screen, consented at once: redirects to {@code redirect_uri} (loopback only) with a code and the state.
     * {@code login} (or the hub's {@code login_hint}) names the org (a named one, or none for the default).
     */
    @GetMapping("/sandbox/github/login/oauth/authorize")
    ResponseEntity<Void> authorize(HttpServletRequest request, @RequestParam("client_id") String clientId,
                                   @RequestParam("redirect_uri") String redirectUri, @RequestParam(required = false) String state,
                                   @RequestParam(required = false) String login,
                                   @RequestParam(value = "login_hint", required = false) String loginHint) {
        if (login == null) {
            login = loginHint;
        }
        if (!GitHubOrgs.CLIENT_ID.equals(clientId)) {
            throw new GitHubApiException(404, "unknown client_id");
        }
        if (!AccessTokens.isLoopbackRedirect(redirectUri)) {
            throw new GitHubApiException(400, "redirect_uri: the sandbox redirects to loopback addresses only");
        }
        String org = login == null || login.isBlank() || login.equals(GitHubOrg.LOGIN) ? "" : login.trim().toLowerCase(java.util.Locale.ROOT);
        if (!org.isEmpty() && !GitHubOrgs.NAME.matcher(org).matches()) {
            throw new GitHubApiException(400, "login: a sandbox org name");
        }
        String code = orgs.authorize(org, request.getRemoteAddr(), redirectUri);
        String to = redirectUri + (redirectUri.contains("?") ? "&" : "?") + "code=" + code
                + (state == null ? "" : "&state=" + URLEncoder.encode(state, StandardCharsets.UTF_8));
        return ResponseEntity.status(302).header(HttpHeaders.LOCATION, to).build();
    }

    /** The code for a user access token; GitHub answers errors with 200 and an {@code error} field. */
    @PostMapping("/sandbox/github/login/oauth/access_token")
    ResponseEntity<byte[]> accessToken(@RequestParam("client_id") String clientId, @RequestParam("client_secret") String clientSecret,
                                       @RequestParam String code, @RequestParam(value = "redirect_uri", required = false) String redirectUri) {
        Map<String, Object> answer = new LinkedHashMap<>();
        if (!GitHubOrgs.CLIENT_ID.equals(clientId) || !GitHubOrgs.CLIENT_SECRET.equals(clientSecret)) {
            answer.put("error", "incorrect_client_credentials");
            answer.put("error_description", "The client_id and/or client_secret passed are incorrect.");
        } else {
            String token = orgs.exchange(code, redirectUri);
            if (token == null) {
                answer.put("error", "bad_verification_code");
                answer.put("error_description", "The code passed is incorrect or expired.");
            } else {
                answer.put("access_token", token);
                answer.put("token_type", "bearer");
                answer.put("scope", "repo,admin:repo_hook");
            }
        }
        return ResponseEntity.ok().header(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8").body(GitHubJson.bytes(answer));
    }

    @ExceptionHandler(GitHubApiException.class)
    ResponseEntity<byte[]> failed(GitHubApiException e) {
        return ResponseEntity.status(e.status).header(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
                .body(GitHubJson.bytes(e.body));
    }

    @ExceptionHandler(Workspaces.Full.class)
    ResponseEntity<byte[]> full(Workspaces.Full e) {
        return failed(new GitHubApiException(503, e.getMessage()));
    }

    private GitHubOrg org(HttpServletRequest request) {
        GitHubOrg org = orgs.org(token(request), request.getRemoteAddr());
        if (org == null) {
            throw new GitHubApiException(401, "Bad credentials");
        }
        return org;
    }

    private static String token(HttpServletRequest request) {
        return AccessTokens.bearer(request.getHeader(HttpHeaders.AUTHORIZATION), "token", "Bearer");
    }

    private static GitHubOrg.Repo repo(GitHubOrg org, String repo) {
        GitHubOrg.Repo found = org.repo(GitHubOrg.LOGIN, repo);
        if (found == null) {
            throw new GitHubApiException(404, "no repository " + GitHubOrg.LOGIN + "/" + repo);
        }
        return found;
    }

    private static int size(JsonNode json, String key, int fallback, int min, int max) {
        Long value = SetupResources.wholeNumber(json, key, GitHubSetupController::invalid);
        if (value != null && (value < min || value > max)) {
            throw invalid(key + ": " + min + " to " + max + ", not " + value);
        }
        return value == null ? fallback : value.intValue();
    }

    private static GitHubApiException invalid(String message) {
        return new GitHubApiException(400, message);
    }
}
