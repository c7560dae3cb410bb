package processors.notifications;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import jakarta.annotation.PreDestroy;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

import hub.JsonText;
import providers.GuardedHttpEndpoint;
import security.OutboundGuard;
import security.RefusedAddressException;
import store.NotificationChannel;

/**
 * Sends one message to a channel's destination and says what came of it ({@link DeliveryOutcome}):
 * <ul>
 *   <li>Slack with a bot token: {@code chat.postMessage} (Block Kit) through the Slack API client camel-slack ships,
 *       on Slack's API or the channel's {@code apiUrl} (checked by the outbound guard before the call);</li>
 *   <li>a Slack incoming webhook and a Teams Workflows webhook: one JSON POST through the guarded camel-http endpoint
 *       (addresses checked on connection, redirects not followed).</li>
 * </ul>
 * Secrets are read from the channel's vault entry by the caller and appear in no outcome.
 */
@Component
public class Destinations {

    /** Vault fields of a channel's secret. */
    public static final String BOT_TOKEN = "botToken";
    public static final String WEBHOOK_URL = "webhookUrl";
    public static final String API_URL = "apiUrl";

    /** Slack errors that pass with time; any other error refuses the message for good. */
    private static final Set<String> SLACK_TRANSIENT = Set.of("ratelimited", "rate_limited", "internal_error", "fatal_error",
            "service_unavailable", "request_timeout");

    private final ProducerTemplate producer;
    private final ObjectMapper json;
    private final OutboundGuard guard;
    private final NotificationSettings settings;
    private final GuardedHttpEndpoint http;
    private final Map<String, Slack> slackClients = new ConcurrentHashMap<>();

    public Destinations(CamelContext camel, ProducerTemplate producer, ObjectMapper json, OutboundGuard guard, NotificationSettings settings) {
        this.producer = producer;
        this.json = json;
        this.guard = guard;
        this.settings = settings;
        long timeout = settings.requestTimeout().toMillis();
        this.http = new GuardedHttpEndpoint(camel, guard, "notification-http", "https://hooks.slack.com", timeout, Math.min(timeout, 10_000), 32);
    }

    public DeliveryOutcome send(NotificationChannel channel, Map<String, String> secret, MessageModel message) {
        return switch (channel.kind()) {
            case SLACK_BOT -> postMessage(channel.slackChannel(), secret, message);
            case SLACK_WEBHOOK -> post(secret.get(WEBHOOK_URL), BlockKitMessage.render(message));
            case TEAMS_WORKFLOW -> post(secret.get(WEBHOOK_URL), AdaptiveCardMessage.render(message));
        };
    }

    private DeliveryOutcome postMessage(String slackChannel, Map<String, String> secret, MessageModel message) {
        String apiUrl = secret.getOrDefault(API_URL, settings.slackApiUrl());
        try {
            guard.check(apiUrl);
        } catch (RefusedAddressException e) {
            return DeliveryOutcome.refused(0, "apiUrl " + e.getMessage());
        } catch (IOException e) {
            return DeliveryOutcome.retry(0, null, "Slack API not reachable at " + host(apiUrl) + ": " + e.getClass().getSimpleName());
        }
        Map<String, Object> body = BlockKitMessage.render(message);
        String blocks = JsonText.write(json, body.get("blocks"));
        ChatPostMessageResponse answer;
        try {
            answer = slack(apiUrl).methods(secret.get(BOT_TOKEN)).chatPostMessage(r -> r.channel(slackChannel)
                    .text(body.get("text").toString()).blocksAsString(blocks).unfurlLinks(false));
        } catch (SlackApiException e) {
            int status = e.getResponse() == null ? 0 : e.getResponse().code();
            String retryAfter = e.getResponse() == null ? null : e.getResponse().header("Retry-After");
            return DeliveryOutcome.ofStatus(status, retryAfter, "Slack answered HTTP " + status);
        } catch (IOException e) {
            return DeliveryOutcome.retry(0, null, "Slack not reachable at " + host(apiUrl) + ": " + e.getClass().getSimpleName());
        }
        if (answer.isOk()) {
            return DeliveryOutcome.sent(200);
        }
        String error = "Slack chat.postMessage: " + answer.getError();
        return SLACK_TRANSIENT.contains(answer.getError()) ? DeliveryOutcome.retry(200, null, error) : DeliveryOutcome.refused(200, error);
    }

    /** One JSON POST to a webhook URL: 2xx sent, 408/429/5xx again (after its Retry-After), the rest refused. */
    private DeliveryOutcome post(String url, Map<String, Object> body) {
        if (url == null) {
            return DeliveryOutcome.refused(0, "no webhook URL stored");
        }
        GuardedHttpEndpoint.Reply reply = http.request(producer, "POST", url, Map.of(), "application/json", JsonText.write(json, body));
        if (reply.failure() != null) {
            Throwable cause = reply.failure();
            while (cause.getCause() != null && !(cause instanceof RefusedAddressException)) {
                cause = cause.getCause();
            }
            if (cause instanceof RefusedAddressException refused) {
                return DeliveryOutcome.refused(0, "webhook URL " + refused.getMessage());
            }
            return DeliveryOutcome.retry(0, null, "webhook not reachable at " + host(url) + ": " + cause.getClass().getSimpleName());
        }
        String error = reply.status() >= 300 ? "answered " + reply.status() + errorText(reply.body()) : null;
        return DeliveryOutcome.ofStatus(reply.status(), reply.header().apply("Retry-After"), error);
    }

    /** The short error a receiver answers (Slack's {@code invalid_token}, Teams' error code), never the whole body. */
    private String errorText(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        JsonNode node = GuardedHttpEndpoint.json(json, body);
        String text = node != null ? node.path("error").path("code").asText(node.path("error").asText("")) : new String(body, java.nio.charset.StandardCharsets.UTF_8);
        text = text.strip();
        return text.isEmpty() ? "" : ": " + NotificationTemplates.cut(text.replaceAll("[\\r\\n]+", " "), 120);
    }

    static String host(String url) {
        try {
            return URI.create(url).getHost();
        } catch (IllegalArgumentException | NullPointerException e) {
            return "?";
        }
    }

    private Slack slack(String apiUrl) {
        String prefix = apiUrl.endsWith("/") ? apiUrl : apiUrl + "/";
        return slackClients.computeIfAbsent(prefix, url -> {
            SlackConfig config = new SlackConfig();
            config.setMethodsEndpointUrlPrefix(url);
            config.setStatsEnabled(false);
            config.setFailOnUnknownProperties(false);
            config.setPrettyResponseLoggingEnabled(false);
            int timeout = (int) settings.requestTimeout().toMillis();
            config.setHttpClientReadTimeoutMillis(timeout);
            config.setHttpClientWriteTimeoutMillis(timeout);
            config.setHttpClientCallTimeoutMillis(timeout);
            return Slack.getInstance(config);
        });
    }

    Duration minInterval(NotificationChannel.Kind kind) {
        return kind.slack() ? settings.slackMinInterval() : settings.teamsMinInterval();
    }

    @PreDestroy
    void close() {
        http.close();
    }
}
