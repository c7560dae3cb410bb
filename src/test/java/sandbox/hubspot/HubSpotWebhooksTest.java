package sandbox.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static sandbox.hubspot.HubSpotSandboxFixture.BASE;
import static sandbox.hubspot.HubSpotSandboxFixture.OBJECTS;
import static sandbox.hubspot.HubSpotSandboxFixture.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockHttpServletResponse;
import providers.hubspot.HubSpotEventParser;
import providers.hubspot.HubSpotVerifier;
import providers.webhooks.HubEvent;
import providers.webhooks.InboundWebhook;
import providers.webhooks.Verdict;
import providers.webhooks.VerificationContext;

/**
 * Webhooks to a listener on this machine: batched, signed so that the hub's own HubSpot verifier accepts them and its
 * parser reads them, retried with a growing attempt number, dropped after their attempts.
 */
class HubSpotWebhooksTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** One POST the listener got. */
    record Received(String path, Map<String, String> headers, byte[] body) {

        JsonNode events() throws IOException {
            return HubSpotSandboxFixture.JSON.readTree(body);
        }

        InboundWebhook inbound() {
            return InboundWebhook.of("POST", path, null, headers, body);
        }
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile IntUnaryOperator reply = n -> 204;
    private final HttpServer listener;
    private final String listenerBase;
    private final HubSpotSandboxFixture sandbox;
    private final String token = HubSpotSandboxFixture.portalToken("hooks");

    HubSpotWebhooksTest() throws IOException {
        listener = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        listener.createContext("/", this::handle);
        listener.start();
        listenerBase = "http://127.0.0.1:" + listener.getAddress().getPort();
        sandbox = new HubSpotSandboxFixture(HubSpotSandboxProperties.defaults().withCompanies(5).withWebhooks(
                Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofMillis(400), 3,
                List.of("127.0.0.1:" + listener.getAddress().getPort())));
    }

    @AfterEach
    void stop() {
        sandbox.close();
        listener.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.get(0)));
        received.add(new Received(exchange.getRequestURI().getRawPath(), headers, exchange.getRequestBody().readAllBytes()));
        int status = reply.applyAsInt(calls.incrementAndGet());
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    @Test
    void changesGoOutBatchedAndSignedSoTheHubsVerifierAcceptsThem() throws Exception {
        JsonNode app = configure("""
                {"targetUrl": "%s/webhooks/hs", "subscriptions": [{"eventType": "company.creation"},
                 {"eventType": "company.propertyChange", "propertyName": "name"}, {"eventType": "company.deletion"}]}""");
        long creationSubscription = app.at("/subscriptions/0/id").asLong();
        JsonNode created = json(sandbox.post(OBJECTS + "/companies/batch/create", token, "{\"inputs\":["
                + "{\"properties\":{\"name\":\"One\"}},{\"properties\":{\"name\":\"Two\"}},{\"properties\":{\"name\":\"Three\"}}]}"));
        String one = created.at("/results/0/id").asText();
        String two = created.at("/results/1/id").asText();
        sandbox.send(HttpMethod.PATCH, OBJECTS + "/companies/" + one, token,
                "{\"properties\":{\"name\":\"One Renamed\",\"phone\":\"+1 555 0100\"}}");
        sandbox.send(HttpMethod.DELETE, OBJECTS + "/companies/" + two, token, null);
        // contacts have no subscription
        sandbox.post(OBJECTS + "/contacts", token, "{\"properties\":{\"email\":\"x@y.example\"}}");

        await().atMost(WAIT).until(() -> received.stream().mapToInt(r -> count(r)).sum() == 5);
        assertThat(received).as("one delivery, as the events came within the batch window").hasSize(1);
        Received delivery = received.get(0);
        assertThat(delivery.path()).isEqualTo("/webhooks/hs");
        assertThat(delivery.headers().get("Content-type")).isEqualTo("application/json");
        assertThat(delivery.headers().get("X-hubspot-signature-version")).isEqualTo("v1");
        assertThat(Long.parseLong(delivery.headers().get("X-hubspot-request-timestamp")))
                .isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));

        // the hub's verifier, with the app secret and the receiver's public URL, accepts it; its parser reads it
        Verdict verdict = new HubSpotVerifier().verify(delivery.inbound(),
                VerificationContext.of(HubSpotTokens.CLIENT_SECRET, Map.of(), listenerBase + "/webhooks/hs"));
        assertThat(verdict).isInstanceOf(Verdict.Verified.class);
        assertThat(new HubSpotVerifier().verify(delivery.inbound(),
                VerificationContext.of("some-other-secret", Map.of(), listenerBase + "/webhooks/hs")))
                .isInstanceOf(Verdict.Rejected.class);
        List<HubEvent> events = new HubSpotEventParser().parse(delivery.inbound());
        assertThat(events).extracting(HubEvent::type).containsExactly("company.created", "company.created",
                "company.created", "company.updated", "company.deleted");
        assertThat(events.get(3).externalId()).isEqualTo(one);
        assertThat(events.get(4).externalId()).isEqualTo(two);

        JsonNode first = delivery.events().get(0);
        assertThat(first.get("eventId").isNumber()).isTrue();
        assertThat(first.get("objectId").isNumber()).isTrue();
        assertThat(first.get("subscriptionId").asLong()).isEqualTo(creationSubscription);
        assertThat(first.get("portalId").asLong()).isEqualTo(sandbox.portals.find("hooks").portalId());
        assertThat(first.get("appId").asLong()).isEqualTo(HubSpotOAuthController.APP_ID);
        assertThat(first.get("occurredAt").asLong()).isEqualTo(sandbox.clock.millis());
        assertThat(first.get("subscriptionType").asText()).isEqualTo("company.creation");
        assertThat(first.get("changeFlag").asText()).isEqualTo("NEW");
        assertThat(first.get("attemptNumber").asInt()).isZero();
        JsonNode change = delivery.events().get(3);
        assertThat(change.get("propertyName").asText()).isEqualTo("name");
        assertThat(change.get("propertyValue").asText()).isEqualTo("One Renamed");
        assertThat(delivery.events().get(4).get("changeFlag").asText()).isEqualTo("DELETED");

        JsonNode status = json(sandbox.get(BASE + "/setup/webhooks", token));
        assertThat(status.get("deliveredEvents").asInt()).isEqualTo(5);
        assertThat(status.get("requests").asInt()).isEqualTo(1);
        assertThat(status.get("lastStatusCode").asInt()).isEqualTo(204);
    }

    @Test
    void aFailedDeliveryIsRetriedWithTheSameEventsAndACountedAttempt() throws Exception {
        reply = n -> n == 1 ? 503 : 200;
        configure("""
                {"targetUrl": "%s/retry", "subscriptions": [{"eventType": "object.propertyChange", "objectTypeId": "0-3"}]}""");
        String deal = json(sandbox.get(OBJECTS + "/deals?limit=1", token)).at("/results/0/id").asText();
        sandbox.send(HttpMethod.PATCH, OBJECTS + "/deals/" + deal, token, "{\"properties\":{\"amount\":\"1234.50\"}}");

        await().atMost(WAIT).until(() -> received.size() == 2);
        JsonNode firstTry = received.get(0).events().get(0);
        JsonNode secondTry = received.get(1).events().get(0);
        assertThat(secondTry.get("eventId")).isEqualTo(firstTry.get("eventId"));
        assertThat(firstTry.get("attemptNumber").asInt()).isZero();
        assertThat(secondTry.get("attemptNumber").asInt()).isEqualTo(1);
        assertThat(secondTry.get("subscriptionType").asText()).isEqualTo("object.propertyChange");
        assertThat(secondTry.get("objectTypeId").asText()).isEqualTo("0-3");
        assertThat(secondTry.get("propertyValue").asText()).isEqualTo("1234.50");
        for (Received attempt : received) {
            assertThat(new HubSpotVerifier().verify(attempt.inbound(), VerificationContext.of(HubSpotTokens.CLIENT_SECRET,
                    Map.of(), listenerBase + "/retry"))).isInstanceOf(Verdict.Verified.class);
        }
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode status = json(sandbox.get(BASE + "/setup/webhooks", token));
            assertThat(status.get("deliveredEvents").asInt()).isEqualTo(1);
            assertThat(status.get("failedRequests").asInt()).isEqualTo(1);
            assertThat(status.get("pendingEvents").asInt()).isZero();
        });
    }

    @Test
    void eventsAreDroppedAfterTheirAttemptsAndAnOwnSecretSignsThem() throws Exception {
        reply = n -> 500;
        configure("""
                {"targetUrl": "%s/down", "subscriptions": [{"eventType": "contact.deletion"}],
                 "clientSecret": "a-secret-of-my-own-0123456789"}""");
        String contact = json(sandbox.get(OBJECTS + "/contacts?limit=1", token)).at("/results/0/id").asText();
        sandbox.send(HttpMethod.DELETE, OBJECTS + "/contacts/" + contact, token, null);
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode status = json(sandbox.get(BASE + "/setup/webhooks", token));
            assertThat(status.get("droppedEvents").asInt()).isEqualTo(1);
            assertThat(status.get("pendingEvents").asInt()).isZero();
            assertThat(status.get("lastError").asText()).isEqualTo("HTTP 500");
        });
        assertThat(received).hasSize(3);
        assertThat(new HubSpotVerifier().verify(received.get(2).inbound(), VerificationContext.of(
                "a-secret-of-my-own-0123456789", Map.of(), listenerBase + "/down"))).isInstanceOf(Verdict.Verified.class);
    }

    @Test
    void theAppSettingsAreCheckedAndCanBeRemoved() throws Exception {
        assertThat(json(sandbox.get(BASE + "/setup/webhooks", token)).get("subscriptions")).isEmpty();
        List<String> bad = new ArrayList<>(List.of(
                "{\"targetUrl\":\"http://example.com/hook\",\"subscriptions\":[]}",
                "{\"targetUrl\":\"http://127.0.0.1:1/hook\",\"subscriptions\":[]}",
                "{\"targetUrl\":\"ftp://127.0.0.1/hook\",\"subscriptions\":[]}",
                "{\"targetUrl\":\"" + listenerBase + "/x\",\"subscriptions\":[{\"eventType\":\"ticket.creation\"}]}",
                "{\"targetUrl\":\"" + listenerBase + "/x\",\"subscriptions\":[{\"eventType\":\"company.merge\"}]}",
                "{\"targetUrl\":\"" + listenerBase + "/x\",\"subscriptions\":[{\"eventType\":\"company.creation\","
                        + "\"propertyName\":\"name\"}]}",
                "{\"targetUrl\":\"" + listenerBase + "/x\",\"subscriptions\":[{\"eventType\":\"object.creation\"}]}",
                "{\"targetUrl\":\"" + listenerBase + "/x\"}"));
        for (String body : bad) {
            MockHttpServletResponse response = sandbox.send(HttpMethod.PUT, BASE + "/setup/webhooks", token, body);
            assertThat(response.getStatus()).as(body).isEqualTo(400);
            assertThat(json(response).get("category").asText()).isEqualTo("VALIDATION_ERROR");
        }
        configure("""
                {"targetUrl": "%s/gone", "subscriptions": [{"eventType": "deal.creation"}]}""");
        assertThat(sandbox.send(HttpMethod.DELETE, BASE + "/setup/webhooks", token, null).getStatus()).isEqualTo(204);
        sandbox.post(OBJECTS + "/deals", token, "{\"properties\":{\"dealname\":\"D\",\"dealstage\":\"closedwon\","
                + "\"pipeline\":\"default\"}}");
        assertThat(json(sandbox.get(BASE + "/setup/webhooks", token)).get("targetUrl").isNull()).isTrue();
        // other portals' changes never reach this one's app
        configure("""
                {"targetUrl": "%s/mine", "subscriptions": [{"eventType": "deal.creation"}]}""");
        sandbox.post(OBJECTS + "/deals", HubSpotSandboxFixture.portalToken("someone-else"),
                "{\"properties\":{\"dealname\":\"D\",\"dealstage\":\"closedwon\",\"pipeline\":\"default\"}}");
        sandbox.post(OBJECTS + "/deals", token, "{\"properties\":{\"dealname\":\"Mine\",\"dealstage\":\"closedwon\","
                + "\"pipeline\":\"default\"}}");
        await().atMost(WAIT).until(() -> !received.isEmpty());
        assertThat(received).hasSize(1);
        assertThat(received.get(0).path()).isEqualTo("/mine");
        assertThat(received.get(0).events()).hasSize(1);
    }

    private JsonNode configure(String template) throws Exception {
        MockHttpServletResponse response = sandbox.send(HttpMethod.PUT, BASE + "/setup/webhooks", token,
                String.format(template, listenerBase));
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
        return json(response);
    }

    private static int count(Received r) {
        try {
            return r.events().size();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
