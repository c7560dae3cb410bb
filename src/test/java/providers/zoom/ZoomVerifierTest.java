package providers.zoom;

import static org.assertj.core.api.Assertions.assertThat;
import static providers.webhooks.Fixtures.*;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import providers.webhooks.InboundWebhook;
import providers.webhooks.Verdict;
import providers.webhooks.VerificationContext;
import providers.webhooks.WebhookVerifier;

class ZoomVerifierTest {

    private static final String SECRET = "zoom-secret-token-123";
    private static final String TIMESTAMP = "1700000000";
    private static final Instant SENT = Instant.ofEpochSecond(1700000000L);
    private static final String BODY = "{\"event\":\"meeting.started\",\"event_ts\":1700000000123,\"payload\":"
            + "{\"account_id\":\"acc1\",\"object\":{\"id\":\"85012345678\",\"uuid\":\"abc==\",\"topic\":\"Demo\"}}}";
    // computed once with: printf '%s' "v0:1700000000:$BODY" | openssl dgst -sha256 -hmac 'zoom-secret-token-123'
    private static final String SIGNATURE = "v0=536bebc2322454a280adc114b2c0a02c9023241e8536b3105df976866bcc28e1";
    // the url_validation example body from Zoom's webhook docs
    private static final String VALIDATION = "{\"payload\":{\"plainToken\":\"qgg8vlvZRS6UYooatFL8Aw\"},"
            + "\"event_ts\":1654503849680,\"event\":\"endpoint.url_validation\"}";
    // computed once with: printf '%s' "v0:1700000000:$VALIDATION" | openssl dgst -sha256 -hmac 'zoom-secret-token-123'
    private static final String VALIDATION_SIGNATURE = "v0=e278d378ef1bbba60c3e9d94dee5cc7f5d21643f48ec7f17dc7cdff4864d9b97";
    // computed once with: printf '%s' qgg8vlvZRS6UYooatFL8Aw | openssl dgst -sha256 -hmac 'zoom-secret-token-123'
    private static final String ENCRYPTED_TOKEN = "bb14734995b1296db328f8a0bf605e48f34f4c9ca4ab1f001ddc76ee33bd9975";

    private final WebhookVerifier verifier = verifier("zoom");
    private final VerificationContext context = context(SECRET, SENT.plusSeconds(2));

    private static InboundWebhook zoom(String body, String signature, String timestamp, String... more) {
        String[] headers = new String[4 + more.length];
        headers[0] = "x-zm-signature";
        headers[1] = signature;
        headers[2] = "x-zm-request-timestamp";
        headers[3] = timestamp;
        System.arraycopy(more, 0, headers, 4, more.length);
        return post(body, headers);
    }

    @Test
    void aSignedEventVerifies() {
        assertThat(SIGNATURE).isEqualTo("v0=" + hmacSha256Hex(SECRET, "v0:" + TIMESTAMP + ":" + BODY));
        Verdict verdict = verifier.verify(zoom(BODY, SIGNATURE, TIMESTAMP), context);
        assertThat(verified(verdict).deliveryId()).isEqualTo("meeting.started:1700000000123:85012345678");
    }

    @Test
    void theTrackingIdIsPreferredForDedupe() {
        Verdict verdict = verifier.verify(zoom(BODY, SIGNATURE, TIMESTAMP, "x-zm-trackingid", "v=2.0,s=1,t=abc"), context);
        assertThat(verified(verdict).deliveryId()).isEqualTo("v=2.0,s=1,t=abc");
    }

    @Test
    void aMillisecondTimestampIsAcceptedToo() {
        String millis = "1700000000500";
        String signature = "v0=" + hmacSha256Hex(SECRET, "v0:" + millis + ":" + BODY);
        verified(verifier.verify(zoom(BODY, signature, millis), context));
        rejected(verifier.verify(zoom(BODY, signature, millis), context(SECRET, SENT.plusSeconds(400))), 401);
    }

    @Test
    void tamperedWrongSecretStaleAndMissingHeadersAreRejected() {
        rejected(verifier.verify(zoom(BODY.replace("Demo", "Dem0"), SIGNATURE, TIMESTAMP), context), 401);
        rejected(verifier.verify(zoom(BODY, SIGNATURE, TIMESTAMP), context("other", SENT)), 401);
        rejected(verifier.verify(zoom(BODY, SIGNATURE, TIMESTAMP), context(SECRET, SENT.plusSeconds(301))), 401);
        assertThat(rejected(verifier.verify(post(BODY, "x-zm-request-timestamp", TIMESTAMP), context), 401).reason())
                .contains("x-zm-signature");
        assertThat(rejected(verifier.verify(post(BODY, "x-zm-signature", SIGNATURE), context), 401).reason())
                .contains("x-zm-request-timestamp");
    }

    @Test
    void urlValidationIsAnsweredWithTheHmacOfThePlainToken() throws Exception {
        assertThat(ENCRYPTED_TOKEN).isEqualTo(hmacSha256Hex(SECRET, "qgg8vlvZRS6UYooatFL8Aw"));

        Verdict.Handshake handshake = handshake(verifier.verify(zoom(VALIDATION, VALIDATION_SIGNATURE, TIMESTAMP), context));

        assertThat(handshake.response().status()).isEqualTo(200);
        assertThat(handshake.response().contentType()).isEqualTo("application/json");
        JsonNode answer = new ObjectMapper().readTree(handshake.response().body());
        assertThat(answer.get("plainToken").asText()).isEqualTo("qgg8vlvZRS6UYooatFL8Aw");
        assertThat(answer.get("encryptedToken").asText()).isEqualTo(ENCRYPTED_TOKEN);
        assertThat(answer.size()).isEqualTo(2);
    }

    @Test
    void anUnsignedUrlValidationIsNotAnswered() {
        rejected(verifier.verify(zoom(VALIDATION, SIGNATURE, TIMESTAMP), context), 401);
    }
}
