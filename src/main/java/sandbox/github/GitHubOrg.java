package sandbox.github;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import sandbox.kit.CallAdmission;
import sandbox.kit.WebhookSender;

/**
 * One sandbox org (the default {@code sandbox-org} of {@code ghp_sandbox}, or a named one of {@code ghp_sandbox_<name>}):
 * its repositories with their issues, pull requests, comments and hooks, its primary limit per token, the secondary
 * limits setup arms, and the tokens setup revoked. Every change goes to the repository's hooks as GitHub's event.
 * Guarded by its own monitor: the API's calls and setup's run one at a time per org.
 */
final class GitHubOrg {

    static final String CORE = "core";
    static final String LOGIN = "sandbox-org";
    /** Who the org's token acts as: the token's user, as GitHub's /user answers. */
    static final String TOKEN_USER = "sandbox-bot";

    /** Something a hook hears of: the event name (X-GitHub-Event) and its payload. */
    record Event(String name, Map<String, Object> payload) {
    }

    /** Hears of every change, to deliver it to the repository's hooks. */
    interface Listener {
        void changed(GitHubOrg org, Repo repo, String event, String action, Issue issue, Comment comment);
    }

    static final class Repo {
        final long id;
        final String name;
        final Instant createdAt;
        final TreeMap<Integer, Issue> issues = new TreeMap<>();
        final Map<Long, Comment> comments = new LinkedHashMap<>();
        final Map<Long, Hook> hooks = new LinkedHashMap<>();
        int lastNumber;

        Repo(long id, String name, Instant createdAt) {
            this.id = id;
            this.name = name;
            this.createdAt = createdAt;
        }
    }

    static final class Issue {
        final long id;
        final int number;
        final boolean pullRequest;
        final String user;
        final Instant createdAt;
        String title;
        String body;
        String state = "open";
        String stateReason;
        List<String> labels = new ArrayList<>();
        Instant updatedAt;
        Instant closedAt;
        int comments;
        /** Deleted by an admin (GET answers 410) or transferred away (GET answers 301 in GitHub; here 404): listed no more. */
        boolean deleted;

        Issue(long id, int number, boolean pullRequest, String user, Instant createdAt, String title, String body) {
            this.id = id;
            this.number = number;
            this.pullRequest = pullRequest;
            this.user = user;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
            this.title = title;
            this.body = body;
        }
    }

    static final class Comment {
        final long id;
        final int issueNumber;
        final String user;
        final Instant createdAt;
        String body;
        Instant updatedAt;

        Comment(long id, int issueNumber, String user, Instant createdAt, String body) {
            this.id = id;
            this.issueNumber = issueNumber;
            this.user = user;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
            this.body = body;
        }
    }

    static final class Hook {
        final long id;
        final Instant createdAt;
        String url;
        /** The API base URL the hook was made through, for the URLs in its payloads. */
        String apiBase;
        String contentType;
        String secret;
        List<String> events;
        boolean active;
        Instant updatedAt;
        volatile WebhookSender.Queue<Event> queue;

        Hook(long id, Instant createdAt) {
            this.id = id;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }

        boolean hears(String event) {
            return active && (events.contains(event) || events.contains("*"));
        }
    }

    final String name;
    final CallAdmission calls;
    private final Clock clock;
    private final Listener listener;
    private final Map<String, Repo> repos = new LinkedHashMap<>();
    private final AtomicLong issueIds = new AtomicLong(1_300_000_000L);
    private final AtomicLong commentIds = new AtomicLong(2_400_000_000L);
    private final AtomicLong hookIds = new AtomicLong(480_000_000L);
    private final Set<String> revoked = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Calls still to refuse with the secondary limit's 403, armed by setup. */
    final AtomicInteger secondaryRefusals = new AtomicInteger();
    volatile long secondaryRetryAfter = 60;
    /** The primary limit's answer: 403 (GitHub's usual) or 429. */
    volatile int primaryStatus = 403;

    GitHubOrg(String name, GitHubSandboxProperties properties, Clock clock, Listener listener) {
        this.name = name;
        this.clock = clock;
        this.listener = listener;
        this.calls = new CallAdmission(clock, properties.latencyMs()).window(CORE, properties.rateLimit(), properties.rateWindow());
    }

    /** GitHub's timestamps are to the second. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    boolean revoked(String token) {
        return revoked.contains(token);
    }

    void revoke(String token) {
        revoked.add(token);
    }

    // ------------------------------------------------------------------ seeding (no events)

    synchronized Repo addRepo(String repoName, Instant createdAt) {
        Repo repo = new Repo(700_000_000L + repos.size() + 1, repoName, createdAt);
        repos.put(repoName.toLowerCase(java.util.Locale.ROOT), repo);
        return repo;
    }

    synchronized Issue seedIssue(Repo repo, boolean pullRequest, String user, Instant at, String title, String body, List<String> labels,
                                 boolean closed) {
        Issue issue = new Issue(issueIds.incrementAndGet(), ++repo.lastNumber, pullRequest, user, at, title, body);
        issue.labels = new ArrayList<>(labels);
        if (closed) {
            issue.state = "closed";
            issue.stateReason = pullRequest ? null : "completed";
            issue.closedAt = at.plus(Duration.ofHours(2));
            issue.updatedAt = issue.closedAt;
        }
        repo.issues.put(issue.number, issue);
        return issue;
    }

    synchronized Comment seedComment(Repo repo, Issue issue, String user, Instant at, String body) {
        Comment comment = new Comment(commentIds.incrementAndGet(), issue.number, user, at, body);
        repo.comments.put(comment.id, comment);
        issue.comments++;
        if (at.isAfter(issue.updatedAt)) {
            issue.updatedAt = at;
        }
        return comment;
    }

    // ------------------------------------------------------------------ reads

    synchronized Repo repo(String owner, String repoName) {
        if (owner == null || !owner.equalsIgnoreCase(LOGIN) || repoName == null) {
            return null;
        }
        return repos.get(repoName.toLowerCase(java.util.Locale.ROOT));
    }

    synchronized List<Repo> repos() {
        return List.copyOf(repos.values());
    }

    // ------------------------------------------------------------------ writes (each heard by the hooks)

    synchronized Issue createIssue(Repo repo, String title, String body, List<String> labels) {
        Issue issue = new Issue(issueIds.incrementAndGet(), ++repo.lastNumber, false, TOKEN_USER, now(), title, body);
        issue.labels = labels == null ? new ArrayList<>() : new ArrayList<>(new LinkedHashSet<>(labels));
        repo.issues.put(issue.number, issue);
        listener.changed(this, repo, "issues", "opened", issue, null);
        return issue;
    }

    /** A partial update: null leaves a field as it is. */
    synchronized Issue editIssue(Repo repo, Issue issue, String title, String body, String state, String stateReason, List<String> labels) {
        List<String> actions = new ArrayList<>();
        if (title != null && !title.equals(issue.title) || body != null && !body.equals(issue.body)) {
            actions.add("edited");
        }
        issue.title = title != null ? title : issue.title;
        issue.body = body != null ? body : issue.body;
        Instant now = now();
        if (state != null && !state.equals(issue.state)) {
            issue.state = state;
            if (state.equals("closed")) {
                issue.closedAt = now;
                issue.stateReason = issue.pullRequest ? null : stateReason == null ? "completed" : stateReason;
                actions.add("closed");
            } else {
                issue.closedAt = null;
                issue.stateReason = issue.pullRequest ? null : "reopened";
                actions.add("reopened");
            }
        }
        if (labels != null && !labels.equals(issue.labels)) {
            boolean added = labels.stream().anyMatch(l -> !issue.labels.contains(l));
            issue.labels = new ArrayList<>(new LinkedHashSet<>(labels));
            actions.add(added ? "labeled" : "unlabeled");
        }
        if (!actions.isEmpty()) {
            issue.updatedAt = now;
        }
        for (String action : actions) {
            listener.changed(this, repo, issue.pullRequest ? "pull_request" : "issues", action, issue, null);
        }
        return issue;
    }

    /** An admin deletes the issue (GitHub: only admins, and the issue is gone with its comments). */
    synchronized void deleteIssue(Repo repo, Issue issue) {
        issue.deleted = true;
        repo.comments.values().removeIf(c -> c.issueNumber == issue.number);
        listener.changed(this, repo, "issues", "deleted", issue, null);
    }

    synchronized Comment createComment(Repo repo, Issue issue, String body) {
        Instant now = now();
        Comment comment = new Comment(commentIds.incrementAndGet(), issue.number, TOKEN_USER, now, body);
        repo.comments.put(comment.id, comment);
        issue.comments++;
        issue.updatedAt = now;
        listener.changed(this, repo, "issue_comment", "created", issue, comment);
        return comment;
    }

    synchronized Comment editComment(Repo repo, Comment comment, String body) {
        if (body != null && !body.equals(comment.body)) {
            comment.body = body;
            comment.updatedAt = now();
            listener.changed(this, repo, "issue_comment", "edited", repo.issues.get(comment.issueNumber), comment);
        }
        return comment;
    }

    synchronized void deleteComment(Repo repo, Comment comment) {
        repo.comments.remove(comment.id);
        Issue issue = repo.issues.get(comment.issueNumber);
        if (issue != null) {
            issue.comments = Math.max(0, issue.comments - 1);
        }
        listener.changed(this, repo, "issue_comment", "deleted", issue, comment);
    }

    synchronized Hook addHook(Repo repo, String apiBase, String url, String contentType, String secret, List<String> events, boolean active) {
        Hook hook = new Hook(hookIds.incrementAndGet(), now());
        hook.url = url;
        hook.apiBase = apiBase;
        hook.contentType = contentType;
        hook.secret = secret;
        hook.events = List.copyOf(events);
        hook.active = active;
        repo.hooks.put(hook.id, hook);
        return hook;
    }

    synchronized Hook removeHook(Repo repo, long id) {
        Hook hook = repo.hooks.remove(id);
        if (hook != null && hook.queue != null) {
            hook.queue.close();
        }
        return hook;
    }

    synchronized Collection<Hook> hooks(Repo repo) {
        return List.copyOf(repo.hooks.values());
    }
}
