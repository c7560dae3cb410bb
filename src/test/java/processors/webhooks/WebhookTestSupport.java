package processors.webhooks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import hub.EmbeddedHubTest;
import hub.HubClient;
import security.SandboxTrust;
import providers.webhooks.StandardWebhooks;

/** Signed deliveries as providers send them, over real HTTP. */
final class WebhookTestSupport {

    /**
     * Made on first use, once the hub is up: it trusts the hub's sandbox TLS certificate as the Microsoft adapters do,
     * since Graph registrations are given the https receiver URL on the sandbox TLS port.
     */
    private static final class Http {
        static final HttpClient CLIENT = new SandboxTrust(true, EmbeddedHubTest.dataDir().resolve("sandbox-tls").toString())
                .httpClient().connectTimeout(Duration.ofSeconds(5)).build();
    }

    record Reply(int status, String body, java.net.http.HttpHeaders headers) {

        Reply(int status, String body) {
            this(status, body, java.net.http.HttpHeaders.of(Map.of(), (name, value) -> true));
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        JsonNode json() {
            try {
                return HubClient.JSON.readTree(body);
            } catch (Exception e) {
                throw new IllegalStateException(body, e);
            }
        }
    }

    private WebhookTestSupport() {
    }

    static Reply post(String url, String contentType, byte[] body, Map<String, String> headers) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            headers.forEach(request::header);
            HttpResponse<String> response = Http.CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), response.headers());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Standard Webhooks delivery of {@code type} about the record {@code id}, signed with {@code secret}. */
    static Reply standard(String url, String secret, String type, String recordId) {
        return standard(url, secret, "msg_" + UUID.randomUUID(), System.currentTimeMillis() / 1000, type, recordId);
    }

    static Reply standard(String url, String secret, String webhookId, long timestamp, String type, String recordId) {
        byte[] body = ("{\"type\":\"" + type + "\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"data\":{\"id\":\"" + recordId + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        return post(url, "application/json", body, Map.of(
                "webhook-id", webhookId,
                "webhook-timestamp", Long.toString(timestamp),
                "webhook-signature", StandardWebhooks.sign(secret, webhookId, timestamp, body)));
    }
}
