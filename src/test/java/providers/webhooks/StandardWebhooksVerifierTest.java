package providers.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static providers.webhooks.Fixtures.*;

import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class StandardWebhooksVerifierTest {

    // the test vector published with the Standard Webhooks reference libraries
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330L;
    private static final String BODY = "{\"test\": 2432232314}";
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final Instant SENT = Instant.ofEpochSecond(TIMESTAMP);

    private final WebhookVerifier verifier = verifier("standard_webhooks");
    private final VerificationContext context = context(SECRET, SENT.plusSeconds(1));

    private static InboundWebhook delivery(String body, String signatures, long timestamp) {
        return post(body, "webhook-id", ID, "webhook-timestamp", Long.toString(timestamp), "webhook-signature", signatures);
    }

    @Test
    void thePublishedVectorVerifies() {
        byte[] key = Base64.getDecoder().decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertThat(SIGNATURE).isEqualTo("v1," + hmacSha256Base64(key, ID + "." + TIMESTAMP + "." + BODY));

        assertThat(verified(verifier.verify(delivery(BODY, SIGNATURE, TIMESTAMP), context)).deliveryId()).isEqualTo(ID);
    }

    @Test
    void signReproducesThePublishedVector() {
        assertThat(StandardWebhooks.sign(SECRET, ID, TIMESTAMP, utf8(BODY))).isEqualTo(SIGNATURE);
        assertThat(StandardWebhooks.sign("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", ID, TIMESTAMP, utf8(BODY))).isEqualTo(SIGNATURE);
    }

    @Test
    void duringRotationOneMatchingSignatureIsEnough() {
        String old = StandardWebhooks.sign("whsec_" + Base64.getEncoder().encodeToString(new byte[32]), ID, TIMESTAMP,
                utf8(BODY));
        verified(verifier.verify(delivery(BODY, old + " " + SIGNATURE, TIMESTAMP), context));
        verified(verifier.verify(delivery(BODY, "v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpX"
                + "wVLPo3mNl8EM+m7TBAg== " + SIGNATURE, TIMESTAMP), context));
        rejected(verifier.verify(delivery(BODY, old, TIMESTAMP), context), 401);
    }

    @Test
    void otherVersionsAreIgnored() {
        rejected(verifier.verify(delivery(BODY, SIGNATURE.replace("v1,", "v2,"), TIMESTAMP), context), 401);
    }

    @Test
    void tamperedWrongSecretAndStaleOrFutureAreRejected() {
        rejected(verifier.verify(delivery("{\"test\": 2432232315}", SIGNATURE, TIMESTAMP), context), 401);
        rejected(verifier.verify(delivery(BODY, SIGNATURE, TIMESTAMP),
                context("whsec_" + Base64.getEncoder().encodeToString(new byte[24]), SENT)), 401);
        rejected(verifier.verify(delivery(BODY, SIGNATURE, TIMESTAMP), context(SECRET, SENT.plusSeconds(301))), 401);
        rejected(verifier.verify(delivery(BODY, SIGNATURE, TIMESTAMP), context(SECRET, SENT.minusSeconds(301))), 401);
    }

    @Test
    void theIdAndTimestampAreSigned() {
        rejected(verifier.verify(post(BODY, "webhook-id", "msg_other", "webhook-timestamp", Long.toString(TIMESTAMP),
                "webhook-signature", SIGNATURE), context), 401);
        rejected(verifier.verify(delivery(BODY, SIGNATURE, TIMESTAMP + 1), context), 401);
    }

    @Test
    void missingHeadersAreNamed() {
        assertThat(rejected(verifier.verify(post(BODY, "webhook-timestamp", "1", "webhook-signature", SIGNATURE),
                context), 401).reason()).contains("webhook-id");
        assertThat(rejected(verifier.verify(post(BODY, "webhook-id", ID, "webhook-signature", SIGNATURE), context),
                401).reason()).contains("webhook-timestamp");
        assertThat(rejected(verifier.verify(post(BODY, "webhook-id", ID, "webhook-timestamp", "1"), context), 401)
                .reason()).contains("webhook-signature");
    }

    @Test
    void aSecretWithoutPrefixIsAcceptedRawOrBase64() {
        verified(verifier.verify(delivery(BODY, SIGNATURE, TIMESTAMP),
                context("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", SENT)));
        String raw = "a plain shared secret";
        String signature = "v1," + hmacSha256Base64(raw, ID + "." + TIMESTAMP + "." + BODY);
        verified(verifier.verify(delivery(BODY, signature, TIMESTAMP), context(raw, SENT)));
    }

    @Test
    void newSecretsAreWhsecWith32RandomBytes() {
        String secret = StandardWebhooks.newSecret();
        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSize(32);
        assertThat(StandardWebhooks.newSecret()).isNotEqualTo(secret);
    }
}
