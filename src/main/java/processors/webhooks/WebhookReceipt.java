package processors.webhooks;

import java.time.Instant;
import java.util.List;

import providers.webhooks.HubEvent;
import providers.webhooks.InboundWebhook;
import providers.webhooks.Response;
import providers.webhooks.Verdict;

/**
 * One delivery as it moves through the webhook-receiver route: the request, its registration,
 * the verdict, the events it announced, and the reply the provider will get. Carried as the body.
 */
public final class WebhookReceipt {

    private final String registrationId;
    private final InboundWebhook request;
    private final long startNanos;
    private RegistrationCache.Entry registration;
    private Verdict verdict;
    private List<HubEvent> events = List.of();
    private Response reply;

    public WebhookReceipt(String registrationId, InboundWebhook request, long startNanos) {
        this.registrationId = registrationId;
        this.request = request;
        this.startNanos = startNanos;
    }

    public String registrationId() {
        return registrationId;
    }

    public InboundWebhook request() {
        return request;
    }

    public Instant receivedAt() {
        return request.receivedAt();
    }

    /** Milliseconds since the request arrived. */
    public int elapsedMs() {
        return (int) ((System.nanoTime() - startNanos) / 1_000_000);
    }

    public RegistrationCache.Entry registration() {
        return registration;
    }

    void registration(RegistrationCache.Entry entry) {
        this.registration = entry;
    }

    public Verdict verdict() {
        return verdict;
    }

    void verdict(Verdict verdict) {
        this.verdict = verdict;
    }

    public List<HubEvent> events() {
        return events;
    }

    void events(List<HubEvent> events) {
        this.events = events;
    }

    /** The response for the provider; set once, by the step that decides it. */
    public Response reply() {
        return reply;
    }

    void reply(Response reply) {
        this.reply = reply;
    }

    public boolean answered() {
        return reply != null;
    }
}
