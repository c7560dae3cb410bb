package providers.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.InvalidInputException;
import providers.AuthProviderException;
import providers.ConnectionContext;
import providers.PermanentProviderException;
import providers.WebhookSubscription;

/** The adapter against the GitHub sandbox directly: hooks registered, looked up and re-created, sources checked, classification. */
class GitHubAdapterTest extends EmbeddedHubTest {

    @Autowired
    GitHubAdapter adapter;

    private String org;

    private ConnectionContext connection(List<String> repositories) {
        org = "adapter-" + UUID.randomUUID().toString().substring(0, 8);
        return connection("ghp_sandbox_" + org, repositories);
    }

    private ConnectionContext connection(String token, List<String> repositories) {
        return new ConnectionContext("tenant", "integration-" + UUID.randomUUID(), "github",
                Map.of("accessToken", token, "baseUrl", hub().baseUrl() + "/sandbox/github"), Map.of("*", repositories));
    }

    private JsonNode sandbox(String method, String path, Object body) {
        HubClient.Response r = hub().call(method, hub().baseUrl() + "/sandbox/github" + path, "ghp_sandbox_" + org, body);
        assertThat(r.status()).as(r.raw()).isBetween(200, 299);
        return r.body();
    }

    @Test
    void aHookIsRegisteredOnEachRepositoryAndRecreatedWhenGitHubNoLongerHasIt() {
        ConnectionContext connection = connection(List.of("sandbox-org/customer-success", "sandbox-org/website"));
        String callback = hub().baseUrl() + "/webhooks/" + UUID.randomUUID();
        WebhookSubscription registered = adapter.registerWebhook(connection, List.of("note.*"), callback, "s3cr3t-of-sixteen-chars");
        assertThat(registered.providerWebhookId()).matches("sandbox-org/customer-success:\\d+,sandbox-org/website:\\d+");
        assertThat(registered.expiresAt()).isNotNull();
        JsonNode hook = sandbox("GET", "/repos/sandbox-org/website/hooks", null).get(0);
        assertThat(hook.at("/config/url").asText()).isEqualTo(callback);
        assertThat(hook.at("/config/content_type").asText()).isEqualTo("json");
        assertThat(hook.get("events").toString()).contains("issues").contains("issue_comment");

        // registering again replaces the hook to the same URL (its secret cannot be read back)
        WebhookSubscription again = adapter.registerWebhook(connection, List.of("note.*"), callback, "another-secret-sixteen");
        assertThat(sandbox("GET", "/repos/sandbox-org/website/hooks", null)).hasSize(1);

        // someone deletes the website hook in the repository's settings: renewal finds it gone and makes it anew
        String websiteHook = again.providerWebhookId().split(",")[1].split(":")[1];
        String csHook = again.providerWebhookId().split(",")[0];
        sandbox("DELETE", "/repos/sandbox-org/website/hooks/" + websiteHook, null);
        WebhookSubscription renewed = adapter.renewWebhook(connection, again.providerWebhookId(), List.of("note.*"), callback,
                "another-secret-sixteen");
        assertThat(renewed.providerWebhookId()).startsWith(csHook + ",sandbox-org/website:");
        assertThat(renewed.providerWebhookId()).doesNotEndWith(":" + websiteHook);
        assertThat(sandbox("GET", "/repos/sandbox-org/website/hooks", null)).hasSize(1);
        // nothing missing: nothing made
        assertThat(adapter.renewWebhook(connection, renewed.providerWebhookId(), List.of("note.*"), null, null).providerWebhookId())
                .isEqualTo(renewed.providerWebhookId());
    }

    @Test
    void sourcesAreCheckedAgainstGitHubAndTokensClassified() {
        ConnectionContext connection = connection(List.of("sandbox-org/customer-success", "sandbox-org/nope", "other/also-nope"));
        assertThatThrownBy(() -> adapter.checkSources(connection)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("sandbox-org/nope").hasMessageContaining("other/also-nope");
        adapter.checkSources(connection(List.of("sandbox-org/customer-success")));
        assertThat(adapter.testConnection(connection).ok()).isTrue();
        assertThat(adapter.testConnection(connection).account()).contains("sandbox-bot");

        ConnectionContext wrong = connection("ghp_not-a-sandbox-token", List.of("sandbox-org/customer-success"));
        assertThat(adapter.testConnection(wrong).ok()).isFalse();
        assertThat(adapter.testConnection(wrong).message()).contains("Bad credentials").doesNotContain("ghp_not-a-sandbox-token");
        assertThatThrownBy(() -> adapter.fetchRecord(wrong, "issues", "sandbox-org/customer-success#1", null))
                .isInstanceOf(AuthProviderException.class);
        assertThatThrownBy(() -> adapter.deleteRecord(connection, "issues", "sandbox-org/customer-success#1"))
                .isInstanceOf(PermanentProviderException.class).hasMessageContaining("close");
        assertThat(adapter.fetchRecord(connection, "issues", "sandbox-org/customer-success#999", null)).isEmpty();
        assertThat(adapter.fetchRecord(connection, "issues", "sandbox-org/customer-success#1", null).orElseThrow().get("kind"))
                .isEqualTo("issue");
        assertThat(adapter.descriptor().defaultRateLimit()).isEqualTo(5000);
        assertThat(adapter.descriptor().defaultRateWindow()).hasHours(1);
    }

    @Test
    void commentsAreCreatedEditedAndDeletedOnTheirIssue() {
        ConnectionContext connection = connection(List.of("sandbox-org/integrations"));
        String id = adapter.createRecord(connection, "issue_comments", Map.of("issueId", "sandbox-org/integrations#2", "body", "From the hub"));
        assertThat(id).matches("sandbox-org/integrations/comments/\\d+");
        adapter.updateRecord(connection, "issue_comments", id, Map.of("body", "Edited by the hub"), null);
        assertThat(adapter.fetchRecord(connection, "issue_comments", id, null).orElseThrow().get("body")).isEqualTo("Edited by the hub");
        assertThat(adapter.fetchRecord(connection, "issue_comments", id, null).orElseThrow().get("issueId"))
                .isEqualTo("sandbox-org/integrations#2");
        adapter.deleteRecord(connection, "issue_comments", id);
        assertThat(adapter.fetchRecord(connection, "issue_comments", id, null)).isEmpty();
        adapter.deleteRecord(connection, "issue_comments", id);

        String issue = adapter.createRecord(connection, "issues", Map.of("title", "Opened by the hub", "labels", "customer,bug"));
        assertThat(issue).matches("sandbox-org/integrations#21");
        Map<String, Object> read = adapter.fetchRecord(connection, "issues", issue, null).orElseThrow();
        assertThat(read.get("labels")).isEqualTo("customer,bug");
        assertThat(read.get("state")).isEqualTo("open");
    }
}
