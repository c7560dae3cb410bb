package providers.webhooks;

/**
 * The "v0" scheme Slack and Zoom share: hex HMAC-SHA256 of {@code "v0:" + timestamp + ":" + body}
 * in a {@code v0=} header, with the timestamp inside the tolerance window.
 */
public final class TimestampedHmac {

    private static final byte[] VERSION = Signatures.utf8("v0:");
    private static final byte[] COLON = Signatures.utf8(":");

    private TimestampedHmac() {
    }

    /** Null when the request is genuine; otherwise why not. */
    public static Verdict.Rejected check(InboundWebhook request, VerificationContext context, String signatureHeader, String timestampHeader,
                                  boolean millisecondsAllowed) {
        String signature = request.header(signatureHeader);
        if (signature == null) {
            return Verdict.Rejected.missingHeader(signatureHeader);
        }
        String timestamp = request.header(timestampHeader);
        if (timestamp == null) {
            return Verdict.Rejected.missingHeader(timestampHeader);
        }
        if (!context.hasSecret()) {
            return Verdict.Rejected.noSecret();
        }
        Verdict.Rejected stale = millisecondsAllowed
                ? TimestampWindow.checkSecondsOrMillis(timestampHeader, timestamp, context)
                : TimestampWindow.checkSeconds(timestampHeader, timestamp, context);
        if (stale != null) {
            return stale;
        }
        byte[] expected = Hmac.sha256(context.secret(), VERSION, Signatures.utf8(timestamp.trim()), COLON, request.body());
        if (!signature.startsWith("v0=") || !Signatures.matchesHex(expected, signature.substring(3))) {
            return Verdict.Rejected.unauthorized("signature mismatch");
        }
        return null;
    }
}
