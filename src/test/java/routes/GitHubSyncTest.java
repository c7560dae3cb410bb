package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.PacedByProviderLimits;

/**
 * GitHub end to end over HTTP against the hub's GitHub sandbox, as a user drives it: connect an org with a personal access
 * token, select repositories, sync issues (with pull requests) and comments into c_note shards, change things "in GitHub",
 * sync again; deletions found by reconciliation, conditional requests answered 304 at no cost, a revoked token, an
 * unknown repository, the primary limit respected, write-back, and pushes from repository hooks.
 */
@PacedByProviderLimits
class GitHubSyncTest extends EmbeddedHubTest implements GitHubSyncScenario {

    static final Duration TIMEOUT = Duration.ofSeconds(120);
    static final String CS = GitHubSandbox.OWNER + "/customer-success";
    static final String INT = GitHubSandbox.OWNER + "/integrations";


    @Test
    void aShardChangeWritesTitleStateAndLabelsBackToTheIssue() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        GitHubSandbox github = new GitHubSandbox(hub, "write");
        String integration = github.connect(key, List.of(CS), 6000);
        hub.ok("PATCH", "/api/tenant/integrations/" + integration, key, Map.of("syncDirection", "bidirectional"));
        SalesforceSyncScenario.assertCounts(hub.runAndWait(key, integration, hub.task(key, integration, "issues", "full"), TIMEOUT),
                "completed", 20, 20, 0, 0, 0);
        JsonNode note = shard(hub, key, GitHubSandbox.shardsByExternalId(hub, key, "c_note").get(CS + "#1"));
        String shardId = note.get("id").asText();
        assertThat(note.at("/structuredData/extras/state").asText()).isEqualTo("open");

        hub.ok("PATCH", "/api/tenant/shards/" + shardId, key, Map.of("structuredData", Map.of("title", "Closed from Castiel",
                "extras", Map.of("state", "closed", "labels", "bug,escalated"))));
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode writes = hub.ok("GET", "/api/tenant/shards/" + shardId + "/writes", key, null).get("items");
            return writes.size() > 0 && writes.get(0).hasNonNull("finishedAt");
        });
        JsonNode writes = hub.ok("GET", "/api/tenant/shards/" + shardId + "/writes", key, null).get("items");
        assertThat(writes.get(0).get("status").asText()).as(writes.toString()).isEqualTo("done");

        JsonNode atGitHub = github.ok("GET", "/repos/" + CS + "/issues/1", null);
        assertThat(atGitHub.get("title").asText()).isEqualTo("Closed from Castiel");
        assertThat(atGitHub.get("state").asText()).isEqualTo("closed");
        assertThat(atGitHub.get("closed_at").isNull()).isFalse();
        List<String> labels = new ArrayList<>();
        atGitHub.get("labels").forEach(l -> labels.add(l.get("name").asText()));
        assertThat(labels).containsExactly("bug", "escalated");
        // the body was not part of the change and stays
        assertThat(atGitHub.get("body").asText()).isEqualTo(note.at("/structuredData/body").asText());
    }

    @Test
    void aRevokedTokenFailsTheSyncAsAuthFailed() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        GitHubSandbox github = new GitHubSandbox(hub, "revoked");
        String integration = github.connect(key, List.of(CS), 6000);
        github.ok("POST", "/setup/tokens/revoke", null);
        assertThat(github.call("GET", "/user", null).status()).isEqualTo(401);

        JsonNode run = hub.runAndWait(key, integration, hub.task(key, integration, "issues", "full"), TIMEOUT);
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("failed");
        assertThat(run.get("error").asText()).contains("Bad credentials").doesNotContain(github.token());
        assertThat(hub.ok("GET", "/api/tenant/integrations/" + integration, key, null).get("status").asText()).isEqualTo("auth_failed");
    }

    @Test
    void anUnknownRepositoryIsRefusedAtSaveAndFailsAnExecutionNamingIt() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        GitHubSandbox github = new GitHubSandbox(hub, "unknown");
        String integration = github.connect(key, List.of(CS), 6000);
        HubClient.Response refused = hub.call("PATCH", "/api/tenant/integrations/" + integration, key,
                Map.of("sources", Map.of("issues", List.of(CS, GitHubSandbox.OWNER + "/no-such-repo"))));
        assertThat(refused.status()).as(refused.raw()).isEqualTo(400);
        assertThat(refused.body().get("field").asText()).isEqualTo("sources.issues");
        assertThat(refused.raw()).contains("unknown repository 'sandbox-org/no-such-repo'");
        HubClient.Response malformed = hub.call("PATCH", "/api/tenant/integrations/" + integration, key,
                Map.of("sources", Map.of("issues", List.of("just-a-name"))));
        assertThat(malformed.status()).as(malformed.raw()).isEqualTo(400);

        // selected before the integration was connected, so not checked then: the execution says which one
        String unchecked = hub.ok("POST", "/api/tenant/integrations", key, Map.of("providerId", "github", "name", "unchecked",
                "sources", Map.of("issues", List.of(GitHubSandbox.OWNER + "/gone-repo")))).get("id").asText();
        JsonNode connected = hub.ok("POST", "/api/tenant/integrations/" + unchecked + "/connect/api-key", key,
                Map.of("type", "personal_access_token", "credentials", Map.of("accessToken", github.token(), "baseUrl", github.baseUrl())));
        assertThat(connected.get("ok").asBoolean()).isTrue();
        JsonNode run = hub.runAndWait(key, unchecked, hub.task(key, unchecked, "issues", "full"), TIMEOUT);
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("failed");
        assertThat(run.get("error").asText()).contains("sandbox-org/gone-repo").contains("sources.issues");
    }

    @Test
    void theHubKeepsUnderGitHubsLimitWithNoViolation() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        GitHubSandbox github = new GitHubSandbox(hub, "limit");
        github.reset(2, 250, 0);
        String integration = github.connect(key, List.of(CS, INT), null);
        hub.ok("PUT", "/api/tenant/integrations/" + integration + "/rate-limits", key,
                Map.of("integration", Map.of("requests", 3, "windowSeconds", 5)));
        // GitHub's 5,000 an hour scaled down: 4 calls per 5 s at the sandbox, the hub told 3 per 5 s; the connection's own
        // calls (its test, the repositories' check) leave the window first
        github.limits(Map.of("rateLimit", 4, "windowSeconds", 5));
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                .until(() -> github.limits().get("used").asInt() == 0);

        JsonNode run = hub.runAndWait(key, integration, hub.task(key, integration, "issues", "full"), TIMEOUT);
        SalesforceSyncScenario.assertCounts(run, "completed", 500, 500, 0, 0, 0);
        JsonNode limits = github.limits();
        assertThat(limits.get("violations").asInt()).as(limits.toString()).isZero();
    }

    @Test
    void aPrimaryLimitAnswerWaitsForTheResetAndASecondaryOneForItsRetryAfter() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        GitHubSandbox github = new GitHubSandbox(hub, "secondary");
        String integration = github.connect(key, List.of(CS), 6000);
        github.ok("POST", "/setup/secondary-limit", Map.of("refusals", 1, "retryAfterSeconds", 1));
        HubClient.Response secondary = github.call("GET", "/user", null);
        assertThat(secondary.status()).isEqualTo(403);
        assertThat(secondary.body().get("message").asText()).contains("secondary rate limit");
        github.ok("POST", "/setup/secondary-limit", Map.of("refusals", 1, "retryAfterSeconds", 1));

        JsonNode run = hub.runAndWait(key, integration, hub.task(key, integration, "issues", "full"), TIMEOUT);
        SalesforceSyncScenario.assertCounts(run, "completed", 20, 20, 0, 0, 0);
    }

    @Test
    void repositoryHooksPushChangesIntoShards() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        GitHubSandbox github = new GitHubSandbox(hub, "push");
        String integration = github.connect(key, List.of(CS, INT), 6000);
        SalesforceSyncScenario.assertCounts(hub.runAndWait(key, integration, hub.task(key, integration, "issues", "full"), TIMEOUT),
                "completed", 40, 40, 0, 0, 0);
        SalesforceSyncScenario.assertCounts(hub.runAndWait(key, integration, hub.task(key, integration, "issue_comments", "full"), TIMEOUT),
                "completed", 80, 80, 0, 0, 0);

        // the hub registers a hook on each selected repository, with a secret of its own
        JsonNode registration = hub.ok("POST", "/api/tenant/integrations/" + integration + "/webhooks", key,
                Map.of("scheme", "github", "events", List.of("note.*")));
        assertThat(registration.toString()).contains("registered");
        JsonNode hooks = github.ok("GET", "/setup/hooks", null);
        assertThat(hooks).hasSize(2);
        assertThat(hooks.get(0).get("url").asText()).isEqualTo(registration.get("url").asText());
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() ->
                github.ok("GET", "/setup/hooks", null).get(0).at("/deliveries/delivered").asInt() >= 1);

        // an issue retitled and a comment deleted in GitHub reach their shards without a sync being asked for
        github.ok("PATCH", "/repos/" + INT + "/issues/5", Map.of("title", "Pushed from GitHub"));
        JsonNode comment = github.comments("customer-success").get(3);
        assertThat(github.call("DELETE", "/repos/" + CS + "/issues/comments/" + comment.get("id").asText(), null).status()).isEqualTo(204);
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
            Map<String, JsonNode> notes = GitHubSandbox.shardsByExternalId(hub, key, "c_note");
            return notes.get(INT + "#5").at("/structuredData/title").asText().equals("Pushed from GitHub")
                    && notes.get(CS + "/comments/" + comment.get("id").asText()).get("deleted").asBoolean();
        });
        String deliveries = "/api/webhooks/deliveries?registrationId=" + registration.get("id").asText();
        JsonNode items = hub.ok("GET", deliveries, key, null).get("items");
        assertThat(items).allSatisfy(d -> assertThat(d.get("verification").asText()).isEqualTo("verified"));
        JsonNode sandboxHooks = github.ok("GET", "/setup/hooks", null);
        assertThat(sandboxHooks).allSatisfy(h -> assertThat(h.at("/deliveries/failedRequests").asInt()).isZero());
    }

    @Test
    void anOAuthAppConnectionSyncs() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        String org = "oauth-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String loginUrl = hub.baseUrl() + "/sandbox/github";
        String integration = hub.ok("POST", "/api/tenant/integrations", key, Map.of("providerId", "github", "name", "gh oauth",
                "sources", Map.of("*", List.of(CS)))).get("id").asText();
        JsonNode start = hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/oauth", key,
                Map.of("clientId", "sandbox-client", "clientSecret", "sandbox-secret", "loginUrl", loginUrl, "scope", "repo",
                        "loginHint", org));
        String authorizationUrl = start.get("authorizationUrl").asText();
        assertThat(authorizationUrl).startsWith(loginUrl + "/login/oauth/authorize?");
        HubClient.Response callback = hub.call("GET", HubClient.authorizationRedirect(authorizationUrl), null, null);
        assertThat(callback.status()).as(callback.raw()).isEqualTo(200);
        assertThat(callback.body().get("status").asText()).as(callback.raw()).isEqualTo("connected");
        hub.ok("PUT", "/api/tenant/integrations/" + integration + "/rate-limits", key,
                Map.of("integration", Map.of("requests", 6000, "windowSeconds", 60)));

        SalesforceSyncScenario.assertCounts(hub.runAndWait(key, integration, hub.task(key, integration, "issues", "full"), TIMEOUT),
                "completed", 20, 20, 0, 0, 0);
    }

    @Test
    void aBodyPastTheContentLimitIsCutWithItsLengthKept() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        GitHubSandbox github = new GitHubSandbox(hub, "long");
        String integration = github.connect(key, List.of(INT), 6000);
        // the test context's hub.content.max-text-chars is 20,000; GitHub takes bodies up to 65,536 characters
        String body = "Acme escalation log. ".repeat(1500);
        int number = github.ok("POST", "/repos/" + INT + "/issues", Map.of("title", "Long", "body", body)).get("number").asInt();
        SalesforceSyncScenario.assertCounts(hub.runAndWait(key, integration, hub.task(key, integration, "issues", "full"), TIMEOUT),
                "completed", 21, 21, 0, 0, 0);
        JsonNode note = shard(hub, key, GitHubSandbox.shardsByExternalId(hub, key, "c_note").get(INT + "#" + number));
        assertThat(note.at("/structuredData/truncated").asBoolean()).isTrue();
        assertThat(note.at("/structuredData/bodyLength").asInt()).isEqualTo(body.length());
        assertThat(note.at("/structuredData/body").asText().length()).isLessThan(body.length()).isGreaterThan(19_000);
    }

    static JsonNode shard(HubClient hub, String key, JsonNode listed) {
        assertThat(listed).isNotNull();
        return hub.ok("GET", "/api/tenant/shards/" + listed.get("id").asText(), key, null);
    }
}
