package providers.notion;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.stereotype.Component;

import providers.webhooks.Hmac;
import providers.webhooks.InboundWebhook;
import providers.webhooks.Json;
import providers.webhooks.MalformedWebhookException;
import providers.webhooks.Response;
import providers.webhooks.Signatures;
import providers.webhooks.Verdict;
import providers.webhooks.VerificationContext;
import providers.webhooks.WebhookScheme;
import providers.webhooks.WebhookVerifier;

/**
 * Notion: {@code X-Notion-Signature: sha256=<hex HMAC-SHA256(verification_token, body)>}, no timestamp. The
 * token arrives once, unsigned, as {@code {"verification_token":"secret_..."}}: it is captured only while no
 * secret is registered, so nobody can replace a secret by posting a new token.
 */
@Component
public final class NotionVerifier implements WebhookVerifier {

    /** Notion sends its verification_token to the endpoint once (a handshake); nobody chooses it. */
    public static final WebhookScheme SCHEME = WebhookScheme.builder("notion", WebhookScheme.Secret.HANDSHAKE).build();

    static final String SIGNATURE = "x-notion-signature";

    @Override
    public WebhookScheme scheme() {
        return SCHEME;
    }

    @Override
    public Verdict verify(InboundWebhook request, VerificationContext context) {
        String signature = request.header(SIGNATURE);
        if (!context.hasSecret()) {
            String token = verificationToken(request.body());
            return token != null ? new Verdict.Handshake(Response.empty(200), token)
                    : Verdict.Rejected.unauthorized("no verification token captured yet");
        }
        if (signature == null) {
            return verificationToken(request.body()) != null
                    ? Verdict.Rejected.unauthorized("verification token already registered")
                    : Verdict.Rejected.missingHeader(SIGNATURE);
        }
        byte[] expected = Hmac.sha256(context.secret(), request.body());
        if (!signature.startsWith("sha256=") || !Signatures.matchesHex(expected, signature.substring(7))) {
            return Verdict.Rejected.unauthorized("signature mismatch");
        }
        JsonNode body;
        try {
            body = Json.object(request.body());
        } catch (MalformedWebhookException e) {
            return Verdict.Rejected.malformed(e.getMessage());
        }
        if (body.has("verification_token") && !body.has("type")) {
            return Verdict.Rejected.unauthorized("verification token already registered");
        }
        String id = Json.text(body, "id");
        return new Verdict.Verified(id != null ? id : Signatures.bodyHash(request.body()), null);
    }

    /** The token of a verification request, or null when the body is not one. */
    static String verificationToken(byte[] body) {
        JsonNode node;
        try {
            node = Json.object(body);
        } catch (MalformedWebhookException e) {
            return null;
        }
        String token = node.has("type") ? null : Json.text(node, "verification_token");
        return token != null && plausibleToken(token) ? token : null;
    }

    // anyone can post before the handshake, so only a short printable token is ever stored
    private static boolean plausibleToken(String token) {
        if (token.length() > 512) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c <= ' ' || c > '~') {
                return false;
            }
        }
        return true;
    }
}
