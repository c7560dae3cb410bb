package routes;

import static org.assertj.core.api.Assertions.assertThat;
import static routes.GitHubSyncTest.*;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import hub.EmbeddedHubTest;
import hub.HubClient;

/**
 * The end-to-end sync of {@link GitHubSyncTest} against its sandbox, on each store: H2 there, PostgreSQL in
 * {@link ContentSyncOnPostgresTest}.
 */
interface GitHubSyncScenario {

    HubClient hub();

    @Test
    default void fullThenIncrementalSyncsChangeExactlyWhatChangedInGitHubAndUnchangedPagesCostNothing() {
        HubClient hub = hub();
        String key = hub.newTenantKey(EmbeddedHubTest.ADMIN_KEY);
        GitHubSandbox github = new GitHubSandbox(hub, "sync");
        String integration = github.connect(key, List.of(CS, INT), 6000);

        String issuesTask = hub.task(key, integration, "issues", "full");
        String commentsTask = hub.task(key, integration, "issue_comments", "full");
        SalesforceSyncScenario.assertCounts(hub.runAndWait(key, integration, issuesTask, TIMEOUT), "completed", 40, 40, 0, 0, 0);
        SalesforceSyncScenario.assertCounts(hub.runAndWait(key, integration, commentsTask, TIMEOUT), "completed", 80, 80, 0, 0, 0);
        Map<String, JsonNode> notes = GitHubSandbox.shardsByExternalId(hub, key, "c_note");
        assertThat(notes).hasSize(120);

        // an issue's note: the c_note shape with GitHub's own under extras
        JsonNode first = github.issues("customer-success").get(0);
        JsonNode issueNote = shard(hub, key, notes.get(CS + "#1"));
        assertThat(issueNote.at("/structuredData/title").asText()).isEqualTo(first.get("title").asText());
        assertThat(issueNote.at("/structuredData/title").asText()).isNotBlank();
        assertThat(issueNote.at("/structuredData/body").asText()).isEqualTo(first.get("body").asText()).contains(" at ");
        assertThat(issueNote.at("/structuredData/kind").asText()).isEqualTo("issue");
        assertThat(issueNote.at("/structuredData/author").asText()).isEqualTo(first.at("/user/login").asText());
        assertThat(issueNote.at("/structuredData/container").asText()).isEqualTo(CS);
        assertThat(issueNote.at("/structuredData/url").asText()).isEqualTo(first.get("html_url").asText());
        assertThat(issueNote.at("/structuredData/extras/state").asText()).isEqualTo(first.get("state").asText());
        assertThat(issueNote.at("/structuredData/extras/labels").asText()).isEqualTo(first.at("/labels/0/name").asText()
                + (first.get("labels").size() > 1 ? "," + first.at("/labels/1/name").asText() : ""));
        assertThat(shard(hub, key, notes.get(CS + "#4")).at("/structuredData/kind").asText()).isEqualTo("pull_request");
        // a comment's note is linked to its issue's note
        JsonNode comment = github.comments("customer-success").get(0);
        JsonNode commentNote = shard(hub, key, notes.get(CS + "/comments/" + comment.get("id").asText()));
        assertThat(commentNote.at("/structuredData/kind").asText()).isEqualTo("comment");
        assertThat(commentNote.at("/structuredData/body").asText()).isEqualTo(comment.get("body").asText());
        JsonNode link = commentNote.get("relationships").get(0);
        assertThat(link.get("type").asText()).isEqualTo("comment_on");
        assertThat(link.get("targetShardId").asText()).isEqualTo(issueNote.get("id").asText());

        // nothing changed: the incremental passes read each repository from its newest change only
        String issuesIncremental = hub.task(key, integration, "issues", "incremental");
        JsonNode quiet = hub.runAndWait(key, integration, issuesIncremental, TIMEOUT);
        assertThat(quiet.get("status").asText()).as(quiet.toString()).isEqualTo("completed");
        assertThat(quiet.get("recordsCreated").asLong() + quiet.get("recordsUpdated").asLong() + quiet.get("recordsDeleted").asLong()).isZero();
        assertThat(quiet.get("recordsProcessed").asLong()).isLessThanOrEqualTo(4);
        // ...and once more: every request is conditional on the ETag of its URL, so GitHub answers 304, which costs nothing
        int usedBefore = github.limits().get("used").asInt();
        JsonNode free = hub.runAndWait(key, integration, issuesIncremental, TIMEOUT);
        assertThat(free.get("status").asText()).as(free.toString()).isEqualTo("completed");
        assertThat(github.limits().get("used").asInt()).isEqualTo(usedBefore);

        // change GitHub: retitle an issue, comment on one, delete a comment, and an admin deletes an issue (with its comments)
        github.ok("PATCH", "/repos/" + CS + "/issues/1", Map.of("title", "Retitled in GitHub"));
        String added = github.ok("POST", "/repos/" + CS + "/issues/2/comments", Map.of("body", "Pinged Acme again")).get("id").asText();
        String removed = comment.get("id").asText();
        assertThat(github.call("DELETE", "/repos/" + CS + "/issues/comments/" + removed, null).status()).isEqualTo(204);
        github.ok("POST", "/setup/repos/integrations/issues/3/delete", null);

        JsonNode issues = hub.runAndWait(key, integration, issuesIncremental, TIMEOUT);
        assertThat(issues.get("status").asText()).as(issues.toString()).isEqualTo("completed");
        assertThat(issues.get("recordsCreated").asLong()).isZero();
        // the retitled one, and issue 2 whose new comment bumped its updated_at
        assertThat(issues.get("recordsUpdated").asLong()).isEqualTo(2);
        assertThat(issues.get("recordsDeleted").asLong()).isEqualTo(1);
        JsonNode comments = hub.runAndWait(key, integration, hub.task(key, integration, "issue_comments", "incremental"), TIMEOUT);
        assertThat(comments.get("status").asText()).as(comments.toString()).isEqualTo("completed");
        assertThat(comments.get("recordsCreated").asLong()).isEqualTo(1);
        assertThat(comments.get("recordsDeleted").asLong()).isEqualTo(3);

        notes = GitHubSandbox.shardsByExternalId(hub, key, "c_note");
        assertThat(notes.get(CS + "#1").at("/structuredData/title").asText()).isEqualTo("Retitled in GitHub");
        assertThat(notes.get(INT + "#3").get("deleted").asBoolean()).isTrue();
        assertThat(notes.get(CS + "/comments/" + removed).get("deleted").asBoolean()).isTrue();
        assertThat(shard(hub, key, notes.get(CS + "/comments/" + added)).at("/relationships/0/targetShardId").asText())
                .isEqualTo(notes.get(CS + "#2").get("id").asText());
        assertThat(notes.values().stream().filter(n -> n.get("deleted").asBoolean()).count()).isEqualTo(4);

        // the reconciliation compares GitHub with the hub's store, per selected repository: a repository no longer selected
        // keeps its notes, and a deletion in a selected one is found however long ago the hub last listed it
        hub.ok("PATCH", "/api/tenant/integrations/" + integration, key, Map.of("sources", Map.of("*", List.of(CS))));
        github.ok("POST", "/setup/repos/customer-success/issues/5/delete", null);
        JsonNode narrowed = hub.runAndWait(key, integration, issuesIncremental, TIMEOUT);
        assertThat(narrowed.get("status").asText()).as(narrowed.toString()).isEqualTo("completed");
        assertThat(narrowed.get("recordsDeleted").asLong()).isEqualTo(1);
        notes = GitHubSandbox.shardsByExternalId(hub, key, "c_note");
        assertThat(notes.get(CS + "#5").get("deleted").asBoolean()).isTrue();
        assertThat(notes.entrySet().stream().filter(n -> n.getKey().startsWith(INT + "#") && !n.getKey().equals(INT + "#3"))
                .noneMatch(n -> n.getValue().get("deleted").asBoolean())).isTrue();
        assertThat(github.limits().get("violations").asInt()).isZero();
    }
}
