package providers.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static providers.webhooks.Fixtures.*;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import providers.webhooks.Fixtures;
import providers.webhooks.InboundWebhook;
import providers.webhooks.Verdict;
import providers.webhooks.VerificationContext;
import providers.webhooks.WebhookVerifier;

class SlackVerifierTest {

    // the worked example from Slack's "Verifying requests from Slack" page (a slash command, form-encoded)
    private static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    private static final String TIMESTAMP = "1531420618";
    private static final String BODY = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
            + "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner"
            + "&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J"
            + "%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    private static final String SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    private static final Instant SENT = Instant.ofEpochSecond(1531420618);

    private final WebhookVerifier verifier = verifier("slack");
    private final VerificationContext context = context(SECRET, SENT.plusSeconds(10));

    private static InboundWebhook form(String body, String signature, String timestamp) {
        return post(body, "Content-Type", "application/x-www-form-urlencoded", "X-Slack-Signature", signature,
                "X-Slack-Request-Timestamp", timestamp);
    }

    private static InboundWebhook json(String body, long timestamp) {
        return post(body, "Content-Type", "application/json", "X-Slack-Request-Timestamp", Long.toString(timestamp),
                "X-Slack-Signature", "v0=" + hmacSha256Hex(SECRET, "v0:" + timestamp + ":" + body));
    }

    @Test
    void slacksDocumentedVectorVerifies() {
        assertThat(SIGNATURE).isEqualTo("v0=" + hmacSha256Hex(SECRET, "v0:" + TIMESTAMP + ":" + BODY));
        Verdict verdict = verifier.verify(form(BODY, SIGNATURE, TIMESTAMP), context);
        assertThat(verified(verdict).deliveryId()).startsWith("sha256:");
    }

    @Test
    void aTamperedBodyIsRejected() {
        rejected(verifier.verify(form(BODY.replace("foobar", "foobaz"), SIGNATURE, TIMESTAMP), context), 401);
    }

    @Test
    void aWrongSecretIsRejected() {
        rejected(verifier.verify(form(BODY, SIGNATURE, TIMESTAMP), context("not-the-secret", SENT)), 401);
    }

    @Test
    void aTimestampOutsideFiveMinutesIsRejectedBothWays() {
        rejected(verifier.verify(form(BODY, SIGNATURE, TIMESTAMP), context(SECRET, SENT.plusSeconds(301))), 401);
        rejected(verifier.verify(form(BODY, SIGNATURE, TIMESTAMP), context(SECRET, SENT.minusSeconds(301))), 401);
        verified(verifier.verify(form(BODY, SIGNATURE, TIMESTAMP), context(SECRET, SENT.plusSeconds(300))));
    }

    @Test
    void missingHeadersAreNamed() {
        assertThat(rejected(verifier.verify(post(BODY, "X-Slack-Request-Timestamp", TIMESTAMP), context), 401).reason())
                .contains("x-slack-signature");
        assertThat(rejected(verifier.verify(post(BODY, "X-Slack-Signature", SIGNATURE), context), 401).reason())
                .contains("x-slack-request-timestamp");
    }

    @Test
    void urlVerificationIsAnsweredWithTheChallengeAsPlainText() {
        String body = "{\"token\":\"Jhj5dZrVaK7ZwHHjRyZWjbDl\",\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\",\"type\":\"url_verification\"}";

        Verdict.Handshake handshake = handshake(verifier.verify(json(body, SENT.getEpochSecond()), context));

        assertThat(handshake.response().status()).isEqualTo(200);
        assertThat(handshake.response().contentType()).isEqualTo("text/plain");
        assertThat(new String(handshake.response().body(), StandardCharsets.UTF_8))
                .isEqualTo("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
        assertThat(handshake.capturedSecret()).isNull();
    }

    @Test
    void anUnsignedUrlVerificationIsNotAnswered() {
        String body = "{\"challenge\":\"abc\",\"type\":\"url_verification\"}";
        rejected(verifier.verify(post(body, "X-Slack-Request-Timestamp", TIMESTAMP, "X-Slack-Signature", "v0=00"),
                context), 401);
    }

    @Test
    void eventIdIsTheDeliveryIdAndRetriesKeepIt() {
        String body = "{\"type\":\"event_callback\",\"event_id\":\"Ev08MFMKH6\",\"event\":{\"type\":\"message\",\"channel\":\"C1\",\"ts\":\"1.2\"}}";
        InboundWebhook first = json(body, SENT.getEpochSecond());
        InboundWebhook retry = InboundWebhook.of("POST", "/webhooks/x", null, Fixtures.headers(
                "X-Slack-Request-Timestamp", Long.toString(SENT.getEpochSecond() + 60), "X-Slack-Retry-Num", "1",
                "X-Slack-Signature", "v0=" + hmacSha256Hex(SECRET, "v0:" + (SENT.getEpochSecond() + 60) + ":" + body)),
                utf8(body));

        assertThat(verified(verifier.verify(first, context)).deliveryId()).isEqualTo("Ev08MFMKH6");
        assertThat(verified(verifier.verify(retry, context)).deliveryId()).isEqualTo("Ev08MFMKH6");
    }

    @Test
    void aSignedBodyThatIsNotJsonIsMalformed() {
        rejected(verifier.verify(json("{not json", SENT.getEpochSecond()), context), 400);
    }
}
