package sandbox.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.slack.api.model.Message;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import hub.EmbeddedHubTest;
import hub.HubClient;

/**
 * camel-slack for real against the Slack sandbox: its producer posts through {@code chat.postMessage} (a channel named with
 * {@code #}), its consumer polls {@code conversations.list} for the channel and {@code conversations.history} for the
 * newest message, both at the sandbox's {@code serverUrl} (camel-slack calls {@code <serverUrl>/api/<method>}).
 */
class SlackCamelComponentTest extends EmbeddedHubTest {

    @Autowired
    ProducerTemplate producer;

    @Autowired
    ConsumerTemplate consumer;

    @Test
    void theProducerPostsAndTheConsumerPollsTheChannelsHistory() {
        HubClient hub = hub();
        String token = "xoxb-sandbox-camel-" + UUID.randomUUID().toString().substring(0, 8);
        String base = hub.baseUrl() + "/sandbox/slack";
        JsonNode workspace = hub.ok("GET", base + "/setup/workspace", token, null);
        String channel = workspace.at("/channels/0/name").asText();
        String channelId = workspace.at("/channels/0/id").asText();
        String text = "Posted by camel-slack " + UUID.randomUUID();

        producer.sendBody("slack:#" + channel + "?token=" + token + "&serverUrl=" + base, text);

        JsonNode messages = hub.ok("GET", base + "/setup/messages?channel=" + channelId, token, null).get("messages");
        JsonNode last = messages.get(messages.size() - 1);
        assertThat(last.get("text").asText()).isEqualTo(text);
        assertThat(last.get("user").asText()).isEqualTo(workspace.get("botUserId").asText());

        // the consumer's first poll takes the newest message of the channel: the one just posted
        Object body = consumer.receiveBody("slack:" + channel + "?token=" + token + "&serverUrl=" + base + "&delay=200&maxResults=5",
                30_000);
        assertThat(body).isInstanceOf(Message.class);
        assertThat(((Message) body).getText()).isEqualTo(text);
        assertThat(((Message) body).getTs()).isEqualTo(last.get("ts").asText());
    }
}
