package sandbox.teams_workflows;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import hub.EmbeddedHubTest;

/**
 * The Teams Workflows webhook sandbox answers as Power Automate does: 202 with an empty body, the card recorded (and
 * whether Teams could post it); 401 without the signature, 404 for a flow that does not exist, 429 with Retry-After
 * above the flow's requests a second; setup queues answers.
 */
class TeamsWorkflowsSandboxTest extends EmbeddedHubTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String CARD = "{\"type\":\"message\",\"attachments\":[{\"contentType\":\"application/vnd.microsoft.card.adaptive\","
            + "\"contentUrl\":null,\"content\":{\"type\":\"AdaptiveCard\",\"version\":\"1.4\",\"body\":[{\"type\":\"TextBlock\",\"text\":\"hi\"}]}}]}";

    private HttpResponse<String> post(String url, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersAsAWorkflowWebhookAndRecordsTheCards() throws Exception {
        String setup = hub().baseUrl() + "/sandbox/teams-workflows/setup/workflows";
        JsonNode flow = hub().ok("POST", setup, null, Map.of("name", "ops", "perSecond", 2));
        String url = flow.path("url").asText();
        assertThat(url).contains("/workflows/" + flow.path("id").asText() + "/triggers/manual/paths/invoke?api-version=1").contains("&sig=");

        HttpResponse<String> accepted = post(url, CARD);
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(accepted.body()).isEmpty();
        assertThat(accepted.headers().firstValue("x-ms-workflow-run-id")).isPresent();
        HttpResponse<String> noCard = post(url, "{\"text\":\"plain\"}");
        assertThat(noCard.statusCode()).as("the webhook takes it; the run fails").isEqualTo(202);
        HttpResponse<String> throttled = post(url, CARD);
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
        assertThat(post(url.replaceAll("sig=[^&]+", "sig=wrong"), CARD).statusCode()).isEqualTo(401);
        assertThat(post(url.replace(flow.path("id").asText(), "0000"), CARD).statusCode()).isEqualTo(404);

        String runs = setup + "/" + flow.path("id").asText() + "/runs?sig=" + flow.path("sig").asText();
        JsonNode recorded = hub().ok("GET", runs, null, null);
        assertThat(recorded.path("runs").get(0).path("posted").asBoolean()).isTrue();
        assertThat(recorded.path("runs").get(0).path("card").path("body").get(0).path("text").asText()).isEqualTo("hi");
        assertThat(recorded.path("runs").get(1).path("posted").asBoolean()).isFalse();
        assertThat(recorded.path("runs").get(1).path("failure").asText()).contains("no Adaptive Card");
        assertThat(recorded.path("throttled").asInt()).isEqualTo(1);

        hub().ok("POST", setup + "/" + flow.path("id").asText() + "/answers?sig=" + flow.path("sig").asText(), null, Map.of("status", 500, "times", 1));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> post(url, CARD).statusCode() != 429);
        assertThat(hub().ok("GET", runs, null, null).path("runs").findValuesAsText("failure")).contains("answered 500 (queued by setup)");
    }
}
