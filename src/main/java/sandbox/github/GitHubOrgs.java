package sandbox.github;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import sandbox.kit.AccessTokens;
import sandbox.kit.Hmac;
import sandbox.kit.Population;
import sandbox.kit.TokenText;
import sandbox.kit.WebhookSender;
import sandbox.kit.Workspaces;

/**
 * The sandbox's orgs (the kit's {@link Workspaces}): the default one of the personal access token {@code ghp_sandbox}
 * and one per name ({@code ghp_sandbox_<name>}), made and seeded on first use so tests work in isolation; OAuth app
 * tokens ({@code gho_...}) from the sandbox's OAuth flow; and the delivery of every org's changes to the hooks of its
 * repositories, signed as GitHub signs them.
 */
final class GitHubOrgs {

    static final String DEFAULT_TOKEN = "ghp_sandbox";
    static final String CLIENT_ID = "sandbox-client";
    static final String CLIENT_SECRET = "sandbox-secret";
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final Pattern NAMED_TOKEN = Pattern.compile("ghp_sandbox_(" + NAME.pattern() + ")");
    private static final Workspaces.Naming NAMING = new Workspaces.Naming("GitHub sandbox", "org", "hub.sandbox.github");
    private static final List<String> REPOSITORIES = List.of("customer-success", "integrations", "website", "mobile-app", "billing");
    private static final List<String> DEVELOPERS = List.of("mona-sandbox", "hubot-sandbox", "octo-dev", "ada-sandbox", "linus-sandbox");
    private static final List<String> LABELS = List.of("bug", "enhancement", "customer", "question", "documentation");
    private static final List<String> TOPICS = List.of("SSO login fails for", "CSV export is slow for", "Webhook retries missing for",
            "Invoice totals wrong for", "Onboarding checklist for", "Data import from legacy CRM for", "Mobile push not arriving for",
            "API quota raise requested by");

    private final GitHubSandboxProperties properties;
    private final Population population;
    private final Clock clock;
    private final Workspaces<GitHubOrg> orgs;
    private final AccessTokens tokens;
    private final WebhookSender sender;
    /** The event of the delivery being built, from {@link WebhookSender.Format#body} to its headers (same thread). */
    private final ThreadLocal<GitHubOrg.Event> building = new ThreadLocal<>();

    GitHubOrgs(GitHubSandboxProperties properties, Clock clock) {
        this.properties = properties;
        this.population = new Population(properties.seed(), Population.DEFAULT_SHARED_SHARE);
        this.clock = clock;
        this.orgs = new Workspaces<>(NAMING, new Workspaces.Limits(properties.maxOrgs(), properties.maxOrgsPerClient(),
                properties.orgIdleAfter()), clock, this::create,
                Workspaces.Refusal.withHint("use an org that exists or the default one (" + DEFAULT_TOKEN + ")"));
        this.tokens = new AccessTokens(clock);
        this.sender = new WebhookSender("sandbox-github-webhooks", 2, new WebhookSender.Policy(Duration.ZERO, 1, 10_000,
                properties.webhookRetryInitial(), properties.webhookRetryMax(), properties.webhookMaxAttempts(), Duration.ofHours(1),
                properties.webhookTimeout(), properties.webhookAllowedHosts(), "hub.sandbox.github.webhook-allowed-hosts"), clock);
    }

    GitHubSandboxProperties properties() {
        return properties;
    }

    /** The org name a personal access token stands for ("" for the default org), or empty when it is none. */
    static Optional<String> nameOfPersonalToken(String token) {
        if (DEFAULT_TOKEN.equals(token)) {
            return Optional.of("");
        }
        Matcher named = token == null ? null : NAMED_TOKEN.matcher(token);
        return named != null && named.matches() ? Optional.of(named.group(1)) : Optional.empty();
    }

    /** The org a token acts in (made on first use for a personal access token), or null for an unknown, expired or revoked one. */
    GitHubOrg org(String token, String client) {
        if (token == null) {
            return null;
        }
        Optional<String> personal = nameOfPersonalToken(token);
        GitHubOrg org = personal.isPresent() ? orgs.get(personal.get(), client) : null;
        if (org == null) {
            String name = tokens.workspaceOf(token);
            org = name == null ? null : orgs.find(name);
        }
        return org == null || org.revoked(token) ? null : org;
    }

    /** An OAuth app's authorization code for the org the login names ("" or a name). */
    String authorize(String orgName, String client, String redirectUri) {
        orgs.get(orgName, client);
        return tokens.issueCode(TokenText.urlSafe(15), orgName, redirectUri, null, null);
    }

    /** The user access token (gho_...) a code is exchanged for, or null when the code is unknown, used or for another redirect. */
    String exchange(String code, String redirectUri) {
        AccessTokens.Code redeemed = tokens.redeemCode(code);
        if (redeemed == null || redirectUri != null && redeemed.redirectUri() != null && !redirectUri.equals(redeemed.redirectUri())) {
            return null;
        }
        return tokens.issueAccess("gho_" + TokenText.urlSafe(27), redeemed.workspace(), null, properties.accessTokenTtl());
    }

    /** Forgets an OAuth token (the app's "revoke" call) or marks a personal access token revoked in its org. */
    void revoke(GitHubOrg org, String token) {
        tokens.revoke(token);
        org.revoke(token);
    }

    /** How big a seeded org is. */
    record Sizes(int repositories, int issuesPerRepository, int commentsPerIssue) {
    }

    /** Replaces the org by a freshly seeded one of these sizes (setup's reset); its hooks go with the old one. */
    GitHubOrg reset(GitHubOrg org, Sizes sizes) {
        for (GitHubOrg.Repo repo : org.repos()) {
            for (GitHubOrg.Hook hook : org.hooks(repo)) {
                org.removeHook(repo, hook.id);
            }
        }
        return orgs.replace(org.name, old -> create(old.name, sizes));
    }

    URI destination(String url, int ownPort) {
        return sender.destination(url, ownPort);
    }

    /** Opens the hook's delivery queue and sends GitHub's ping. */
    void open(GitHubOrg org, GitHubOrg.Repo repo, GitHubOrg.Hook hook, URI target) {
        hook.queue = sender.open("github hook " + hook.id, target, new WebhookSender.Format<>() {
            @Override
            public byte[] body(List<WebhookSender.Attempt<GitHubOrg.Event>> batch) {
                GitHubOrg.Event event = batch.get(0).item();
                building.set(event);
                byte[] json = GitHubJson.bytes(event.payload());
                if ("form".equals(hook.contentType)) {
                    return ("payload=" + java.net.URLEncoder.encode(new String(json, StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                            .getBytes(StandardCharsets.UTF_8);
                }
                return json;
            }

            @Override
            public Map<String, String> headers(URI to, byte[] body, Instant sentAt) {
                GitHubOrg.Event event = building.get();
                building.remove();
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("Content-Type", "form".equals(hook.contentType) ? "application/x-www-form-urlencoded" : "application/json");
                headers.put("User-Agent", "GitHub-Hookshot/sandbox");
                headers.put("X-GitHub-Event", event == null ? "ping" : event.name());
                headers.put("X-GitHub-Delivery", UUID.randomUUID().toString());
                headers.put("X-GitHub-Hook-ID", Long.toString(hook.id));
                headers.put("X-GitHub-Hook-Installation-Target-ID", Long.toString(repo.id));
                headers.put("X-GitHub-Hook-Installation-Target-Type", "repository");
                if (hook.secret != null && !hook.secret.isEmpty()) {
                    headers.put("X-Hub-Signature", "sha1=" + HexFormat.of().formatHex(Hmac.sha1(hook.secret, body)));
                    headers.put("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(Hmac.sha256(hook.secret, body)));
                }
                return headers;
            }
        });
        Map<String, Object> ping = new LinkedHashMap<>();
        ping.put("zen", "Keep it logically awesome.");
        ping.put("hook_id", hook.id);
        ping.put("hook", GitHubJson.hook(hook.apiBase, repo, hook));
        ping.put("repository", GitHubJson.repo(hook.apiBase, repo));
        ping.put("sender", GitHubJson.user(hook.apiBase, GitHubOrg.TOKEN_USER));
        hook.queue.enqueue(new GitHubOrg.Event("ping", ping));
    }

    /** Delivery counters of a hook, for setup. */
    Map<String, Object> deliveries(GitHubOrg.Hook hook) {
        Map<String, Object> state = new LinkedHashMap<>();
        WebhookSender.Queue<GitHubOrg.Event> queue = hook.queue;
        if (queue == null) {
            state.put("delivered", 0);
            return state;
        }
        WebhookSender.Status<GitHubOrg.Event> status = queue.status();
        state.put("delivered", status.delivered());
        state.put("dropped", status.dropped());
        state.put("requests", status.requests());
        state.put("failedRequests", status.failedRequests());
        state.put("lastStatusCode", status.lastStatusCode());
        state.put("lastError", status.lastError());
        state.put("pending", status.pending().size());
        return state;
    }

    int shutdown() {
        return sender.shutdown();
    }

    // ------------------------------------------------------------------ events

    private void changed(GitHubOrg org, GitHubOrg.Repo repo, String event, String action, GitHubOrg.Issue issue,
                         GitHubOrg.Comment comment) {
        for (GitHubOrg.Hook hook : org.hooks(repo)) {
            WebhookSender.Queue<GitHubOrg.Event> queue = hook.queue;
            if (queue == null || !hook.hears(event)) {
                continue;
            }
            String base = hook.apiBase;
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("action", action);
            if (issue != null) {
                payload.put(event.equals("pull_request") ? "pull_request" : "issue",
                        event.equals("pull_request") ? GitHubJson.pull(base, repo, issue) : GitHubJson.issue(base, repo, issue));
                if (event.equals("pull_request")) {
                    payload.put("number", issue.number);
                }
            }
            if (comment != null) {
                payload.put("comment", GitHubJson.comment(base, repo, comment));
            }
            payload.put("repository", GitHubJson.repo(base, repo));
            payload.put("organization", Map.of("login", GitHubOrg.LOGIN, "id", 9_000_001L));
            payload.put("sender", GitHubJson.user(base, GitHubOrg.TOKEN_USER));
            queue.enqueue(new GitHubOrg.Event(event, payload));
        }
    }

    // ------------------------------------------------------------------ seeding

    /**
     * A new org seeded from the population: repositories whose issues and pull requests (every fourth) are about the
     * provider's companies and their people, with comments by the org's developers naming them.
     */
    private GitHubOrg create(String name) {
        return create(name, new Sizes(properties.repositories(), properties.issuesPerRepository(), properties.commentsPerIssue()));
    }

    private GitHubOrg create(String name, Sizes sizes) {
        GitHubOrg org = new GitHubOrg(name, properties, clock, this::changed);
        Instant start = org.now().minus(Duration.ofDays(30));
        int perRepo = sizes.issuesPerRepository();
        long total = Math.max(1L, (long) perRepo * sizes.repositories());
        // seven minutes apart, closer when there are many, all within the last 29 days
        Duration step = Duration.ofSeconds(Math.max(1L, Math.min(420L, Duration.ofDays(29).toSeconds() / total)));
        int k = 0;
        for (int r = 0; r < sizes.repositories(); r++) {
            String repoName = r < REPOSITORIES.size() ? REPOSITORIES.get(r) : "project-" + (r + 1);
            GitHubOrg.Repo repo = org.addRepo(repoName, start.minus(Duration.ofDays(365)));
            for (int n = 0; n < perRepo; n++, k++) {
                Population.Account account = population.account("github", k);
                Population.Person person = account.people().get(k % account.people().size());
                String company = account.company().name();
                String who = person.firstName() + " " + person.lastName();
                boolean pull = n % 4 == 3;
                String topic = TOPICS.get(k % TOPICS.size());
                String title = pull ? "Fix: " + topic.toLowerCase(java.util.Locale.ROOT) + " " + company : topic + " " + company;
                String body = (pull ? "Fixes the problem " : "") + who + " (" + person.email() + ", " + nullToEmpty(person.title())
                        + ") at " + company + " reported it on a call. Deal: " + account.deal().name() + ".";
                Instant at = start.plus(step.multipliedBy(k));
                List<String> labels = new ArrayList<>();
                labels.add(LABELS.get(k % LABELS.size()));
                if (k % 3 == 0) {
                    labels.add("customer");
                }
                GitHubOrg.Issue issue = org.seedIssue(repo, pull, DEVELOPERS.get(k % DEVELOPERS.size()), at, title,
                        body, labels.stream().distinct().toList(), k % 5 == 4);
                for (int c = 0; c < sizes.commentsPerIssue(); c++) {
                    Population.Person other = account.people().get((k + c + 1) % account.people().size());
                    org.seedComment(repo, issue, DEVELOPERS.get((k + c + 1) % DEVELOPERS.size()), at.plus(step.dividedBy(sizes.commentsPerIssue() + 1L).multipliedBy(c + 1L)),
                            c % 2 == 0 ? "Spoke with " + other.firstName() + " " + other.lastName() + " from " + company
                                    + ": they can reproduce it." : "Confirmed with " + who + "; " + company + " is waiting for the fix.");
                }
            }
        }
        return org;
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }
}
