package providers;

import java.time.Instant;

/** A webhook the provider now sends to the hub, with the provider's id for it and its expiry if any. */
public record WebhookSubscription(String providerWebhookId, Instant expiresAt) {
}
