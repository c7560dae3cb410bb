package providers.notion;

import static org.assertj.core.api.Assertions.assertThat;
import static providers.webhooks.Fixtures.*;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import providers.webhooks.Verdict;
import providers.webhooks.VerificationContext;
import providers.webhooks.WebhookVerifier;

class NotionVerifierTest {

    private static final String TOKEN = "secret_tMrlL1qK5vuQAh1b6cZGhFChZTSYJlce98V0pYn7yBl";
    private static final String BODY = "{\"id\":\"367cba44-b6f3-4c92-81e7-6a2e9659efd4\",\"timestamp\":\"2024-12-05T23:55:34.285Z\","
            + "\"workspace_id\":\"13950b26-c203-4f3b-b97d-93ec06319565\",\"subscription_id\":\"29d75c0d-5546-4414-8459-7b7a92f1fc4b\","
            + "\"integration_id\":\"0ef2e755-4912-8096-91c1-00376a88a5ca\",\"type\":\"page.created\","
            + "\"entity\":{\"id\":\"153104cd-477e-809d-8dc4-ff2d96ae3090\",\"type\":\"page\"},"
            + "\"data\":{\"parent\":{\"id\":\"13950b26-c203-4f3b-b97d-93ec06319565\",\"type\":\"space\"}}}";
    // computed once with: printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$TOKEN"
    private static final String SIGNATURE = "sha256=d00f1a55862a67923c7e4cb36544ebaf97ee12b35dc91359716e23d18bdbac4e";
    private static final String VERIFICATION = "{\"verification_token\":\"secret_abc123XYZ\"}";

    private final WebhookVerifier verifier = verifier("notion");
    private final VerificationContext context = context(TOKEN, Instant.now());

    @Test
    void aSignedEventVerifiesWithItsIdAsDeliveryId() {
        assertThat(SIGNATURE).isEqualTo("sha256=" + hmacSha256Hex(TOKEN, BODY));
        Verdict verdict = verifier.verify(post(BODY, "X-Notion-Signature", SIGNATURE), context);
        assertThat(verified(verdict).deliveryId()).isEqualTo("367cba44-b6f3-4c92-81e7-6a2e9659efd4");
    }

    @Test
    void tamperedWrongSecretAndMissingHeaderAreRejected() {
        rejected(verifier.verify(post(BODY.replace("page.created", "page.deleted"), "X-Notion-Signature", SIGNATURE),
                context), 401);
        rejected(verifier.verify(post(BODY, "X-Notion-Signature", SIGNATURE), context("secret_other", Instant.now())),
                401);
        assertThat(rejected(verifier.verify(post(BODY), context), 401).reason()).contains("x-notion-signature");
    }

    @Test
    void theVerificationTokenIsCapturedWhileNoSecretIsKnown() {
        Verdict.Handshake handshake = handshake(verifier.verify(post(VERIFICATION), context(null, Instant.now())));

        assertThat(handshake.capturedSecret()).isEqualTo("secret_abc123XYZ");
        assertThat(handshake.response().status()).isEqualTo(200);
        assertThat(handshake.toString()).doesNotContain("secret_abc123XYZ");
    }

    @Test
    void aNewVerificationTokenCannotReplaceARegisteredOne() {
        rejected(verifier.verify(post(VERIFICATION), context), 401);
        String signed = "{\"verification_token\":\"secret_evil\"}";
        rejected(verifier.verify(post(signed, "X-Notion-Signature", "sha256=" + hmacSha256Hex(TOKEN, signed)), context),
                401);
    }

    @Test
    void eventsBeforeTheHandshakeAreRejected() {
        rejected(verifier.verify(post(BODY, "X-Notion-Signature", SIGNATURE), context(null, Instant.now())), 401);
    }
}
