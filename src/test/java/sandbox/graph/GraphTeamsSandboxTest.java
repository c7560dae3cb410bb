package sandbox.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockHttpServletResponse;

/** Teams in the Graph sandbox: authentication, channels, messages with replies, the channel messages delta, throttling. */
class GraphTeamsSandboxTest extends GraphSandboxTestBase {

    @Test
    void onlyUnexpiredGraphTokensOfTheEntraSandboxGetIn() throws Exception {
        MockHttpServletResponse none = graph.call(HttpMethod.GET, GraphSandboxFixture.API + "/teams", null, null);
        assertThat(none.getStatus()).isEqualTo(401);
        assertThat(GraphSandboxFixture.JSON.readTree(none.getContentAsString()).at("/error/code").asText())
                .isEqualTo("InvalidAuthenticationToken");
        assertThat(none.getHeader("WWW-Authenticate")).startsWith("Bearer");
        String dynamics = graph.token("https://org.crm.dynamics.com/.default");
        assertThat(graph.call(HttpMethod.GET, GraphSandboxFixture.API + "/teams", dynamics, null).getStatus()).isEqualTo(401);

        MockHttpServletResponse teams = graph.call(HttpMethod.GET, GraphSandboxFixture.API + "/teams", token, null);
        assertThat(teams.getStatus()).isEqualTo(200);
        assertThat(teams.getContentType()).startsWith("application/json;odata.metadata=minimal");
        assertThat(teams.getHeader("request-id")).isNotBlank();
        JsonNode value = GraphSandboxFixture.JSON.readTree(teams.getContentAsString()).get("value");
        assertThat(value).extracting(t -> t.get("displayName").asText()).containsExactly("Sales", "Customer Success");

        // setup expires the tokens seen so far; a new one works
        graph.setup(HttpMethod.POST, "/access-tokens/expire", token, null, 200);
        MockHttpServletResponse expired = graph.call(HttpMethod.GET, GraphSandboxFixture.API + "/teams", token, null);
        assertThat(expired.getStatus()).isEqualTo(401);
        assertThat(expired.getContentAsString()).contains("Access token has expired");
        graph.clock.advance(Duration.ofSeconds(1));
        assertThat(graph.call(HttpMethod.GET, GraphSandboxFixture.API + "/teams", graph.token(), null).getStatus()).isEqualTo(200);
        // the Entra token's own expiry
        String fresh = graph.token();
        graph.clock.advance(Duration.ofHours(2));
        assertThat(graph.call(HttpMethod.GET, GraphSandboxFixture.API + "/teams", fresh, null).getStatus()).isEqualTo(401);
    }

    @Test
    void channelsMessagesAndRepliesAreAboutTheSharedWorld() throws Exception {
        JsonNode team = graph.get(GraphSandboxFixture.API + "/teams", token).get("value").get(0);
        String teamId = team.get("id").asText();
        JsonNode channels = graph.get(GraphSandboxFixture.API + "/teams/" + teamId + "/channels", token).get("value");
        assertThat(channels).hasSize(2);
        assertThat(channels.get(0).get("displayName").asText()).isEqualTo("General");
        String channelId = channels.get(1).get("id").asText();
        assertThat(channelId).matches("19:[0-9a-f]{32}@thread\\.tacv2");

        String messages = GraphSandboxFixture.API + "/teams/" + teamId + "/channels/" + channelId + "/messages";
        JsonNode first = graph.get(messages + "?$top=5&$expand=replies", token);
        assertThat(first.get("value")).hasSize(5);
        assertThat(first.get("@odata.nextLink").asText()).startsWith("http://localhost" + messages + "?$skiptoken=");
        List<String> ids = new ArrayList<>();
        JsonNode page = first;
        while (true) {
            page.get("value").forEach(m -> ids.add(m.get("id").asText()));
            if (!page.has("@odata.nextLink")) {
                break;
            }
            page = graph.get(page.get("@odata.nextLink").asText(), token);
        }
        assertThat(ids).hasSize(12).doesNotHaveDuplicates();
        JsonNode root = first.get("value").get(0);
        assertThat(root.at("/from/user/displayName").asText()).isNotBlank();
        assertThat(root.at("/body/contentType").asText()).isEqualTo("text");
        assertThat(root.at("/channelIdentity/teamId").asText()).isEqualTo(teamId);
        assertThat(root.get("replyToId").isNull()).isTrue();

        // a thread with a reply: the replies endpoint and the reply itself
        JsonNode withReply = null;
        for (JsonNode m : first.get("value")) {
            if (m.get("replies").size() > 0) {
                withReply = m;
            }
        }
        assertThat(withReply).isNotNull();
        String rootId = withReply.get("id").asText();
        JsonNode replies = graph.get(messages + "/" + rootId + "/replies", token).get("value");
        assertThat(replies).hasSize(1);
        assertThat(replies.get(0).get("replyToId").asText()).isEqualTo(rootId);
        assertThat(replies.get(0).at("/body/content").asText()).contains("@");
        graph.get(messages + "/" + rootId + "/replies/" + replies.get(0).get("id").asText(), token);
        assertThat(graph.call(HttpMethod.GET, messages + "/" + replies.get(0).get("id").asText(), token, null).getStatus())
                .isEqualTo(404);
        JsonNode missing = graph.expect(404, HttpMethod.GET, GraphSandboxFixture.API + "/teams/no-such-team/channels", token, null);
        assertThat(missing.at("/error/code").asText()).isEqualTo("itemNotFound");
        assertThat(missing.at("/error/innerError/request-id").asText()).isNotBlank();
    }

    @Test
    void theChannelDeltaPagesToItsDeltaLinkAndThenReturnsOnlyWhatChanged() throws Exception {
        JsonNode team = graph.setup(HttpMethod.POST, "/teams", token, Map.of("displayName", "Delta team", "channels", 1,
                "messages", 25), 201);
        String teamId = team.get("id").asText();
        String channelId = team.get("channels").get(0).get("id").asText();
        String delta = GraphSandboxFixture.API + "/teams/" + teamId + "/channels/" + channelId + "/messages/delta";

        Round initial = round(delta + "?$top=10&$expand=replies");
        assertThat(initial.pages()).isEqualTo(3);
        assertThat(initial.items()).hasSize(25);
        assertThat(initial.items()).filteredOn(m -> m.get("replies").size() == 1).hasSize(13);
        assertThat(initial.deltaLink()).contains("$deltatoken=");
        assertThat(round(initial.deltaLink()).items()).isEmpty();

        // a new message, an edit, a reply to a third and a deletion
        String setupMessages = "/teams/" + teamId + "/channels/" + channelId + "/messages";
        String posted = graph.setup(HttpMethod.POST, setupMessages, token, Map.of("content", "New message"), 201).get("id").asText();
        String edited = initial.items().get(3).get("id").asText();
        graph.setup(HttpMethod.PATCH, setupMessages + "/" + edited, token, Map.of("content", "Edited text"), 200);
        String repliedTo = initial.items().get(5).get("id").asText();
        graph.setup(HttpMethod.POST, setupMessages, token, Map.of("content", "A reply", "replyToId", repliedTo), 201);
        String deleted = initial.items().get(7).get("id").asText();
        graph.setup(HttpMethod.DELETE, setupMessages + "/" + deleted, token, null, 200);

        Round changes = round(initial.deltaLink());
        assertThat(changes.items()).extracting(m -> m.get("id").asText()).containsExactlyInAnyOrder(posted, edited, repliedTo, deleted);
        JsonNode gone = changes.items().stream().filter(m -> m.get("id").asText().equals(deleted)).findFirst().orElseThrow();
        assertThat(gone.get("deletedDateTime").isNull()).isFalse();
        JsonNode edit = changes.items().stream().filter(m -> m.get("id").asText().equals(edited)).findFirst().orElseThrow();
        assertThat(edit.at("/body/content").asText()).isEqualTo("Edited text");
        assertThat(edit.get("lastEditedDateTime").isNull()).isFalse();
        JsonNode thread = changes.items().stream().filter(m -> m.get("id").asText().equals(repliedTo)).findFirst().orElseThrow();
        assertThat(thread.get("replies")).extracting(r -> r.at("/body/content").asText()).contains("A reply");
        assertThat(round(changes.deltaLink()).items()).isEmpty();

        // a token of another channel, or made up, is refused
        String other = graph.get(GraphSandboxFixture.API + "/teams", token).get("value").get(0).get("id").asText();
        String otherChannel = graph.get(GraphSandboxFixture.API + "/teams/" + other + "/channels", token).get("value").get(0).get("id").asText();
        String foreign = GraphSandboxFixture.API + "/teams/" + other + "/channels/" + otherChannel + "/messages/delta?"
                + initial.deltaLink().substring(initial.deltaLink().indexOf("$deltatoken="));
        assertThat(graph.expect(400, HttpMethod.GET, foreign, token, null).at("/error/code").asText()).isEqualTo("syncStateNotFound");
        assertThat(graph.expect(400, HttpMethod.GET, delta + "?$top=51", token, null).at("/error/message").asText()).contains("$top");
        // the first round can start from a time
        Round recent = round(delta + "?$filter=lastModifiedDateTime%20gt%20" + graph.clock.instant().minusSeconds(1));
        assertThat(recent.items()).extracting(m -> m.get("id").asText()).containsExactlyInAnyOrder(posted, edited, repliedTo, deleted);
    }

    @Test
    void pastTheLimitGraphAnswers429WithRetryAfter() throws Exception {
        graph.setup(HttpMethod.POST, "/limits", token, Map.of("rateLimit", 2, "windowSeconds", 10), 200);
        graph.get(GraphSandboxFixture.API + "/teams", token);
        graph.get(GraphSandboxFixture.API + "/teams", token);
        MockHttpServletResponse throttled = graph.call(HttpMethod.GET, GraphSandboxFixture.API + "/teams", token, null);
        assertThat(throttled.getStatus()).isEqualTo(429);
        assertThat(Long.parseLong(throttled.getHeader("Retry-After"))).isBetween(1L, 10L);
        JsonNode error = GraphSandboxFixture.JSON.readTree(throttled.getContentAsString()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("TooManyRequests");
        assertThat(error.at("/innerError/code").asText()).isEqualTo("429");
        // latency: each admitted call waits it out
        assertThat(graph.setup(HttpMethod.POST, "/latency", token, Map.of("latencyMs", 150), 200).get("latencyMs").asInt())
                .isEqualTo(150);
        graph.clock.advance(Duration.ofSeconds(11));
        long started = System.nanoTime();
        graph.get(GraphSandboxFixture.API + "/teams", token);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        graph.setup(HttpMethod.POST, "/latency", token, Map.of("latencyMs", 0), 200);
        // setup is not counted, and the window passes
        assertThat(graph.setup(HttpMethod.GET, "/limits", token, null, 200).get("violations").asLong()).isEqualTo(1);
        graph.clock.advance(Duration.ofSeconds(11));
        graph.get(GraphSandboxFixture.API + "/teams", token);
    }
}
