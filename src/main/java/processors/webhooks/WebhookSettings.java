package processors.webhooks;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Webhook receiving ({@code hub.webhooks.*}).
 *
 * @param maxBodyBytes    larger deliveries are refused with 413
 * @param tolerance       how far a signed timestamp may be from now
 * @param failingAfter    consecutive genuine deliveries that failed to process before a registration is {@code failing}
 * @param disabledAfter   consecutive such failures before it is {@code disabled}
 * @param retention       how long the delivery log keeps a delivery
 * @param batchSize       most deliveries committed together (one database and one broker commit per batch)
 * @param writers         batches committed at the same time (one waits for the disk while another fills)
 * @param recoverAfter    an accepted delivery still unprocessed this long is queued again (crash between commit and send)
 * @param cacheTtl        how long registrations and their secrets are cached between database reads
 * @param renewBefore     provider subscriptions expiring within this are renewed by the renewal sweep
 * @param renewConcurrency registrations the renewal sweep renews at the same time (each waits on its provider)
 * @param rejectionLogInterval  unauthenticated refusals are logged at most once per registration and reason in this interval
 */
@ConfigurationProperties(prefix = "hub.webhooks")
public record WebhookSettings(
        @DefaultValue("1048576") int maxBodyBytes,
        @DefaultValue("5m") Duration tolerance,
        @DefaultValue("3") int failingAfter,
        @DefaultValue("10") int disabledAfter,
        @DefaultValue("30d") Duration retention,
        @DefaultValue("256") int batchSize,
        @DefaultValue("2") int writers,
        @DefaultValue("5m") Duration recoverAfter,
        @DefaultValue("30s") Duration cacheTtl,
        @DefaultValue("24h") Duration renewBefore,
        @DefaultValue("8") int renewConcurrency,
        @DefaultValue("1m") Duration rejectionLogInterval) {
}
