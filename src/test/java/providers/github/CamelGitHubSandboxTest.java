package providers.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.github.GitHubConstants;
import org.eclipse.egit.github.core.client.GitHubClient;
import org.eclipse.egit.github.core.service.IssueService;
import org.eclipse.egit.github.core.service.PullRequestService;
import org.eclipse.egit.github.core.service.RepositoryService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import hub.EmbeddedHubTest;
import hub.HubClient;
import sandbox.kit.SandboxPort;

/**
 * camel-github for real against the GitHub sandbox: its egit client only reaches {@code /api/v3/...} at a host's root, so
 * it is pointed at the sandbox port ({@code hub.sandbox.port-routes[/api/v3]}) and bound in the registry under the names
 * the component looks up. The pullRequestComment producer comments on a pull request (POST .../issues/{n}/comments), the
 * closePullRequest producer closes one (GET the pull request, then egit's POST-for-PATCH on it).
 */
class CamelGitHubSandboxTest extends EmbeddedHubTest {

    @Autowired
    CamelContext camel;

    @Autowired
    ProducerTemplate producer;

    @Autowired
    SandboxPort sandboxPort;

    @AfterEach
    void unbind() {
        for (String name : new String[] {GitHubConstants.GITHUB_REPOSITORY_SERVICE, GitHubConstants.GITHUB_PULL_REQUEST_SERVICE,
                GitHubConstants.GITHUB_ISSUE_SERVICE}) {
            camel.getRegistry().unbind(name);
        }
    }

    @Test
    void camelGitHubCommentsOnAndClosesAPullRequestInTheSandbox() {
        String token = "ghp_sandbox_camel-" + UUID.randomUUID().toString().substring(0, 8);
        GitHubClient client = new GitHubClient("127.0.0.1", sandboxPort.localPort(), "http");
        client.setOAuth2Token(token);
        camel.getRegistry().bind(GitHubConstants.GITHUB_REPOSITORY_SERVICE, new RepositoryService(client));
        camel.getRegistry().bind(GitHubConstants.GITHUB_PULL_REQUEST_SERVICE, new PullRequestService(client));
        camel.getRegistry().bind(GitHubConstants.GITHUB_ISSUE_SERVICE, new IssueService(client));
        String options = "?repoOwner=sandbox-org&repoName=customer-success&oauthToken=" + token;

        producer.sendBodyAndHeader("github:pullRequestComment" + options, "Reviewed with Camel", GitHubConstants.GITHUB_PULLREQUEST, 4);
        JsonNode comments = sandbox(token, "/repos/sandbox-org/customer-success/issues/4/comments");
        assertThat(comments.get(comments.size() - 1).get("body").asText()).isEqualTo("Reviewed with Camel");

        producer.sendBodyAndHeader("github:closePullRequest" + options, null, GitHubConstants.GITHUB_PULLREQUEST, 8);
        JsonNode pull = sandbox(token, "/repos/sandbox-org/customer-success/pulls/8");
        assertThat(pull.get("state").asText()).isEqualTo("closed");
        // egit sends the whole pull request back with its edit: the title is kept, not nulled
        assertThat(pull.get("title").asText()).isNotBlank();
    }

    private JsonNode sandbox(String token, String path) {
        HubClient.Response r = hub().call("GET", hub().baseUrl() + "/sandbox/github" + path, token, null);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body();
    }
}
