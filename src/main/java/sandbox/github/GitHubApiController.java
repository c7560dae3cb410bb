package sandbox.github;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

import sandbox.kit.AccessTokens;
import sandbox.kit.CallAdmission;
import sandbox.kit.Hmac;
import sandbox.kit.RateWindow;
import sandbox.kit.WebhookDestinations;
import sandbox.kit.Workspaces;

/**
 * GitHub's REST API for issues, pull requests, comments and repository hooks, at the api.github.com paths below
 * {@code /sandbox/github} and at the Enterprise Server layout below {@code /sandbox/github/api/v3} (which the sandbox
 * port also serves at {@code /api/v3}, where egit calls). Every answer carries {@code x-ratelimit-*}; a GET answers an
 * {@code ETag} and a matching {@code If-None-Match} gets 304, which costs no budget. Past the primary limit a call gets
 * 403 with {@code x-ratelimit-remaining: 0}; a secondary limit armed by setup answers 403 with {@code retry-after}.
 * POST on an issue, pull request or comment is PATCH, as egit sends it.
 */
@RestController
@ConditionalOnExpression("${hub.sandbox.enabled:false} and ${hub.sandbox.github.enabled:true}")
@RequestMapping({"/sandbox/github", "/sandbox/github/api/v3"})
class GitHubApiController {

    static final int MAX_PER_PAGE = 100;
    static final int DEFAULT_PER_PAGE = 30;
    private static final String RATE_DOCS = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api";

    private final GitHubOrgs orgs;

    GitHubApiController(GitHubOrgs orgs) {
        this.orgs = orgs;
    }

    /** One authenticated call: its org, token, the API base it came through and the request. */
    record Call(GitHubOrg org, String token, String apiBase, HttpServletRequest request) {
    }

    // ------------------------------------------------------------------ users, limits, repositories

    @GetMapping("/user")
    ResponseEntity<byte[]> user(HttpServletRequest request) {
        Call call = begin(request);
        return get(call, () -> {
            Map<String, Object> user = GitHubJson.user(call.apiBase(), GitHubOrg.TOKEN_USER);
            user.put("name", "Sandbox Bot");
            return user;
        });
    }

    /** The token's limits; like GitHub's, this call costs nothing. */
    @GetMapping("/rate_limit")
    ResponseEntity<byte[]> rateLimit(HttpServletRequest request) {
        Call call = begin(request);
        RateWindow.Decision now = peek(call);
        Map<String, Object> core = new LinkedHashMap<>();
        core.put("limit", now.limit());
        core.put("remaining", now.remaining());
        core.put("reset", now.resetEpochSecond());
        core.put("used", now.limit() - now.remaining());
        core.put("resource", "core");
        return answer(200, call, now, Map.of("resources", Map.of("core", core), "rate", core), null);
    }

    @GetMapping({"/orgs/{owner}/repos", "/user/repos"})
    ResponseEntity<byte[]> repos(HttpServletRequest request, @PathVariable(required = false) String owner) {
        Call call = begin(request);
        if (owner != null && !owner.equalsIgnoreCase(GitHubOrg.LOGIN)) {
            throw GitHubApiException.notFound();
        }
        List<Map<String, Object>> all = new ArrayList<>();
        for (GitHubOrg.Repo repo : call.org().repos()) {
            all.add(GitHubJson.repo(call.apiBase(), repo));
        }
        return page(call, all);
    }

    @GetMapping("/repos/{owner}/{repo}")
    ResponseEntity<byte[]> repo(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo) {
        Call call = begin(request);
        GitHubOrg.Repo found = repo(call, owner, repo);
        return get(call, () -> GitHubJson.repo(call.apiBase(), found));
    }

    // ------------------------------------------------------------------ issues

    @GetMapping("/repos/{owner}/{repo}/issues")
    ResponseEntity<byte[]> issues(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo) {
        Call call = begin(request);
        GitHubOrg.Repo found = repo(call, owner, repo);
        String state = param(request, "state", "open");
        if (!List.of("open", "closed", "all").contains(state)) {
            throw GitHubApiException.invalid("Issue", "state", "invalid");
        }
        Instant since = since(request);
        List<String> labels = request.getParameter("labels") == null || request.getParameter("labels").isBlank() ? List.of()
                : List.of(request.getParameter("labels").split(","));
        Comparator<GitHubOrg.Issue> order = switch (param(request, "sort", "created")) {
            case "created" -> Comparator.comparing((GitHubOrg.Issue i) -> i.createdAt);
            case "updated" -> Comparator.comparing((GitHubOrg.Issue i) -> i.updatedAt);
            case "comments" -> Comparator.comparingInt((GitHubOrg.Issue i) -> i.comments);
            default -> throw GitHubApiException.invalid("Issue", "sort", "invalid");
        };
        order = order.thenComparingInt(i -> i.number);
        if (!"asc".equals(param(request, "direction", "desc"))) {
            order = order.reversed();
        }
        List<Map<String, Object>> all = new ArrayList<>();
        synchronized (call.org()) {
            found.issues.values().stream()
                    .filter(i -> !i.deleted)
                    .filter(i -> state.equals("all") || i.state.equals(state))
                    .filter(i -> since == null || !i.updatedAt.isBefore(since))
                    .filter(i -> i.labels.containsAll(labels.stream().map(String::trim).toList()))
                    .sorted(order)
                    .forEach(i -> all.add(GitHubJson.issue(call.apiBase(), found, i)));
        }
        return page(call, all);
    }

    @RequestMapping(path = "/repos/{owner}/{repo}/issues", method = RequestMethod.POST)
    ResponseEntity<byte[]> createIssue(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo,
                                       @RequestBody(required = false) byte[] body) {
        Call call = begin(request);
        GitHubOrg.Repo found = repo(call, owner, repo);
        JsonNode json = json(body);
        String title = text(json, "title");
        if (title == null || title.isBlank()) {
            throw GitHubApiException.invalid("Issue", "title", "missing_field");
        }
        RateWindow.Decision decision = admit(call);
        GitHubOrg.Issue issue = call.org().createIssue(found, title, text(json, "body"), labels(json));
        return answer(201, call, decision, GitHubJson.issue(call.apiBase(), found, issue), null);
    }

    @GetMapping("/repos/{owner}/{repo}/issues/{number}")
    ResponseEntity<byte[]> issue(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo,
                                 @PathVariable String number) {
        Call call = begin(request);
        GitHubOrg.Repo found = repo(call, owner, repo);
        GitHubOrg.Issue issue = issue(call, found, number);
        return get(call, () -> GitHubJson.issue(call.apiBase(), found, issue));
    }

    /** PATCH, or POST as egit sends it: title, body, state, state_reason, labels; null or absent leaves a field as it is. */
    @RequestMapping(path = "/repos/{owner}/{repo}/issues/{number}", method = {RequestMethod.PATCH, RequestMethod.POST})
    ResponseEntity<byte[]> editIssue(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo,
                                     @PathVariable String number, @RequestBody(required = false) byte[] body) {
        Call call = begin(request);
        GitHubOrg.Repo found = repo(call, owner, repo);
        GitHubOrg.Issue issue = issue(call, found, number);
        JsonNode json = json(body);
        String state = text(json, "state");
        if (state != null && !List.of("open", "closed").contains(state)) {
            throw GitHubApiException.invalid("Issue", "state", "invalid");
        }
        String title = text(json, "title");
        if (title != null && title.isBlank()) {
            throw GitHubApiException.invalid("Issue", "title", "missing_field");
        }
        RateWindow.Decision decision = admit(call);
        call.org().editIssue(found, issue, title, text(json, "body"), state, text(json, "state_reason"), labels(json));
        return answer(200, call, decision, GitHubJson.issue(call.apiBase(), found, issue), null);
    }

    // ------------------------------------------------------------------ comments

    @GetMapping("/repos/{owner}/{repo}/issues/{number}/comments")
    ResponseEntity<byte[]> issueComments(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo,
                                         @PathVariable String number) {
        Call call = begin(request);
        GitHubOrg.Repo found = repo(call, owner, repo);
        GitHubOrg.Issue issue = issue(call, found, number);
        Instant since = since(request);
        List<Map<String, Object>> all = new ArrayList<>();
        synchronized (call.org()) {
            found.comments.values().stream().filter(c -> c.issueNumber == issue.number)
                    .filter(c -> since == null || !c.updatedAt.isBefore(since))
                    .forEach(c -> all.add(GitHubJson.comment(call.apiBase(), found, c)));
        }
        return page(call, all);
    }

    @RequestMapping(path = "/repos/{owner}/{repo}/issues/{number}/comments", method = RequestMethod.POST)
    ResponseEntity<byte[]> createComment(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo,
                                         @PathVariable String number, @RequestBody(required = false) byte[] body) {
        Call call = begin(request);
        GitHubOrg.Repo found = repo(call, owner, repo);
        GitHubOrg.Issue issue = issue(call, found, number);
        String text = text(json(body), "body");
        if (text == null || text.isBlank()) {
            throw GitHubApiException.invalid("IssueComment", "body", "missing_field");
        }
        RateWindow.Decision decision = admit(call);
        GitHubOrg.Comment comment = call.org().createComment(found, issue, text);
        return answer(201, call, decision, GitHubJson.comment(call.apiBase(), found, comment), null);
    }

    /** The repository's comments, oldest first unless told otherwise, from {@code since} (updated at or after). */
    @GetMapping("/repos/{owner}/{repo}/issues/comments")
    ResponseEntity<byte[]> repoComments(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo) {
        Call call = begin(request);
        GitHubOrg.Repo found = repo(call, owner, repo);
        Instant since = since(request);
        Comparator<GitHubOrg.Comment> order = switch (param(request, "sort", "created")) {
            case "created" -> Comparator.comparing((GitHubOrg.Comment c) -> c.createdAt);
            case "updated" -> Comparator.comparing((GitHubOrg.Comment c) -> c.updatedAt);
            default -> throw GitHubApiException.invalid("IssueComment", "sort", "invalid");
        };
        order = order.thenComparingLong(c -> c.id);
        if ("desc".equals(param(request, "direction", "asc"))) {
            order = order.reversed();
        }
        List<Map<String, Object>> all = new ArrayList<>();
        synchronized (call.org()) {
            found.comments.values().stream().filter(c -> since == null || !c.updatedAt.isBefore(since)).sorted(order)
                    .forEach(c -> all.add(GitHubJson.comment(call.apiBase(), found, c)));
        }
        return page(call, all);
    }

    @GetMapping("/repos/{owner}/{repo}/issues/comments/{id}")
    ResponseEntity<byte[]> comment(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo, @PathVariable String id) {
        Call call = begin(request);
        GitHubOrg.Repo found = repo(call, owner, repo);
        GitHubOrg.Comment comment = comment(call, found, id);
        return get(call, () -> GitHubJson.comment(call.apiBase(), found, comment));
    }

    @RequestMapping(path = "/repos/{owner}/{repo}/issues/comments/{id}", method = {RequestMethod.PATCH, RequestMethod.POST})
    ResponseEntity<byte[]> editComment(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo,
                                       @PathVariable String id, @RequestBody(required = false) byte[] body) {
        Call call = begin(request);
        GitHubOrg.Repo found = repo(call, owner, repo);
        GitHubOrg.Comment comment = comment(call, found, id);
        String text = text(json(body), "body");
        if (text == null || text.isBlank()) {
            throw GitHubApiException.invalid("IssueComment", "body", "missing_field");
        }
        RateWindow.Decision decision = admit(call);
        call.org().editComment(found, comment, text);
        return answer(200, call, decision, GitHubJson.comment(call.apiBase(), found, comment), null);
    }

    @DeleteMapping("/repos/{owner}/{repo}/issues/comments/{id}")
    ResponseEntity<byte[]> deleteComment(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo,
                                         @PathVariable String id) {
        Call call = begin(request);
        GitHubOrg.Repo found = repo(call, owner, repo);
        GitHubOrg.Comment comment = comment(call, found, id);
        RateWindow.Decision decision = admit(call);
        call.org().deleteComment(found, comment);
        return answer(204, call, decision, null, null);
    }

    // ------------------------------------------------------------------ pull requests (what egit and camel-github call)

    @GetMapping("/repos/{owner}/{repo}/pulls")
    ResponseEntity<byte[]> pulls(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo) {
        Call call = begin(request);
        GitHubOrg.Repo found = repo(call, owner, repo);
        String state = param(request, "state", "open");
        List<Map<String, Object>> all = new ArrayList<>();
        synchronized (call.org()) {
            found.issues.descendingMap().values().stream().filter(i -> i.pullRequest && !i.deleted)
                    .filter(i -> state.equals("all") || i.state.equals(state))
                    .forEach(i -> all.add(GitHubJson.pull(call.apiBase(), found, i)));
        }
        return page(call, all);
    }

    @GetMapping("/repos/{owner}/{repo}/pulls/{number}")
    ResponseEntity<byte[]> pull(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo, @PathVariable String number) {
        Call call = begin(request);
        GitHubOrg.Repo found = repo(call, owner, repo);
        GitHubOrg.Issue pull = pull(call, found, number);
        return get(call, () -> GitHubJson.pull(call.apiBase(), found, pull));
    }

    @RequestMapping(path = "/repos/{owner}/{repo}/pulls/{number}", method = {RequestMethod.PATCH, RequestMethod.POST})
    ResponseEntity<byte[]> editPull(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo,
                                    @PathVariable String number, @RequestBody(required = false) byte[] body) {
        Call call = begin(request);
        GitHubOrg.Repo found = repo(call, owner, repo);
        GitHubOrg.Issue pull = pull(call, found, number);
        JsonNode json = json(body);
        String state = text(json, "state");
        if (state != null && !List.of("open", "closed").contains(state)) {
            throw GitHubApiException.invalid("PullRequest", "state", "invalid");
        }
        RateWindow.Decision decision = admit(call);
        String title = text(json, "title");
        call.org().editIssue(found, pull, title == null || title.isBlank() ? null : title, text(json, "body"), state, null, null);
        return answer(200, call, decision, GitHubJson.pull(call.apiBase(), found, pull), null);
    }

    /** Review comments: the sandbox holds none (its pull requests' conversation is in their issue comments). */
    @GetMapping("/repos/{owner}/{repo}/pulls/{number}/comments")
    ResponseEntity<byte[]> reviewComments(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo,
                                          @PathVariable String number) {
        Call call = begin(request);
        GitHubOrg.Repo found = repo(call, owner, repo);
        pull(call, found, number);
        return page(call, List.of());
    }

    // ------------------------------------------------------------------ hooks

    @GetMapping("/repos/{owner}/{repo}/hooks")
    ResponseEntity<byte[]> hooks(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo) {
        Call call = begin(request);
        GitHubOrg.Repo found = repo(call, owner, repo);
        List<Map<String, Object>> all = new ArrayList<>();
        for (GitHubOrg.Hook hook : call.org().hooks(found)) {
            all.add(GitHubJson.hook(call.apiBase(), found, hook));
        }
        return page(call, all);
    }

    /**
     * Creates a repository webhook ({@code name} web, {@code config.url}, {@code content_type} json or form, {@code secret},
     * {@code events}, default push) and pings it. The URL must be the hub's own origin or a listed host; a second hook to
     * the same URL is refused as GitHub refuses it.
     */
    @RequestMapping(path = "/repos/{owner}/{repo}/hooks", method = RequestMethod.POST)
    ResponseEntity<byte[]> createHook(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo,
                                      @RequestBody(required = false) byte[] body) {
        Call call = begin(request);
        GitHubOrg.Repo found = repo(call, owner, repo);
        JsonNode json = json(body);
        JsonNode config = json.path("config");
        String url = text(config, "url");
        if (url == null || url.isBlank()) {
            throw GitHubApiException.invalid("Hook", "url", "missing_field");
        }
        String contentType = text(config, "content_type") == null ? "form" : text(config, "content_type");
        if (!List.of("json", "form").contains(contentType)) {
            throw GitHubApiException.invalid("Hook", "content_type", "invalid");
        }
        java.net.URI target;
        try {
            target = orgs.destination(url, request.getLocalPort());
        } catch (WebhookDestinations.Refused e) {
            GitHubApiException refused = GitHubApiException.invalid("Hook", "url", "custom");
            refused.body.put("message", "Validation Failed: " + e.getMessage());
            throw refused;
        }
        for (GitHubOrg.Hook existing : call.org().hooks(found)) {
            if (existing.url.equals(url)) {
                GitHubApiException duplicate = GitHubApiException.invalid("Hook", "hook", "custom");
                duplicate.body.put("message", "Validation Failed: Hook already exists on this repository");
                throw duplicate;
            }
        }
        List<String> events = new ArrayList<>();
        json.path("events").forEach(e -> events.add(e.asText()));
        if (events.isEmpty()) {
            events.add("push");
        }
        RateWindow.Decision decision = admit(call);
        GitHubOrg.Hook hook = call.org().addHook(found, call.apiBase(), url, contentType, text(config, "secret"), events,
                !json.has("active") || json.path("active").asBoolean(true));
        orgs.open(call.org(), found, hook, target);
        return answer(201, call, decision, GitHubJson.hook(call.apiBase(), found, hook), null);
    }

    @GetMapping("/repos/{owner}/{repo}/hooks/{id}")
    ResponseEntity<byte[]> hook(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo, @PathVariable String id) {
        Call call = begin(request);
        GitHubOrg.Repo found = repo(call, owner, repo);
        GitHubOrg.Hook hook = hook(call, found, id);
        return get(call, () -> GitHubJson.hook(call.apiBase(), found, hook));
    }

    @DeleteMapping("/repos/{owner}/{repo}/hooks/{id}")
    ResponseEntity<byte[]> deleteHook(HttpServletRequest request, @PathVariable String owner, @PathVariable String repo,
                                      @PathVariable String id) {
        Call call = begin(request);
        GitHubOrg.Repo found = repo(call, owner, repo);
        GitHubOrg.Hook hook = hook(call, found, id);
        RateWindow.Decision decision = admit(call);
        call.org().removeHook(found, hook.id);
        return answer(204, call, decision, null, null);
    }

    @ExceptionHandler(GitHubApiException.class)
    ResponseEntity<byte[]> failed(GitHubApiException e) {
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(e.status).header(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8");
        e.headers.forEach(answer::header);
        return answer.body(GitHubJson.bytes(e.body));
    }

    @ExceptionHandler(Workspaces.Full.class)
    ResponseEntity<byte[]> full(Workspaces.Full e) {
        return failed(new GitHubApiException(503, e.getMessage()));
    }

    // ------------------------------------------------------------------ the call's steps

    /**
     * The caller's org from {@code Authorization: token|Bearer <t>} (401 Bad credentials otherwise), after the secondary
     * limit setup may have armed (403 with retry-after, before anything is counted).
     */
    Call begin(HttpServletRequest request) {
        String token = AccessTokens.bearer(request.getHeader(HttpHeaders.AUTHORIZATION), "token", "Bearer");
        GitHubOrg org = orgs.org(token, request.getRemoteAddr());
        if (org == null) {
            throw new GitHubApiException(401, "Bad credentials");
        }
        if (org.secondaryRefusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new GitHubApiException(403, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
                    + "If you reach out to GitHub Support for help, please include the request ID.", RATE_DOCS
                    + "#about-secondary-rate-limits", Map.of("retry-after", Long.toString(org.secondaryRetryAfter)));
        }
        return new Call(org, token, apiBase(request), request);
    }

    /** Counts the call against the token's primary limit; past it, 403 with remaining 0 and the reset. */
    RateWindow.Decision admit(Call call) {
        CallAdmission.Admission admission = call.org().calls.admitFor(call.token(), GitHubOrg.CORE);
        RateWindow.Decision decision = admission.window(GitHubOrg.CORE);
        if (!admission.allowed()) {
            Map<String, String> headers = new LinkedHashMap<>(rateHeaders(decision));
            throw new GitHubApiException(call.org().primaryStatus, "API rate limit exceeded for user ID 9000001. If you reach out to GitHub "
                    + "Support for help, please include the request ID.", RATE_DOCS + "#about-the-primary-rate-limit", headers);
        }
        return decision == null ? peek(call) : decision;
    }

    /** The token's window as it stands, counting nothing. */
    RateWindow.Decision peek(Call call) {
        RateWindow window = call.org().calls.window(GitHubOrg.CORE, call.token());
        int limit = window.limit();
        if (limit == 0) {
            return new RateWindow.Decision(true, 5000, 5000, Instant.now().getEpochSecond() + 3600, 0);
        }
        return new RateWindow.Decision(true, limit, Math.max(0, limit - window.used()),
                Instant.now().plus(window.window()).getEpochSecond(), 0);
    }

    /** A GET: the body, its ETag, and 304 without counting when the caller holds that ETag already. */
    ResponseEntity<byte[]> get(Call call, Supplier<Object> body) {
        byte[] bytes = GitHubJson.bytes(body.get());
        return conditional(call, bytes, null);
    }

    private ResponseEntity<byte[]> conditional(Call call, byte[] bytes, String link) {
        String etag = "\"" + HexFormat.of().formatHex(Hmac.digest(bytes), 0, 16) + "\"";
        String held = call.request().getHeader(HttpHeaders.IF_NONE_MATCH);
        if (held != null && matches(held, etag)) {
            ResponseEntity.BodyBuilder answer = ResponseEntity.status(304).header(HttpHeaders.ETAG, etag);
            rateHeaders(peek(call)).forEach(answer::header);
            if (link != null) {
                answer.header(HttpHeaders.LINK, link);
            }
            return answer.build();
        }
        RateWindow.Decision decision = admit(call);
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(200).header(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
                .header(HttpHeaders.ETAG, etag).header("x-github-request-id", java.util.UUID.randomUUID().toString());
        rateHeaders(decision).forEach(answer::header);
        if (link != null) {
            answer.header(HttpHeaders.LINK, link);
        }
        return answer.body(bytes);
    }

    /** A page of a list ({@code per_page} up to 100, default 30; {@code page} from 1) with GitHub's Link header. */
    ResponseEntity<byte[]> page(Call call, List<Map<String, Object>> all) {
        HttpServletRequest request = call.request();
        int perPage = Math.max(1, Math.min(MAX_PER_PAGE, intParam(request, "per_page", DEFAULT_PER_PAGE)));
        int page = Math.max(1, intParam(request, "page", 1));
        int last = Math.max(1, (all.size() + perPage - 1) / perPage);
        int from = Math.min(all.size(), (page - 1) * perPage);
        List<Map<String, Object>> slice = all.subList(from, Math.min(all.size(), from + perPage));
        List<String> links = new ArrayList<>();
        if (page < last) {
            links.add("<" + pageUrl(request, page + 1) + ">; rel=\"next\"");
            links.add("<" + pageUrl(request, last) + ">; rel=\"last\"");
        }
        if (page > 1) {
            links.add("<" + pageUrl(request, 1) + ">; rel=\"first\"");
            links.add("<" + pageUrl(request, Math.min(page - 1, last)) + ">; rel=\"prev\"");
        }
        return conditional(call, GitHubJson.bytes(slice), links.isEmpty() ? null : String.join(", ", links));
    }

    private ResponseEntity<byte[]> answer(int status, Call call, RateWindow.Decision decision, Object body, String link) {
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(status);
        rateHeaders(decision).forEach(answer::header);
        if (body == null) {
            return answer.build();
        }
        return answer.header(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8").body(GitHubJson.bytes(body));
    }

    static Map<String, String> rateHeaders(RateWindow.Decision decision) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (decision == null) {
            return headers;
        }
        headers.put("x-ratelimit-limit", Integer.toString(decision.limit()));
        headers.put("x-ratelimit-remaining", Integer.toString(decision.remaining()));
        headers.put("x-ratelimit-used", Integer.toString(decision.limit() - decision.remaining()));
        headers.put("x-ratelimit-reset", Long.toString(decision.resetEpochSecond()));
        headers.put("x-ratelimit-resource", "core");
        return headers;
    }

    private static boolean matches(String held, String etag) {
        for (String one : held.split(",")) {
            String tag = one.trim();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(etag) || tag.equals("*")) {
                return true;
            }
        }
        return false;
    }

    /** The path the caller used (the sandbox port forwards /api/v3/... here), so links lead back the way it came. */
    static String originalPath(HttpServletRequest request) {
        Object forwarded = request.getAttribute(RequestDispatcher.FORWARD_REQUEST_URI);
        return forwarded != null ? forwarded.toString() : request.getRequestURI();
    }

    static String origin(HttpServletRequest request) {
        String host = request.getHeader(HttpHeaders.HOST);
        return request.getScheme() + "://" + (host != null ? host : request.getServerName() + ":" + request.getServerPort());
    }

    static String apiBase(HttpServletRequest request) {
        String path = originalPath(request);
        String prefix = path.startsWith("/api/v3") ? "/api/v3" : path.startsWith("/sandbox/github/api/v3") ? "/sandbox/github/api/v3"
                : "/sandbox/github";
        return origin(request) + prefix;
    }

    private static String pageUrl(HttpServletRequest request, int page) {
        StringBuilder url = new StringBuilder(origin(request)).append(originalPath(request)).append('?');
        boolean first = true;
        for (Map.Entry<String, String[]> param : request.getParameterMap().entrySet()) {
            if (param.getKey().equals("page")) {
                continue;
            }
            for (String value : param.getValue()) {
                url.append(first ? "" : "&").append(encode(param.getKey())).append('=').append(encode(value));
                first = false;
            }
        }
        return url.append(first ? "" : "&").append("page=").append(page).toString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ lookups and reading

    private static GitHubOrg.Repo repo(Call call, String owner, String repo) {
        GitHubOrg.Repo found = call.org().repo(owner, repo);
        if (found == null) {
            throw GitHubApiException.notFound();
        }
        return found;
    }

    private static GitHubOrg.Issue issue(Call call, GitHubOrg.Repo repo, String number) {
        GitHubOrg.Issue issue;
        synchronized (call.org()) {
            issue = repo.issues.get(number(number));
        }
        if (issue == null) {
            throw GitHubApiException.notFound();
        }
        if (issue.deleted) {
            throw new GitHubApiException(410, "This issue was deleted");
        }
        return issue;
    }

    private static GitHubOrg.Issue pull(Call call, GitHubOrg.Repo repo, String number) {
        GitHubOrg.Issue pull;
        synchronized (call.org()) {
            pull = repo.issues.get(number(number));
        }
        if (pull == null || !pull.pullRequest || pull.deleted) {
            throw GitHubApiException.notFound();
        }
        return pull;
    }

    private static GitHubOrg.Comment comment(Call call, GitHubOrg.Repo repo, String id) {
        GitHubOrg.Comment comment;
        synchronized (call.org()) {
            comment = repo.comments.get(longId(id));
        }
        if (comment == null) {
            throw GitHubApiException.notFound();
        }
        return comment;
    }

    private static GitHubOrg.Hook hook(Call call, GitHubOrg.Repo repo, String id) {
        GitHubOrg.Hook hook;
        synchronized (call.org()) {
            hook = repo.hooks.get(longId(id));
        }
        if (hook == null) {
            throw GitHubApiException.notFound();
        }
        return hook;
    }

    private static int number(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw GitHubApiException.notFound();
        }
    }

    private static long longId(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw GitHubApiException.notFound();
        }
    }

    private static Instant since(HttpServletRequest request) {
        String since = request.getParameter("since");
        if (since == null || since.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(since.trim());
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(since.trim()).toInstant();
            } catch (DateTimeParseException again) {
                throw GitHubApiException.invalid("Issue", "since", "invalid");
            }
        }
    }

    private static String param(HttpServletRequest request, String name, String fallback) {
        String value = request.getParameter(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static int intParam(HttpServletRequest request, String name, int fallback) {
        try {
            return Integer.parseInt(param(request, name, Integer.toString(fallback)));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    static JsonNode json(byte[] body) {
        if (body == null || body.length == 0) {
            return GitHubJson.MAPPER.createObjectNode();
        }
        try {
            JsonNode node = GitHubJson.MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw new GitHubApiException(400, "Problems parsing JSON");
            }
            return node;
        } catch (IOException e) {
            throw new GitHubApiException(400, "Problems parsing JSON");
        }
    }

    static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** Labels as names or as {@code {"name": ...}} objects; null or absent: unchanged. */
    private static List<String> labels(JsonNode json) {
        JsonNode labels = json.get("labels");
        if (labels == null || labels.isNull()) {
            return null;
        }
        if (!labels.isArray()) {
            throw GitHubApiException.invalid("Issue", "labels", "invalid");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode label : labels) {
            String name = label.isObject() ? text(label, "name") : label.asText();
            if (name != null && !name.isBlank()) {
                names.add(name.trim());
            }
        }
        return names;
    }
}
