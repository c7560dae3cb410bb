package sandbox.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

/**
 * Graph's change-notification subscriptions in the sandbox, against an https listener: the validation handshake before
 * the 201, notifications with the clientState, renewal within the resource's lifetime (short here), lifecycle events
 * sent by setup and before expiry, and an expired subscription gone.
 */
class GraphSubscriptionsTest extends GraphSandboxTestBase {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private String teamId;
    private String channelId;
    private String resource;

    @Override
    GraphSandboxProperties properties() {
        // lifetimes of 10 and 30 minutes, reauthorizationRequired 2 minutes before expiry
        return GraphSandboxProperties.defaults().withSubscriptions(Duration.ofMinutes(10), Duration.ofMinutes(30),
                Duration.ofMinutes(2), List.of());
    }

    @BeforeEach
    void team() throws Exception {
        JsonNode team = graph.setup(HttpMethod.POST, "/teams", token, Map.of("displayName", "Subscribed", "messages", 2), 201);
        teamId = team.get("id").asText();
        channelId = team.get("channels").get(0).get("id").asText();
        resource = "/teams/" + teamId + "/channels/" + channelId + "/messages";
    }

    private JsonNode subscribe(String lifecycle, Duration lifetime) throws Exception {
        return graph.expect(201, HttpMethod.POST, GraphSandboxFixture.API + "/subscriptions", token,
                GraphSandboxFixture.subscriptionRequest(resource, graph.url("/notify?tenant=t1"), lifecycle,
                        graph.clock.instant().plus(lifetime), "created,updated,deleted"));
    }

    @Test
    void creationValidatesTheEndpointFirstAndChangesAreNotifiedWithTheClientState() throws Exception {
        JsonNode created = subscribe(graph.url("/lifecycle"), Duration.ofMinutes(5));
        // the handshake reached both URLs before the 201, with the token decoded, and kept the URL's own query
        assertThat(graph.received).filteredOn(r -> r.validationToken() != null).extracting(GraphSandboxFixture.Received::path)
                .containsExactly("/notify", "/lifecycle");
        assertThat(graph.received.get(0).validationToken()).startsWith("Validation: ");
        assertThat(created.get("id").asText()).matches("[0-9a-f-]{36}");
        assertThat(created.get("clientState").asText()).isEqualTo("secretClientValue");
        assertThat(created.get("expirationDateTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{7}Z");
        assertThat(created.get("latestSupportedTlsVersion").asText()).isEqualTo("v1_2");

        String messages = "/teams/" + teamId + "/channels/" + channelId + "/messages";
        String id = graph.setup(HttpMethod.POST, messages, token, Map.of("content", "Hello"), 201).get("id").asText();
        graph.setup(HttpMethod.PATCH, messages + "/" + id, token, Map.of("content", "Hello again"), 200);
        String reply = graph.setup(HttpMethod.POST, messages, token, Map.of("content", "Re", "replyToId", id), 201).get("id").asText();
        graph.setup(HttpMethod.DELETE, messages + "/" + id, token, null, 200);
        Awaitility.await().atMost(WAIT).until(() -> graph.notifications("/notify").size() == 4);
        List<JsonNode> notes = graph.notifications("/notify");
        assertThat(notes).extracting(n -> n.get("changeType").asText()).containsExactly("created", "updated", "created", "deleted");
        assertThat(notes).allSatisfy(n -> {
            assertThat(n.get("clientState").asText()).isEqualTo("secretClientValue");
            assertThat(n.get("subscriptionId").asText()).isEqualTo(created.get("id").asText());
        });
        assertThat(notes.get(0).get("resource").asText()).isEqualTo("teams('" + teamId + "')/channels('" + channelId
                + "')/messages('" + id + "')");
        assertThat(notes.get(0).at("/resourceData/id").asText()).isEqualTo(id);
        assertThat(notes.get(2).get("resource").asText()).endsWith("/messages('" + id + "')/replies('" + reply + "')");
        // other channels' changes do not go to it
        String general = graph.get(GraphSandboxFixture.API + "/teams", token).get("value").get(0).get("id").asText();
        String generalChannel = graph.get(GraphSandboxFixture.API + "/teams/" + general + "/channels", token).get("value").get(0)
                .get("id").asText();
        graph.setup(HttpMethod.POST, "/teams/" + general + "/channels/" + generalChannel + "/messages", token,
                Map.of("content", "Elsewhere"), 201);
        graph.setup(HttpMethod.POST, messages, token, Map.of("content", "Last"), 201);
        Awaitility.await().atMost(WAIT).until(() -> graph.notifications("/notify").size() == 5);
        // the sender counts a delivery once the receiver's answer is in, a moment after the listener saw it
        Awaitility.await().atMost(WAIT).until(() -> graph.setup(HttpMethod.GET, "/subscriptions/" + created.get("id").asText()
                + "/deliveries", token, null, 200).at("/notifications/delivered").asLong() == 5);
    }

    @Test
    void badRequestsAndFailedHandshakesAreRefused() throws Exception {
        Instant soon = graph.clock.instant().plus(Duration.ofMinutes(5));
        String subscriptions = GraphSandboxFixture.API + "/subscriptions";
        JsonNode plain = graph.expect(400, HttpMethod.POST, subscriptions, token, GraphSandboxFixture.subscriptionRequest(resource,
                "http://127.0.0.1:" + graph.listener.getAddress().getPort() + "/notify", null, soon, "created"));
        assertThat(plain.at("/error/message").asText()).contains("https");
        JsonNode elsewhere = graph.expect(400, HttpMethod.POST, subscriptions, token, GraphSandboxFixture.subscriptionRequest(resource,
                "https://203.0.113.9/notify", null, soon, "created"));
        assertThat(elsewhere.at("/error/message").asText()).contains("notificationUrl");
        JsonNode tooLong = graph.expect(400, HttpMethod.POST, subscriptions, token, GraphSandboxFixture.subscriptionRequest(resource,
                graph.url("/notify"), graph.url("/lifecycle"), graph.clock.instant().plus(Duration.ofMinutes(11)), "created"));
        assertThat(tooLong.at("/error/message").asText()).isEqualTo("Subscription expiration can only be 10 minutes in the future.");
        JsonNode badType = graph.expect(400, HttpMethod.POST, subscriptions, token, GraphSandboxFixture.subscriptionRequest(resource,
                graph.url("/notify"), null, soon, "created,moved"));
        assertThat(badType.at("/error/message").asText()).contains("moved");
        JsonNode driveCreated = graph.expect(400, HttpMethod.POST, subscriptions, token, GraphSandboxFixture.subscriptionRequest(
                "/drives/" + GraphSeed.driveId("Documents") + "/root", graph.url("/notify"), null, soon, "created"));
        assertThat(driveCreated.at("/error/message").asText()).contains("updated");
        assertThat(graph.received).isEmpty();

        graph.answerHandshakesWrongly = true;
        JsonNode refused = graph.expect(400, HttpMethod.POST, subscriptions, token, GraphSandboxFixture.subscriptionRequest(resource,
                graph.url("/notify"), null, soon, "created"));
        assertThat(refused.at("/error/code").asText()).isEqualTo("InvalidRequest");
        assertThat(refused.at("/error/message").asText()).startsWith("Subscription validation request failed.");
        assertThat(graph.get(subscriptions, token).get("value")).isEmpty();
    }

    @Test
    void renewalLifecycleEventsAndExpiry() throws Exception {
        JsonNode created = subscribe(graph.url("/lifecycle"), Duration.ofMinutes(5));
        String id = created.get("id").asText();
        String one = GraphSandboxFixture.API + "/subscriptions/" + id;

        // renewed within the lifetime; not beyond it
        Instant later = graph.clock.instant().plus(Duration.ofMinutes(9));
        JsonNode renewed = graph.expect(200, HttpMethod.PATCH, one, token, Map.of("expirationDateTime", later.toString()));
        assertThat(Instant.parse(renewed.get("expirationDateTime").asText())).isEqualTo(later);
        graph.expect(400, HttpMethod.PATCH, one, token, Map.of("expirationDateTime",
                graph.clock.instant().plus(Duration.ofMinutes(11)).toString()));

        // setup sends a lifecycle event at once
        graph.setup(HttpMethod.POST, "/subscriptions/" + id + "/lifecycle", token, Map.of("lifecycleEvent", "reauthorizationRequired"), 202);
        Awaitility.await().atMost(WAIT).until(() -> graph.notifications("/lifecycle").size() == 1);
        JsonNode event = graph.notifications("/lifecycle").get(0);
        assertThat(event.get("lifecycleEvent").asText()).isEqualTo("reauthorizationRequired");
        assertThat(event.get("clientState").asText()).isEqualTo("secretClientValue");
        assertThat(event.get("subscriptionId").asText()).isEqualTo(id);

        // the sandbox sends one by itself when the subscription nears its expiry (2 minutes here), once
        graph.clock.advance(Duration.ofMinutes(7).plusSeconds(30));
        graph.setup(HttpMethod.POST, "/subscriptions/sweep", token, null, 200);
        graph.setup(HttpMethod.POST, "/subscriptions/sweep", token, null, 200);
        Awaitility.await().atMost(WAIT).until(() -> graph.notifications("/lifecycle").size() == 2);
        // a renewal starts the count again
        graph.expect(200, HttpMethod.PATCH, one, token, Map.of("expirationDateTime",
                graph.clock.instant().plus(Duration.ofMinutes(3)).toString()));
        graph.clock.advance(Duration.ofMinutes(1).plusSeconds(30));
        graph.setup(HttpMethod.POST, "/subscriptions/sweep", token, null, 200);
        Awaitility.await().atMost(WAIT).until(() -> graph.notifications("/lifecycle").size() == 3);
        assertThat(graph.notifications("/lifecycle")).extracting(n -> n.get("lifecycleEvent").asText())
                .containsOnly("reauthorizationRequired");
        graph.expect(204, HttpMethod.POST, one + "/reauthorize", token, null);

        // expired: gone, and a renewal is 404
        graph.clock.advance(Duration.ofMinutes(2));
        JsonNode gone = graph.expect(404, HttpMethod.PATCH, one, token, Map.of("expirationDateTime",
                graph.clock.instant().plus(Duration.ofMinutes(5)).toString()));
        assertThat(gone.at("/error/code").asText()).isEqualTo("ResourceNotFound");
        assertThat(graph.get(GraphSandboxFixture.API + "/subscriptions", token).get("value")).isEmpty();
    }

    @Test
    void subscriptionRemovedIsSentAndTheSubscriptionGoes() throws Exception {
        String id = subscribe(graph.url("/lifecycle"), Duration.ofMinutes(5)).get("id").asText();
        graph.setup(HttpMethod.POST, "/subscriptions/" + id + "/lifecycle", token, Map.of("lifecycleEvent", "subscriptionRemoved"), 202);
        Awaitility.await().atMost(WAIT).until(() -> graph.notifications("/lifecycle").size() == 1);
        assertThat(graph.notifications("/lifecycle").get(0).get("lifecycleEvent").asText()).isEqualTo("subscriptionRemoved");
        graph.expect(404, HttpMethod.GET, GraphSandboxFixture.API + "/subscriptions/" + id, token, null);
        // without a lifecycle URL there is nothing to send to; a subscription is deleted with 204
        String plain = subscribe(null, Duration.ofMinutes(5)).get("id").asText();
        graph.setup(HttpMethod.POST, "/subscriptions/" + plain + "/lifecycle", token, Map.of("lifecycleEvent", "missed"), 400);
        graph.setup(HttpMethod.POST, "/subscriptions/" + plain + "/lifecycle", token, Map.of("lifecycleEvent", "nope"), 400);
        graph.expect(204, HttpMethod.DELETE, GraphSandboxFixture.API + "/subscriptions/" + plain, token, null);
        graph.expect(404, HttpMethod.DELETE, GraphSandboxFixture.API + "/subscriptions/" + plain, token, null);
    }

    @Test
    void driveChangesAreNotifiedAsUpdatesOfTheRoot() throws Exception {
        String driveId = GraphSeed.driveId("Documents");
        graph.expect(201, HttpMethod.POST, GraphSandboxFixture.API + "/subscriptions", token, GraphSandboxFixture.subscriptionRequest(
                "drives/" + driveId + "/root", graph.url("/drive"), null, graph.clock.instant().plus(Duration.ofMinutes(20)), "updated"));
        graph.setup(HttpMethod.POST, "/drives/" + driveId + "/items", token, Map.of("name", "New.txt", "content", "x"), 201);
        Awaitility.await().atMost(WAIT).until(() -> graph.notifications("/drive").size() == 1);
        JsonNode note = graph.notifications("/drive").get(0);
        assertThat(note.get("changeType").asText()).isEqualTo("updated");
        assertThat(note.get("resource").asText()).isEqualTo("drives/" + driveId + "/root");
    }
}
