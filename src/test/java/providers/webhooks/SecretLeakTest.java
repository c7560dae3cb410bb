package providers.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static providers.webhooks.Fixtures.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** No reason, message or toString may reveal the secret or a signature computed with it. */
class SecretLeakTest {

    private static final String SECRET = "S3CRET-VALUE-that-must-not-leak";
    private static final Instant NOW = Instant.ofEpochSecond(1700000000L);
    private static final String BODY = "{\"type\":\"event_callback\",\"event_id\":\"E1\",\"event\":{\"type\":\"message\"}}";

    private static List<InboundWebhook> hostileRequests() {
        String ts = Long.toString(NOW.getEpochSecond());
        String ms = Long.toString(NOW.toEpochMilli());
        List<InboundWebhook> requests = new ArrayList<>();
        requests.add(post(BODY));
        requests.add(post("not json at all"));
        requests.add(post(BODY, "x-hub-signature-256", "sha256=00", "x-slack-signature", "v0=00",
                "x-slack-request-timestamp", ts, "x-hubspot-signature-v3", "AAAA", "x-hubspot-request-timestamp", ms,
                "x-zm-signature", "v0=00", "x-zm-request-timestamp", ts, "x-notion-signature", "sha256=00",
                "webhook-id", "msg_1", "webhook-timestamp", ts, "webhook-signature", "v1,AAAA",
                "authorization", "Bearer a.b.c", "x-goog-channel-id", "c", "x-goog-channel-token", SECRET + "x",
                "x-goog-resource-state", "change", "x-goog-message-number", "1"));
        requests.add(post(BODY, "x-slack-signature", "v0=00", "x-slack-request-timestamp", "1",
                "x-hubspot-signature-v3", "AAAA", "x-hubspot-request-timestamp", "1", "x-zm-signature", "v0=00",
                "x-zm-request-timestamp", "1", "webhook-id", "m", "webhook-timestamp", "1", "webhook-signature", "v1,AA"));
        requests.add(post("{\"value\":[{\"clientState\":\"" + SECRET.substring(0, 10) + "\"}]}"));
        requests.add(post("{\"verification_token\":\"" + SECRET + "\"}"));
        requests.add(post("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
                + "<notifications><OrganizationId>" + SECRET + "</OrganizationId></notifications></soapenv:Body>"
                + "</soapenv:Envelope>"));
        return requests;
    }

    @Test
    void rejectionsNeverQuoteTheSecretOrAComputedSignature() {
        VerificationContext context = new VerificationContext(utf8(SECRET),
                Map.of("channelId", "c", "organizationId", "00D000000000007EAA", "serviceAccountEmail", "a@b.c"),
                "https://hub.example.com/webhooks/x", null, NOW);
        int rejections = 0;
        for (WebhookScheme scheme : SCHEMES.all()) {
            for (InboundWebhook request : hostileRequests()) {
                Verdict verdict = SCHEMES.verifier(scheme).verify(request, context);
                assertThat(verdict.toString()).as(scheme.id()).doesNotContain(SECRET).doesNotContain(SECRET.substring(0, 10));
                if (verdict instanceof Verdict.Rejected rejected) {
                    rejections++;
                    assertThat(rejected.reason()).as(scheme.id()).doesNotContain(SECRET)
                            .doesNotContain(hmacSha256Hex(SECRET, BODY)).hasSizeLessThan(120);
                }
            }
        }
        assertThat(rejections).isGreaterThan(SCHEMES.all().size() * 5);
    }

    @Test
    void toStringsHideSecretsTokensAndHandshakeBodies() {
        VerificationContext context = VerificationContext.of(SECRET, Map.of(), null);
        InboundWebhook request = post(SECRET, "authorization", "Bearer " + SECRET, "x-goog-channel-token", SECRET);
        Verdict.Handshake handshake = new Verdict.Handshake(new Response(200, "text/plain", utf8(SECRET)), SECRET);

        assertThat(context.toString()).doesNotContain(SECRET);
        assertThat(request.toString()).doesNotContain(SECRET).contains("authorization");
        assertThat(handshake.toString()).doesNotContain(SECRET);
    }

    @Test
    void theZoomHandshakeBodyIsNotInItsToString() {
        String body = "{\"event\":\"endpoint.url_validation\",\"payload\":{\"plainToken\":\"plain-1\"}}";
        String ts = Long.toString(NOW.getEpochSecond());
        InboundWebhook request = post(body, "x-zm-signature", "v0=" + hmacSha256Hex(SECRET, "v0:" + ts + ":" + body),
                "x-zm-request-timestamp", ts);
        Verdict verdict = verifier("zoom").verify(request, context(SECRET, NOW));
        assertThat(verdict.toString()).doesNotContain(hmacSha256Hex(SECRET, "plain-1"));
    }
}
