package sandbox.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** Batches, signatures, retries with attempt numbers, dropping, acknowledgements and destinations, to a local listener. */
class WebhookSenderTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String SECRET = "kit-secret";

    /** One request the listener got. */
    private record Received(Map<String, String> headers, String body) {
    }

    /** A test dialect: items joined by commas, each with its attempt, signed like GitHub's {@code sha256=}. */
    private static class Lines implements WebhookSender.Format<String> {
        @Override
        public byte[] body(List<WebhookSender.Attempt<String>> batch) {
            return batch.stream().map(a -> a.item() + "#" + a.previousAttempts()).collect(Collectors.joining(","))
                    .getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public Map<String, String> headers(URI url, byte[] body, Instant sentAt) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "text/plain");
            headers.put("X-Signature-256", "sha256=" + HexFormat.of().formatHex(Hmac.sha256(SECRET, body)));
            return headers;
        }
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile IntFunction<Integer> status = n -> 204;
    private volatile String answer = "";
    private final HttpServer listener;
    private final int port;
    private WebhookSender sender;

    WebhookSenderTest() throws IOException {
        listener = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        listener.createContext("/", this::handle);
        listener.start();
        port = listener.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (sender != null) {
            sender.shutdown();
        }
        listener.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
        received.add(new Received(headers, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        byte[] reply = answer.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status.apply(calls.incrementAndGet()), reply.length == 0 ? -1 : reply.length);
        if (reply.length > 0) {
            exchange.getResponseBody().write(reply);
        }
        exchange.close();
    }

    private WebhookSender sender(Duration batchWindow, int maxBatch, int maxPending, int maxAttempts, Duration giveUpAfter,
            List<String> allowedHosts) {
        sender = new WebhookSender("kit-test-webhooks", 1, new WebhookSender.Policy(batchWindow, maxBatch, maxPending,
                Duration.ofMillis(50), Duration.ofMillis(100), maxAttempts, giveUpAfter, Duration.ofSeconds(5),
                allowedHosts, "hub.sandbox.acme.webhook-allowed-hosts"), Clock.systemUTC());
        return sender;
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Test
    void itemsQueuedWithinTheBatchWindowGoOutTogetherSignedAtMostMaxBatchPerRequest() {
        WebhookSender.Queue<String> queue = sender(Duration.ofSeconds(1), 2, 100, 3, null, List.of())
                .open("test", url("/hooks"), new Lines());
        queue.enqueue("a");
        queue.enqueue(List.of("b", "c"));

        await().atMost(WAIT).until(() -> queue.status().delivered() == 3);
        assertThat(received).extracting(Received::body).containsExactly("a#0,b#0", "c#0");
        Received first = received.get(0);
        assertThat(first.headers()).containsEntry("content-type", "text/plain").containsEntry("x-signature-256",
                "sha256=" + HexFormat.of().formatHex(Hmac.sha256(SECRET, first.body().getBytes(StandardCharsets.UTF_8))));
        WebhookSender.Status<String> status = queue.status();
        assertThat(status.requests()).isEqualTo(2);
        assertThat(status.failedRequests()).isZero();
        assertThat(status.lastStatusCode()).isEqualTo(204);
        assertThat(status.pending()).isEmpty();
    }

    @Test
    void aRequestNotAcknowledgedIsRetriedWithTheAttemptCountingUp() {
        status = n -> n <= 2 ? 503 : 200;
        WebhookSender.Queue<String> queue = sender(Duration.ZERO, 100, 100, 5, null, List.of())
                .open("test", url("/flaky"), new Lines());
        queue.enqueue("x");

        await().atMost(WAIT).until(() -> queue.status().delivered() == 1);
        assertThat(received).extracting(Received::body).containsExactly("x#0", "x#1", "x#2");
        WebhookSender.Status<String> status = queue.status();
        assertThat(status.requests()).isEqualTo(3);
        assertThat(status.failedRequests()).isEqualTo(2);
        assertThat(status.lastStatusCode()).isEqualTo(200);
        assertThat(status.lastError()).isNull();
    }

    @Test
    void anItemIsDroppedAfterItsAttemptsAndTheLastFailureIsShownUntilThen() {
        status = n -> 500;
        WebhookSender.Queue<String> queue = sender(Duration.ZERO, 100, 100, 3, null, List.of())
                .open("test", url("/broken"), new Lines());
        queue.enqueue("doomed");

        await().atMost(WAIT).until(() -> queue.status().dropped() == 1);
        assertThat(received).extracting(Received::body).containsExactly("doomed#0", "doomed#1", "doomed#2");
        assertThat(queue.status().pending()).isEmpty();
        assertThat(queue.status().lastError()).isEqualTo("HTTP 500");
        assertThat(queue.status().delivered()).isZero();
    }

    @Test
    void anItemTooOldIsDroppedWhenTheReceiverCannotBeReached() throws IOException {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        WebhookSender.Queue<String> queue = sender(Duration.ZERO, 100, 100, 0, Duration.ofSeconds(2), List.of())
                .open("test", URI.create("http://127.0.0.1:" + closed + "/gone"), new Lines());
        queue.enqueue("lost");

        await().atMost(WAIT).until(() -> queue.status().pending().stream().anyMatch(p -> p.attempts() >= 1));
        WebhookSender.Pending<String> pending = queue.status().pending().get(0);
        assertThat(pending.lastError()).startsWith("connection failed");
        assertThat(pending.lastStatusCode()).isNull();
        assertThat(pending.nextAttemptAt()).isAfter(pending.lastAttemptAt());
        await().atMost(WAIT).until(() -> queue.status().dropped() == 1);
    }

    @Test
    void theDialectDecidesWhatAcknowledgesABatch() {
        answer = "<Ack>false</Ack>";
        status = n -> 200;
        WebhookSender.Queue<String> queue = sender(Duration.ZERO, 100, 100, 0, null, List.of())
                .open("test", url("/soap"), new Lines() {
                    @Override
                    public String refusal(int status, byte[] body) {
                        return new String(body, StandardCharsets.UTF_8).contains("<Ack>true</Ack>") ? null : "Ack false";
                    }
                });
        queue.enqueue("n1");
        await().atMost(WAIT).until(() -> queue.status().failedRequests() >= 1);
        assertThat(queue.status().lastError()).isEqualTo("Ack false");
        assertThat(queue.status().lastStatusCode()).isEqualTo(200);

        answer = "<Ack>true</Ack>";
        await().atMost(WAIT).until(() -> queue.status().delivered() == 1);
    }

    @Test
    void aFullQueueDropsNewItemsAndShutdownLosesWhatIsPending() {
        WebhookSender.Queue<String> queue = sender(Duration.ofMinutes(10), 100, 2, 3, null, List.of())
                .open("test", url("/later"), new Lines());
        queue.enqueue(List.of("1", "2", "3"));
        assertThat(queue.status().dropped()).isEqualTo(1);
        assertThat(queue.pendingCount()).isEqualTo(2);

        assertThat(sender.shutdown()).isEqualTo(2);
        queue.enqueue("after");
        assertThat(queue.pendingCount()).isEqualTo(2);
        assertThat(received).isEmpty();

        WebhookSender.Queue<String> closed = sender(Duration.ofMinutes(10), 100, 10, 3, null, List.of())
                .open("test", url("/closed"), new Lines());
        closed.enqueue("x");
        closed.close();
        closed.enqueue("y");
        assertThat(closed.pendingCount()).isZero();
    }

    @Test
    void destinationsAreTheHubsOwnOriginOrTheListedHostsOnly() {
        WebhookSender own = sender(Duration.ZERO, 100, 100, 3, null, List.of());
        assertThat(own.destination("http://localhost:8080/webhooks/acme", 8080)).hasPort(8080);
        assertThat(own.destination(" http://127.0.0.1:8080/x ", 8080)).hasHost("127.0.0.1");
        assertRefused(own, "http://127.0.0.1:5432/", WebhookDestinations.Problem.NOT_ALLOWED,
                "127.0.0.1:5432 is not one this sandbox may call: the hub's own origin (localhost, 127.0.0.1 or [::1] on"
                        + " port 8080) (hub.sandbox.acme.webhook-allowed-hosts)");
        assertRefused(own, "http://169.254.169.254:8080/latest", WebhookDestinations.Problem.NOT_ALLOWED, null);
        assertRefused(own, "https://example.com/hooks", WebhookDestinations.Problem.NOT_ALLOWED, null);
        assertRefused(own, "http://user:pw@localhost:8080/", WebhookDestinations.Problem.CREDENTIALS,
                "must not carry credentials");
        assertRefused(own, "ftp://localhost:8080/", WebhookDestinations.Problem.NOT_HTTP,
                "must start with http:// or https://: ftp://localhost:8080/");
        assertRefused(own, "/relative", WebhookDestinations.Problem.NOT_HTTP, null);
        assertRefused(own, " ", WebhookDestinations.Problem.MISSING, "required");
        assertRefused(own, "http://exa mple.com/", WebhookDestinations.Problem.MALFORMED, null);
        own.shutdown();

        WebhookSender listed = sender(Duration.ZERO, 100, 100, 3, null, List.of("hooks.example.com", "127.0.0.1:9000"));
        assertThat(listed.destination("https://hooks.example.com/in", 8080)).hasHost("hooks.example.com");
        assertThat(listed.destination("http://127.0.0.1:9000/in", 8080)).hasPort(9000);
        assertRefused(listed, "http://localhost:8080/in", WebhookDestinations.Problem.NOT_ALLOWED,
                "localhost:8080 is not one this sandbox may call: hooks.example.com, 127.0.0.1:9000"
                        + " (hub.sandbox.acme.webhook-allowed-hosts)");
    }

    private static void assertRefused(WebhookSender sender, String url, WebhookDestinations.Problem problem, String message) {
        assertThatThrownBy(() -> sender.destination(url, 8080)).isInstanceOfSatisfying(WebhookDestinations.Refused.class,
                e -> {
                    assertThat(e.problem()).isEqualTo(problem);
                    if (message != null) {
                        assertThat(e.getMessage()).isEqualTo(message);
                    }
                });
    }
}
