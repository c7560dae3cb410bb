package providers.google_drive;

import org.springframework.stereotype.Component;

import providers.webhooks.InboundWebhook;
import providers.webhooks.Response;
import providers.webhooks.Signatures;
import providers.webhooks.Verdict;
import providers.webhooks.VerificationContext;
import providers.webhooks.WebhookScheme;
import providers.webhooks.WebhookVerifier;

/**
 * Google Drive push channel (changes.watch / files.watch): no signature; the token the hub set on the
 * channel comes back in {@code X-Goog-Channel-Token} and must match, as must the channel id. The first
 * message ({@code X-Goog-Resource-State: sync}) only confirms the channel. Without a {@code channelId} setting, the
 * channel must be one the hub opened for this registration ({@link #channelPrefix}: its id starts with
 * {@code hub-<registration id>-}, as {@code GoogleDriveAdapter.registerWebhook} names them, a new one per renewal).
 */
@Component
public final class GoogleDriveVerifier implements WebhookVerifier {

    /** Setting: the channel id the hub gave changes.watch. */
    public static final String CHANNEL_ID_SETTING = "channelId";
    /** The channel token is set by whoever calls changes.watch, i.e. the hub. */
    public static final WebhookScheme SCHEME = WebhookScheme.builder("google_drive", WebhookScheme.Secret.HUB_GENERATED)
            .settings(CHANNEL_ID_SETTING).build();

    static final String CHANNEL_ID = "x-goog-channel-id";
    static final String CHANNEL_TOKEN = "x-goog-channel-token";
    static final String RESOURCE_STATE = "x-goog-resource-state";
    static final String MESSAGE_NUMBER = "x-goog-message-number";
    static final String RESOURCE_URI = "x-goog-resource-uri";

    @Override
    public WebhookScheme scheme() {
        return SCHEME;
    }

    @Override
    public Verdict verify(InboundWebhook request, VerificationContext context) {
        for (String header : new String[] {CHANNEL_ID, CHANNEL_TOKEN, RESOURCE_STATE, MESSAGE_NUMBER}) {
            if (request.header(header) == null) {
                return Verdict.Rejected.missingHeader(header);
            }
        }
        if (!context.hasSecret()) {
            return Verdict.Rejected.noSecret();
        }
        String channelId = context.setting(CHANNEL_ID_SETTING);
        String prefix = channelId == null ? channelPrefix(context.publicUrl()) : null;
        if (channelId == null && prefix == null) {
            return Verdict.Rejected.unauthorized("channelId setting missing");
        }
        String given = request.header(CHANNEL_ID).trim();
        boolean tokenMatches = Signatures.matchesText(context.secret(), request.header(CHANNEL_TOKEN));
        boolean channelMatches = channelId != null ? Signatures.matchesText(Signatures.utf8(channelId), given)
                : given.startsWith(prefix) && given.length() > prefix.length();
        if (channelId == null) {
            channelId = given;
        }
        if (!tokenMatches) {
            return Verdict.Rejected.unauthorized("channel token mismatch");
        }
        if (!channelMatches) {
            return Verdict.Rejected.unauthorized("channel id mismatch");
        }
        if ("sync".equals(request.header(RESOURCE_STATE).trim())) {
            return new Verdict.Handshake(Response.empty(200), null);
        }
        return new Verdict.Verified(channelId + ":" + request.header(MESSAGE_NUMBER).trim(), null);
    }

    /**
     * The start of the ids of the channels the hub opens for the registration whose receiver URL this is
     * ({@code .../webhooks/<registration id>}): {@code hub-<registration id>-}; null without a URL.
     */
    public static String channelPrefix(String receiverUrl) {
        if (receiverUrl == null || receiverUrl.isBlank()) {
            return null;
        }
        String path = receiverUrl.strip();
        int query = path.indexOf('?');
        path = query < 0 ? path : path.substring(0, query);
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.isEmpty() ? null : "hub-" + last + "-";
    }
}
