package sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The delivery queue without Spring: unreachable and slow listeners, giving up, shutting down. */
class OutboundMessagingTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private OutboundMessaging messaging;
    private SandboxOrg org;
    private HttpServer listener;
    private ExecutorService listenerThreads;
    private final CountDownLatch release = new CountDownLatch(1);

    private void start(Duration batchWindow, Duration giveUpAfter, Duration timeout) {
        SalesforceSandboxProperties properties = new SalesforceSandboxProperties(2, 2000, Duration.ofHours(2), 15000,
                5, 0, batchWindow, Duration.ofMillis(50), Duration.ofMillis(100), giveUpAfter, timeout, null);
        SandboxTokens tokens = new SandboxTokens(properties.tokenTtl(), Clock.systemUTC());
        messaging = new OutboundMessaging(properties, tokens, Clock.systemUTC());
        org = new SandboxOrgs(properties, messaging, Clock.systemUTC()).defaultOrg();
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (messaging != null) {
            messaging.shutdown();
        }
        if (listener != null) {
            listener.stop(0);
            listenerThreads.shutdownNow();
        }
    }

    @Test
    void anUnreachableListenerIsRetriedUntilTheNotificationIsTooOld() throws IOException {
        start(Duration.ZERO, Duration.ofMillis(800), Duration.ofSeconds(2));
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        OutboundMessage message = define("http://127.0.0.1:" + closedPort + "/gone");
        createAccount("Unreachable");

        await().atMost(WAIT).until(() -> status(message).pending().stream().anyMatch(p -> p.attempts() >= 2));
        OutboundMessaging.PendingNotification pending = status(message).pending().get(0);
        assertThat(pending.lastError()).startsWith("connection failed");
        assertThat(pending.lastStatusCode()).isNull();
        assertThat(pending.nextAttemptDate()).isAfter(pending.lastAttemptDate());

        await().atMost(WAIT).until(() -> status(message).dropped() == 1);
        assertThat(status(message).pending()).isEmpty();
        assertThat(status(message).delivered()).isZero();
    }

    @Test
    void aListenerSlowerThanTheTimeoutIsRetried() throws IOException {
        start(Duration.ZERO, Duration.ofHours(1), Duration.ofMillis(300));
        listener = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        listener.createContext("/slow", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                exchange.sendResponseHeaders(500, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        listenerThreads = Executors.newCachedThreadPool();
        listener.setExecutor(listenerThreads);
        listener.start();
        OutboundMessage message = define("http://127.0.0.1:" + listener.getAddress().getPort() + "/slow");
        createAccount("Slow");

        await().atMost(WAIT).until(() -> status(message).pending().stream().anyMatch(p -> p.attempts() >= 1));
        assertThat(status(message).pending().get(0).lastError()).startsWith("timed out");
    }

    @Test
    void deletesDoNotQueueAndShutdownStopsPromptly() {
        start(Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofSeconds(2));
        OutboundMessage message = define("http://127.0.0.1:9/never");
        SandboxRecord account = createAccount("Waiting");
        assertThat(status(message).pending()).hasSize(1);
        org.delete(SObjectSchema.ACCOUNT, account.id());
        assertThat(status(message).pending()).hasSize(1);

        assertTimeoutPreemptively(Duration.ofSeconds(10), messaging::shutdown);
        messaging.shutdown();
        createAccount("After shutdown");
        assertThat(status(message).pending()).hasSize(1);
        assertThat(status(message).messagesSent()).isZero();
    }

    private OutboundMessage define(String endpoint) {
        return messaging.define(org, "Test", SObjectSchema.ACCOUNT, URI.create(endpoint),
                List.of(SObjectSchema.ACCOUNT.require("Id"), SObjectSchema.ACCOUNT.require("Name")), false,
                "http://localhost/sandbox/salesforce", "59.0");
    }

    private SandboxRecord createAccount(String name) {
        return org.create(SObjectSchema.ACCOUNT, Map.of(SObjectSchema.ACCOUNT.require("Name"), name));
    }

    private OutboundMessaging.DeliveryStatus status(OutboundMessage message) {
        return messaging.deliveryStatus(org, message.id()).orElseThrow();
    }
}
