package providers.github;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.stereotype.Component;

import hub.InvalidInputException;
import providers.AdapterHealth;
import providers.ConnectionContext;
import providers.ConnectionTestResult;
import providers.DeletedRecords;
import providers.EntityInfo;
import providers.FetchPage;
import providers.FetchRequest;
import providers.FieldInfo;
import providers.IntegrationAdapter;
import providers.PermanentProviderException;
import providers.ProviderDescriptor;
import providers.ProviderDescriptor.CredentialField;
import providers.ProviderException;
import providers.WebhookSubscription;
import security.InvalidCredentialsException;
import security.OutboundGuard;

/**
 * GitHub issues, pull requests and their comments in the repositories an integration selects ({@code sources},
 * {@code owner/repo}), as notes. Entities: {@code issues} (GitHub's issues API lists pull requests too, told apart by
 * {@code kind}) and {@code issue_comments}. Records are flat: {@code id} ({@code owner/repo#number} for an issue,
 * {@code owner/repo/comments/<id>} for a comment, so write-back needs no lookup), the text fields, {@code author} (login),
 * {@code labels} (names, comma-separated), {@code repository}, {@code url}, timestamps, and a comment's {@code issueId}.
 *
 * <p>Every pass reads each repository oldest created first, from its own {@code since} ({@link GitHubPass}),
 * one request per page, conditional on the page URL's ETag; across repositories records are not in one marker order, so
 * the pass ends with a resume marker. Deletions are found by reconciliation ({@link #fetchDeleted}): GitHub reports none
 * but in webhooks. Webhooks are repository hooks ({@link #registerWebhook}). Write-back edits an issue's title, body,
 * state and labels (no conditional write at GitHub: the last write wins there).
 */
@Component
public class GitHubAdapter implements IntegrationAdapter {

    public static final String PROVIDER_ID = GitHubApi.PROVIDER_ID;
    public static final String PERSONAL_ACCESS_TOKEN = "personal_access_token";
    static final String ISSUES = "issues";
    static final String COMMENTS = "issue_comments";
    static final int MAX_PAGE = 100;
    /** Repository hooks do not expire; the registration says to look again after this, and renewal re-creates a missing one. */
    static final Duration HOOK_CHECK = Duration.ofHours(24);
    static final List<String> HOOK_EVENTS = List.of("issues", "issue_comment", "pull_request");
    static final Pattern REPOSITORY = Pattern.compile("([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/([A-Za-z0-9._-]{1,100})");
    private static final Pattern ISSUE_ID = Pattern.compile(REPOSITORY.pattern() + "#([0-9]{1,9})");
    private static final Pattern COMMENT_ID = Pattern.compile(REPOSITORY.pattern() + "/comments/([0-9]{1,19})");

    private static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor(
            PROVIDER_ID, "GitHub", "engineering", "active", "tenant",
            List.of(PERSONAL_ACCESS_TOKEN, "oauth2_authorization_code"),
            List.of(ISSUES, COMMENTS),
            List.of(new CredentialField(GitHubApi.ACCESS_TOKEN, true, true, "Personal access token (ghp_... or github_pat_...)"),
                    new CredentialField(GitHubApi.BASE_URL, false, false, "API base URL, default " + GitHubApi.DEFAULT_BASE_URL
                            + " (GitHub Enterprise Server: https://<host>/api/v3)")),
            5000, Duration.ofHours(1));

    private final GitHubApi api;
    private final OutboundGuard guard;

    GitHubAdapter(GitHubApi api, OutboundGuard guard) {
        this.api = api;
        this.guard = guard;
    }

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Map<String, String> normalizeCredentials(Map<String, String> credentials) {
        if (credentials.containsKey("clientId")) {
            return credentials;
        }
        Map<String, String> normalized = new LinkedHashMap<>(credentials);
        String token = normalized.get(GitHubApi.ACCESS_TOKEN);
        if (token != null && (token.isBlank() || token.chars().anyMatch(Character::isWhitespace))) {
            throw new InvalidCredentialsException(GitHubApi.ACCESS_TOKEN, "must not be blank or contain whitespace");
        }
        String base = normalized.getOrDefault(GitHubApi.BASE_URL, GitHubApi.DEFAULT_BASE_URL);
        guard.checkBaseUrl(GitHubApi.BASE_URL, base, GitHubApi.DEFAULT_BASE_URL);
        normalized.put(GitHubApi.BASE_URL, base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        return normalized;
    }

    /** Each selected repository must exist and be visible to the token: {@code sources.<entity>} names those that are not. */
    @Override
    public void checkSources(ConnectionContext connection) {
        for (Map.Entry<String, List<String>> selection : connection.sources().entrySet()) {
            String entity = selection.getKey();
            if (!entity.equals(ConnectionContext.ANY_ENTITY) && !DESCRIPTOR.entities().contains(entity)) {
                throw new InvalidInputException("sources." + entity, "unknown entity '" + entity + "' (GitHub has " + DESCRIPTOR.entities() + ")");
            }
            List<String> unknown = new ArrayList<>();
            for (String repository : selection.getValue()) {
                if (!REPOSITORY.matcher(repository == null ? "" : repository.trim()).matches()) {
                    throw new InvalidInputException("sources." + entity, "'" + abbreviate(repository) + "' is not owner/repo");
                }
                GitHubApi.Answer answer = api.send(connection, "read repository " + repository.trim(), "GET", "/repos/" + repository.trim(),
                        null, 404);
                if (answer.status() != 200) {
                    unknown.add(repository.trim());
                }
            }
            if (!unknown.isEmpty()) {
                throw new InvalidInputException("sources." + entity, (unknown.size() == 1 ? "unknown repository '" : "unknown repositories '")
                        + String.join("', '", unknown) + "' (not found or not visible to the token)");
            }
        }
    }

    @Override
    public void connect(ConnectionContext connection) {
    }

    @Override
    public void disconnect(ConnectionContext connection) {
        api.forget(connection.integrationId());
    }

    /** One call: the token's user ({@code GET /user}). */
    @Override
    public ConnectionTestResult testConnection(ConnectionContext connection) {
        try {
            JsonNode user = api.body(api.send(connection, "connection test", "GET", "/user", null), "user");
            return ConnectionTestResult.success("GitHub user " + user.path("login").asText("?") + " ("
                    + GitHubApi.host(GitHubApi.baseUrl(connection)) + ")");
        } catch (ProviderException e) {
            return ConnectionTestResult.failure(e.getMessage());
        }
    }

    /** Records of several repositories are not in one marker order: the pass resumes by page cursor and ends with a marker. */
    @Override
    public boolean recordsInMarkerOrder() {
        return false;
    }

    @Override
    public FetchPage fetchRecords(ConnectionContext connection, FetchRequest request) {
        String entity = entity(request.entity());
        List<String> repositories = repositories(connection, entity);
        GitHubPass pass = request.pageCursor() == null ? GitHubPass.start(request.since()) : GitHubPass.decodeCursor(request.pageCursor());
        if (pass.done(repositories.size())) {
            return new FetchPage(List.of(), null, 0, List.of(), pass.resumeMarker(repositories));
        }
        String repository = repositories.get(pass.index());
        int perPage = Math.max(1, Math.min(MAX_PAGE, request.pageSize()));
        String url = pass.next() != null ? pass.next() : firstPage(entity, repository, pass.since(repository), perPage);
        GitHubApi.Answer answer = api.send(connection, "list " + entity + " of " + repository, "GET", url, null, 404, 410);
        if (answer.status() == 404 || answer.status() == 410) {
            throw new PermanentProviderException("GitHub repository '" + repository + "' (sources." + entity
                    + ") was not found or is not visible to the token");
        }
        JsonNode list = api.body(answer, entity + " list");
        if (!list.isArray()) {
            throw new PermanentProviderException("GitHub answered no list of " + entity + " for " + repository);
        }
        List<Map<String, Object>> records = new ArrayList<>(list.size());
        String newest = null;
        for (JsonNode item : list) {
            Map<String, Object> record = entity.equals(ISSUES) ? issue(repository, item) : comment(repository, item);
            records.add(record);
            String updated = item.path("updated_at").asText(null);
            if (updated != null && GitHubPass.instant(updated) != null
                    && (newest == null || GitHubPass.instant(updated).isAfter(GitHubPass.instant(newest)))) {
                newest = updated;
            }
        }
        GitHubPass after = pass.after(repository, newest, answer.next(), repositories.size());
        if (after.done(repositories.size())) {
            return new FetchPage(records, null, records.size(), List.of(), after.resumeMarker(repositories));
        }
        return new FetchPage(records, after.encode(), records.size(), List.of(), null);
    }

    /**
     * Reconciliation: GitHub lists no deletions (an admin's deleted or transferred issue, a deleted comment), so every
     * record of the selected repositories is listed (each page conditional: unchanged pages are 304s, free at GitHub), one
     * {@link DeletedRecords.Listing} per repository: the hub marks deleted what it holds of that repository that the listing
     * no longer names. The baseline is the hub's own store, so it survives restarts and is the same on every instance.
     */
    @Override
    public DeletedRecords fetchDeleted(ConnectionContext connection, String entity, Instant from, Instant to) {
        String name = entity(entity);
        List<DeletedRecords.Listing> listings = new ArrayList<>();
        for (String repository : repositories(connection, name)) {
            Instant started = Instant.now();
            Set<String> present = new HashSet<>();
            String url = firstPage(name, repository, null, MAX_PAGE);
            Set<String> pages = new LinkedHashSet<>();
            while (url != null) {
                if (!pages.add(url)) {
                    throw new PermanentProviderException("GitHub repeated a page link of " + repository + "'s " + name);
                }
                GitHubApi.Answer answer = api.send(connection, "list " + name + " of " + repository, "GET", url, null, 404, 410);
                if (answer.status() != 200) {
                    throw new PermanentProviderException("GitHub repository '" + repository + "' (sources." + name
                            + ") was not found or is not visible to the token");
                }
                for (JsonNode item : api.body(answer, name + " list")) {
                    present.add(name.equals(ISSUES) ? issueId(repository, item) : commentId(repository, item));
                }
                url = answer.next();
            }
            listings.add(new DeletedRecords.Listing(name.equals(ISSUES) ? repository + "#" : repository + "/comments/", present, started));
        }
        return new DeletedRecords(List.of(), to, listings);
    }

    /** Opens an issue ({@code repository} names where, else the first selected repository) or comments on one ({@code issueId}). */
    @Override
    public String createRecord(ConnectionContext connection, String entity, Map<String, Object> fields) {
        String name = entity(entity);
        if (name.equals(COMMENTS)) {
            Matcher issue = ISSUE_ID.matcher(text(fields.get("issueId")) == null ? "" : text(fields.get("issueId")));
            if (!issue.matches()) {
                throw new PermanentProviderException("GitHub comment: issueId must name the issue as owner/repo#number");
            }
            String repository = issue.group(1) + "/" + issue.group(2);
            JsonNode created = api.body(api.send(connection, "comment on " + repository + "#" + issue.group(3), "POST",
                    "/repos/" + repository + "/issues/" + issue.group(3) + "/comments", Map.of("body", nonNull(text(fields.get("body"))))),
                    "comment");
            return commentId(repository, created);
        }
        String repository = text(fields.get("repository"));
        if (repository == null) {
            List<String> selected = connection.sources(ISSUES);
            if (selected.isEmpty()) {
                throw new PermanentProviderException("GitHub issue: no repository given and none selected (sources.issues)");
            }
            repository = selected.get(0);
        }
        repository(repository);
        Map<String, Object> body = issueWrite(fields);
        if (body.get("title") == null) {
            throw new PermanentProviderException("GitHub issue: a title is required");
        }
        Object state = body.remove("state");
        JsonNode created = api.body(api.send(connection, "open an issue in " + repository, "POST", "/repos/" + repository + "/issues",
                body), "issue");
        String id = issueId(repository, created);
        if ("closed".equals(state)) {
            api.send(connection, "close " + id, "PATCH", "/repos/" + repository + "/issues/" + created.path("number").asInt(),
                    Map.of("state", "closed"));
        }
        return id;
    }

    /**
     * An issue's (or pull request's) {@code title}, {@code body}, {@code state} ({@code open}/{@code closed}) and
     * {@code labels} (names, comma-separated or a list; they replace the issue's labels) in one PATCH; a comment's
     * {@code body}. GitHub has no conditional write: {@code expectedVersion} is not sent.
     */
    @Override
    public void updateRecord(ConnectionContext connection, String entity, String externalId, Map<String, Object> fields, String expectedVersion) {
        String name = entity(entity);
        if (name.equals(COMMENTS)) {
            Matcher comment = commentMatcher(externalId);
            if (fields.containsKey("body")) {
                api.send(connection, "edit comment " + comment.group(3), "PATCH", "/repos/" + comment.group(1) + "/" + comment.group(2)
                        + "/issues/comments/" + comment.group(3), Map.of("body", nonNull(text(fields.get("body")))));
            }
            return;
        }
        Matcher issue = issueMatcher(externalId);
        Map<String, Object> body = issueWrite(fields);
        if (body.isEmpty()) {
            return;
        }
        api.send(connection, "edit " + externalId, "PATCH", "/repos/" + issue.group(1) + "/" + issue.group(2) + "/issues/" + issue.group(3),
                body);
    }

    @Override
    public Optional<Map<String, Object>> fetchRecord(ConnectionContext connection, String entity, String externalId, Set<String> fields) {
        String name = entity(entity);
        if (name.equals(COMMENTS)) {
            Matcher comment = commentMatcher(externalId);
            String repository = comment.group(1) + "/" + comment.group(2);
            GitHubApi.Answer answer = api.send(connection, "read " + externalId, "GET", "/repos/" + repository + "/issues/comments/"
                    + comment.group(3), null, 404, 410);
            return answer.status() == 200 ? Optional.of(comment(repository, api.body(answer, "comment"))) : Optional.empty();
        }
        Matcher issue = issueMatcher(externalId);
        String repository = issue.group(1) + "/" + issue.group(2);
        GitHubApi.Answer answer = api.send(connection, "read " + externalId, "GET", "/repos/" + repository + "/issues/" + issue.group(3), null,
                404, 410);
        return answer.status() == 200 ? Optional.of(issue(repository, api.body(answer, "issue"))) : Optional.empty();
    }

    /** Deletes a comment (one already gone is done); issues cannot be deleted through GitHub's REST API (close them). */
    @Override
    public void deleteRecord(ConnectionContext connection, String entity, String externalId) {
        if (!entity(entity).equals(COMMENTS)) {
            throw new PermanentProviderException("GitHub issues cannot be deleted through the REST API (only an admin can, on GitHub); "
                    + "close the issue instead (state closed)");
        }
        Matcher comment = commentMatcher(externalId);
        api.send(connection, "delete " + externalId, "DELETE", "/repos/" + comment.group(1) + "/" + comment.group(2) + "/issues/comments/"
                + comment.group(3), null, 404);
    }

    /**
     * A repository hook on each selected repository ({@code issues}, {@code issue_comment}, {@code pull_request} as JSON to
     * the callback, signed with the hub's secret); one the hub made before to the same URL is replaced, as its secret is
     * not readable. The subscription's id lists {@code owner/repo:hookId}; its expiry is when renewal should look again.
     */
    @Override
    public WebhookSubscription registerWebhook(ConnectionContext connection, List<String> events, String callbackUrl, String secret) {
        if (callbackUrl == null) {
            throw new PermanentProviderException("GitHub hooks need the hub's public URL (hub.public-url) to deliver to");
        }
        List<String> hooks = new ArrayList<>();
        for (String repository : allRepositories(connection)) {
            hooks.add(repository + ":" + createHook(connection, repository, callbackUrl, secret));
        }
        return new WebhookSubscription(String.join(",", hooks), Instant.now().plus(HOOK_CHECK));
    }

    /**
     * Looks each hook up ({@code GET .../hooks/{id}}); one GitHub no longer has (deleted in the repository's settings) is
     * re-created (and the answer says changes were missed), as is a hook for a repository selected since.
     */
    @Override
    public WebhookSubscription renewWebhook(ConnectionContext connection, String providerWebhookId, List<String> events, String callbackUrl,
                                           String secret) {
        Map<String, String> existing = new LinkedHashMap<>();
        for (String part : providerWebhookId == null ? new String[0] : providerWebhookId.split(",")) {
            int colon = part.lastIndexOf(':');
            if (colon > 0) {
                existing.put(part.substring(0, colon), part.substring(colon + 1));
            }
        }
        List<String> hooks = new ArrayList<>();
        boolean missed = false;
        for (String repository : allRepositories(connection)) {
            String id = existing.get(repository);
            if (id != null && id.matches("[0-9]{1,19}")) {
                GitHubApi.Answer answer = api.send(connection, "read hook of " + repository, "GET", "/repos/" + repository + "/hooks/" + id,
                        null, 404);
                if (answer.status() == 200) {
                    hooks.add(repository + ":" + id);
                    continue;
                }
                // gone: what changed since it went was never delivered
                missed = true;
            }
            if (callbackUrl == null) {
                throw new PermanentProviderException("GitHub hook of " + repository + " is gone and cannot be re-created without the hub's "
                        + "public URL (hub.public-url)");
            }
            hooks.add(repository + ":" + createHook(connection, repository, callbackUrl, secret));
        }
        return new WebhookSubscription(String.join(",", hooks), Instant.now().plus(HOOK_CHECK), missed);
    }

    @Override
    public List<EntityInfo> discoverEntities(ConnectionContext connection) {
        return List.of(new EntityInfo(ISSUES, "Issues and pull requests", true, true, true, false),
                new EntityInfo(COMMENTS, "Issue comments", true, true, true, true));
    }

    @Override
    public List<FieldInfo> discoverFields(ConnectionContext connection, String entity) {
        List<FieldInfo> fields = new ArrayList<>();
        fields.add(new FieldInfo("id", "Id (owner/repo#number or owner/repo/comments/id)", "string", false, false, false));
        fields.add(new FieldInfo("githubId", "GitHub id", "integer", false, false, false));
        fields.add(new FieldInfo("kind", "Kind", "string", false, false, false));
        if (entity(entity).equals(ISSUES)) {
            fields.add(new FieldInfo("number", "Number", "integer", false, false, false));
            fields.add(new FieldInfo("title", "Title", "string", true, true, false));
            fields.add(new FieldInfo("body", "Body", "string", true, true, true));
            fields.add(new FieldInfo("state", "State (open, closed)", "string", true, true, false));
            fields.add(new FieldInfo("stateReason", "State reason", "string", false, false, true));
            fields.add(new FieldInfo("labels", "Labels (comma-separated)", "string", true, true, true));
            fields.add(new FieldInfo("comments", "Comment count", "integer", false, false, false));
            fields.add(new FieldInfo("closedAt", "Closed at", "datetime", false, false, true));
        } else {
            fields.add(new FieldInfo("issueId", "Issue (owner/repo#number)", "string", true, false, false));
            fields.add(new FieldInfo("body", "Body", "string", true, true, false));
        }
        fields.add(new FieldInfo("author", "Author (login)", "string", false, false, true));
        fields.add(new FieldInfo("repository", "Repository (owner/repo)", "string", true, false, false));
        fields.add(new FieldInfo("url", "Web URL", "string", false, false, true));
        fields.add(new FieldInfo("createdAt", "Created at", "datetime", false, false, false));
        fields.add(new FieldInfo("updatedAt", "Updated at", "datetime", false, false, false));
        return fields;
    }

    @Override
    public AdapterHealth health(ConnectionContext connection) {
        return api.health(connection);
    }

    // ------------------------------------------------------------------ records

    static Map<String, Object> issue(String repository, JsonNode item) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("id", issueId(repository, item));
        record.put("githubId", item.path("id").asLong());
        record.put("number", item.path("number").asInt());
        record.put("kind", item.has("pull_request") && !item.path("pull_request").isNull() ? "pull_request" : "issue");
        record.put("title", textOf(item, "title"));
        record.put("body", textOf(item, "body"));
        record.put("state", textOf(item, "state"));
        record.put("stateReason", textOf(item, "state_reason"));
        record.put("author", textOf(item.path("user"), "login"));
        List<String> labels = new ArrayList<>();
        item.path("labels").forEach(l -> labels.add(l.isObject() ? l.path("name").asText() : l.asText()));
        record.put("labels", String.join(",", labels));
        record.put("comments", item.path("comments").asInt());
        record.put("repository", repository);
        record.put("url", textOf(item, "html_url"));
        record.put("createdAt", textOf(item, "created_at"));
        record.put("updatedAt", textOf(item, "updated_at"));
        record.put("closedAt", textOf(item, "closed_at"));
        return record;
    }

    static Map<String, Object> comment(String repository, JsonNode item) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("id", commentId(repository, item));
        record.put("githubId", item.path("id").asLong());
        record.put("kind", "comment");
        String issueUrl = item.path("issue_url").asText("");
        String number = issueUrl.substring(issueUrl.lastIndexOf('/') + 1);
        record.put("issueId", number.matches("[0-9]{1,9}") ? repository + "#" + number : null);
        record.put("body", textOf(item, "body"));
        record.put("author", textOf(item.path("user"), "login"));
        record.put("repository", repository);
        record.put("url", textOf(item, "html_url"));
        record.put("createdAt", textOf(item, "created_at"));
        record.put("updatedAt", textOf(item, "updated_at"));
        return record;
    }

    private static String issueId(String repository, JsonNode item) {
        return repository + "#" + item.path("number").asInt();
    }

    private static String commentId(String repository, JsonNode item) {
        return repository + "/comments/" + item.path("id").asLong();
    }

    /** The body of an issue write: what the fields name of title, body, state, labels. */
    private static Map<String, Object> issueWrite(Map<String, Object> fields) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (fields.containsKey("title")) {
            String title = text(fields.get("title"));
            if (title == null || title.isBlank()) {
                throw new PermanentProviderException("GitHub issue: the title cannot be emptied");
            }
            body.put("title", title);
        }
        if (fields.containsKey("body")) {
            body.put("body", text(fields.get("body")));
        }
        if (fields.containsKey("state")) {
            String state = text(fields.get("state"));
            state = state == null ? null : state.trim().toLowerCase(Locale.ROOT);
            if (!"open".equals(state) && !"closed".equals(state)) {
                throw new PermanentProviderException("GitHub issue state must be open or closed, not '" + abbreviate(state) + "'");
            }
            body.put("state", state);
        }
        if (fields.containsKey("labels")) {
            Object labels = fields.get("labels");
            List<String> names = new ArrayList<>();
            if (labels instanceof Collection<?> list) {
                list.forEach(l -> names.add(String.valueOf(l).trim()));
            } else if (labels != null) {
                for (String name : labels.toString().split(",")) {
                    names.add(name.trim());
                }
            }
            names.removeIf(String::isEmpty);
            body.put("labels", names);
        }
        return body;
    }

    // ------------------------------------------------------------------ repositories and ids

    /**
     * A listing's first page, oldest created first: an edit does not move a record to another page (sorted by update it
     * would, shifting the pages after it so that a record could be skipped), and only the edited record's page changes its
     * ETag. A full pass of pages of 100 lists the same URLs as the reconciliation, whose pages are then 304s.
     */
    private String firstPage(String entity, String repository, String since, int perPage) {
        String path = entity.equals(ISSUES) ? "/repos/" + repository + "/issues?state=all&sort=created&direction=asc&per_page=" + perPage
                : "/repos/" + repository + "/issues/comments?sort=created&direction=asc&per_page=" + perPage;
        return since == null ? path : path + "&since=" + URLEncoder.encode(since, StandardCharsets.UTF_8);
    }

    /** The entity's selected repositories; none is a clear error, as GitHub has no "everything" worth syncing by default. */
    private static List<String> repositories(ConnectionContext connection, String entity) {
        List<String> selected = connection.sources(entity);
        if (selected.isEmpty()) {
            throw new PermanentProviderException("GitHub " + entity + ": no repositories selected; set sources." + entity
                    + " (or sources.*) to a list of owner/repo");
        }
        List<String> repositories = new ArrayList<>();
        for (String repository : selected) {
            repositories.add(repository(repository));
        }
        return repositories;
    }

    /** Every repository any entity selects, for the hooks. */
    private static List<String> allRepositories(ConnectionContext connection) {
        Set<String> all = new LinkedHashSet<>();
        for (List<String> selected : connection.sources().values()) {
            for (String repository : selected) {
                all.add(repository(repository));
            }
        }
        if (all.isEmpty()) {
            throw new PermanentProviderException("GitHub hooks: no repositories selected (sources)");
        }
        return new ArrayList<>(all);
    }

    private static String repository(String repository) {
        String trimmed = repository == null ? "" : repository.trim();
        if (!REPOSITORY.matcher(trimmed).matches()) {
            throw new PermanentProviderException("not a GitHub repository (owner/repo): '" + abbreviate(trimmed) + "'");
        }
        return trimmed;
    }

    private long createHook(ConnectionContext connection, String repository, String callbackUrl, String secret) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("url", callbackUrl);
        config.put("content_type", "json");
        config.put("insecure_ssl", "0");
        if (secret != null) {
            config.put("secret", secret);
        }
        Map<String, Object> hook = new LinkedHashMap<>();
        hook.put("name", "web");
        hook.put("active", true);
        hook.put("events", HOOK_EVENTS);
        hook.put("config", config);
        GitHubApi.Answer answer = api.send(connection, "create hook on " + repository, "POST", "/repos/" + repository + "/hooks", hook, 422);
        if (answer.status() == 422) {
            // a hook to this URL exists already (made by an earlier registration): replace it, its secret is not readable
            for (JsonNode existing : api.body(api.send(connection, "list hooks of " + repository, "GET", "/repos/" + repository
                    + "/hooks?per_page=100", null), "hook list")) {
                if (callbackUrl.equals(existing.path("config").path("url").asText())) {
                    api.send(connection, "delete hook of " + repository, "DELETE", "/repos/" + repository + "/hooks/"
                            + existing.path("id").asLong(), null, 404);
                }
            }
            answer = api.send(connection, "create hook on " + repository, "POST", "/repos/" + repository + "/hooks", hook);
        }
        long id = api.body(answer, "hook").path("id").asLong(0);
        if (id == 0) {
            throw new PermanentProviderException("GitHub created a hook on " + repository + " without an id");
        }
        return id;
    }

    private static String entity(String entity) {
        if (entity != null) {
            String lower = entity.toLowerCase(Locale.ROOT);
            if (lower.equals(ISSUES) || lower.equals(COMMENTS)) {
                return lower;
            }
        }
        throw new PermanentProviderException("GitHub has no entity '" + abbreviate(entity) + "' (issues, issue_comments)");
    }

    private static Matcher issueMatcher(String externalId) {
        Matcher matcher = ISSUE_ID.matcher(externalId == null ? "" : externalId);
        if (!matcher.matches()) {
            throw new PermanentProviderException("not a GitHub issue id (owner/repo#number): '" + abbreviate(externalId) + "'");
        }
        return matcher;
    }

    private static Matcher commentMatcher(String externalId) {
        Matcher matcher = COMMENT_ID.matcher(externalId == null ? "" : externalId);
        if (!matcher.matches()) {
            throw new PermanentProviderException("not a GitHub comment id (owner/repo/comments/id): '" + abbreviate(externalId) + "'");
        }
        return matcher;
    }

    private static String textOf(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static String nonNull(String text) {
        return text == null ? "" : text;
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }
}
