package providers.webhooks;

import java.util.List;

import org.springframework.stereotype.Component;

/**
 * Standard Webhooks: {@code webhook-id}, {@code webhook-timestamp} (unix s, within the tolerance both ways)
 * and {@code webhook-signature}, a space-separated list where any {@code v1,} entry that matches is enough
 * (several are sent while a secret rotates); other versions (e.g. v1a) are ignored.
 */
@Component
final class StandardWebhooksVerifier implements WebhookVerifier {

    static final String ID = "webhook-id";
    static final String TIMESTAMP = "webhook-timestamp";
    static final String SIGNATURE = "webhook-signature";

    @Override
    public WebhookScheme scheme() {
        return StandardWebhooks.SCHEME;
    }

    @Override
    public Verdict verify(InboundWebhook request, VerificationContext context) {
        String id = request.header(ID);
        if (id == null || id.isBlank()) {
            return Verdict.Rejected.missingHeader(ID);
        }
        String timestamp = request.header(TIMESTAMP);
        if (timestamp == null) {
            return Verdict.Rejected.missingHeader(TIMESTAMP);
        }
        String signatures = request.header(SIGNATURE);
        if (signatures == null) {
            return Verdict.Rejected.missingHeader(SIGNATURE);
        }
        if (!context.hasSecret()) {
            return Verdict.Rejected.noSecret();
        }
        Verdict.Rejected stale = TimestampWindow.checkSeconds(TIMESTAMP, timestamp, context);
        if (stale != null) {
            return stale;
        }
        List<byte[]> keys = StandardWebhooks.keys(context.secret());
        if (keys.isEmpty()) {
            return Verdict.Rejected.unauthorized("registered secret is not a valid whsec_ secret");
        }
        for (byte[] key : keys) {
            byte[] expected = StandardWebhooks.signature(key, id, timestamp.trim(), request.body());
            for (String entry : signatures.trim().split(" +")) {
                if (entry.startsWith("v1,") && Signatures.matchesBase64(expected, entry.substring(3))) {
                    return new Verdict.Verified(id, null);
                }
            }
        }
        return Verdict.Rejected.unauthorized("no matching v1 signature");
    }
}
