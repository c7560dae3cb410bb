package providers.webhooks;

import java.time.Instant;
import java.util.List;

/**
 * What the verified webhook deliveries of an integration announced, as the hub's delivery log keeps them: durable, and the
 * same on every instance. For adapters whose provider API cannot list edits or deletions, only push them (Slack): a pass
 * reads what was announced since the previous one.
 */
public interface AnnouncedChanges {

    /** An event of an accepted delivery, with when the hub received the delivery. */
    record Announced(Instant receivedAt, HubEvent event) {
    }

    /**
     * The events of the integration's accepted deliveries received after {@code after} and up to {@code upTo}, oldest first.
     * Deliveries older than the log's retention ({@code hub.webhooks.retention}) are gone.
     */
    List<Announced> between(String integrationId, Instant after, Instant upTo);
}
