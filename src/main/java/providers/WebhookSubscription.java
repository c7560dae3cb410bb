package providers;

import java.time.Instant;

/**
 * A webhook the provider now sends to the hub, with the provider's id for it and its expiry if any. {@code missedChanges}:
 * the provider had dropped the subscription and a new one was made, so changes made in between were never notified (the
 * hub then queues a catch-up sync).
 */
public record WebhookSubscription(String providerWebhookId, Instant expiresAt, boolean missedChanges) {

    public WebhookSubscription(String providerWebhookId, Instant expiresAt) {
        this(providerWebhookId, expiresAt, false);
    }
}
