package providers.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static providers.webhooks.Fixtures.*;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import providers.webhooks.InboundWebhook;
import providers.webhooks.Verdict;
import providers.webhooks.VerificationContext;
import providers.webhooks.WebhookVerifier;

class HubSpotVerifierTest {

    private static final String SECRET = "hubspot-client-secret";
    private static final String PUBLIC_URL = "https://hub.example.com/webhooks/hubspot/abc";
    private static final String TIMESTAMP = "1700000000000";
    private static final Instant SENT = Instant.ofEpochMilli(1700000000000L);
    private static final String BODY = "[{\"eventId\":100,\"subscriptionId\":2,\"portalId\":3,\"appId\":4,"
            + "\"occurredAt\":1700000000000,\"subscriptionType\":\"contact.propertyChange\",\"attemptNumber\":0,"
            + "\"objectId\":123,\"propertyName\":\"email\",\"propertyValue\":\"a@b.c\",\"changeSource\":\"CRM\"},"
            + "{\"eventId\":99,\"subscriptionId\":5,\"portalId\":3,\"appId\":4,\"occurredAt\":1700000000000,"
            + "\"subscriptionType\":\"deal.creation\",\"attemptNumber\":0,\"objectId\":456,\"changeSource\":\"CRM\"}]";
    // computed once with: printf '%s' "POSThttps://hub.example.com/webhooks/hubspot/abc?tenant=t:1${BODY}1700000000000"
    //   | openssl dgst -sha256 -hmac 'hubspot-client-secret' -binary | base64
    private static final String V3_SIGNATURE = "a2u3G+Az1gcad0DuC3lj1Sf3U0LR1vTeWqAcTNNXlGU=";

    // the v1 and v2 examples from HubSpot's "Validating requests" page
    private static final String DOC_SECRET = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
    private static final String V1_BODY = "[{\"eventId\":1,\"subscriptionId\":12345,\"portalId\":62515,"
            + "\"occurredAt\":1564113600000,\"subscriptionType\":\"contact.creation\",\"attemptNumber\":0,"
            + "\"objectId\":123,\"changeSource\":\"CRM\",\"changeFlag\":\"NEW\",\"appId\":54321}]";

    private static final Map<String, String> LEGACY = Map.of("allowLegacySignatures", "true");

    private final WebhookVerifier verifier = verifier("hubspot");
    private final VerificationContext context = context(SECRET, Map.of(), PUBLIC_URL, SENT.plusSeconds(5));

    private static InboundWebhook v3(String body, String signature, String timestamp) {
        return request("POST", "/webhooks/hubspot/abc", "tenant=t%3A1", body, "X-HubSpot-Signature-v3", signature,
                "X-HubSpot-Request-Timestamp", timestamp, "Content-Type", "application/json");
    }

    @Test
    void v3SignsMethodDecodedUriBodyAndTimestamp() {
        assertThat(V3_SIGNATURE).isEqualTo(hmacSha256Base64(SECRET,
                "POST" + "https://hub.example.com/webhooks/hubspot/abc?tenant=t:1" + BODY + TIMESTAMP));

        Verdict verdict = verifier.verify(v3(BODY, V3_SIGNATURE, TIMESTAMP), context);

        assertThat(verified(verdict).deliveryId()).isEqualTo("100,99");
    }

    @Test
    void v3AlsoAcceptsTheUriExactlyAsReceived() {
        String signature = hmacSha256Base64(SECRET,
                "POST" + "https://hub.example.com/webhooks/hubspot/abc?tenant=t%3A1" + BODY + TIMESTAMP);
        verified(verifier.verify(v3(BODY, signature, TIMESTAMP), context));
    }

    @Test
    void onlyTheListedEscapesAreDecoded() {
        assertThat(HubSpotVerifier.decodeListed("https://h/p?a=b%3Ac%20d%2Be%26f%2fg"))
                .isEqualTo("https://h/p?a=b:c%20d%2Be%26f/g");
    }

    @Test
    void v3RejectsATamperedBodyAWrongSecretAndAnotherUrl() {
        rejected(verifier.verify(v3(BODY.replace("a@b.c", "x@b.c"), V3_SIGNATURE, TIMESTAMP), context), 401);
        rejected(verifier.verify(v3(BODY, V3_SIGNATURE, TIMESTAMP),
                context("wrong", Map.of(), PUBLIC_URL, SENT)), 401);
        rejected(verifier.verify(v3(BODY, V3_SIGNATURE, TIMESTAMP),
                context(SECRET, Map.of(), "https://other.example.com/webhooks/hubspot/abc", SENT)), 401);
    }

    @Test
    void v3RejectsTimestampsOlderThanFiveMinutesOrInTheFuture() {
        rejected(verifier.verify(v3(BODY, V3_SIGNATURE, TIMESTAMP),
                context(SECRET, Map.of(), PUBLIC_URL, SENT.plusSeconds(300).plusMillis(1))), 401);
        rejected(verifier.verify(v3(BODY, V3_SIGNATURE, TIMESTAMP),
                context(SECRET, Map.of(), PUBLIC_URL, SENT.minusSeconds(301))), 401);
    }

    @Test
    void v3NeedsTheTimestampHeaderAndAPublicUrl() {
        InboundWebhook noTimestamp = request("POST", "/webhooks/hubspot/abc", "tenant=t%3A1", BODY,
                "X-HubSpot-Signature-v3", V3_SIGNATURE);
        assertThat(rejected(verifier.verify(noTimestamp, context), 401).reason())
                .contains("x-hubspot-request-timestamp");
        rejected(verifier.verify(v3(BODY, V3_SIGNATURE, TIMESTAMP), context(SECRET, Map.of(), null, SENT)), 401);
    }

    @Test
    void withoutAnySignatureHeaderTheV3HeaderIsNamed() {
        assertThat(rejected(verifier.verify(post(BODY), context), 401).reason()).contains("x-hubspot-signature-v3");
    }

    @Test
    void v1IsThePlainSha256OfSecretAndBody() {
        InboundWebhook request = post(V1_BODY, "X-HubSpot-Signature",
                "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de", "X-HubSpot-Signature-Version", "v1");

        assertThat(verified(verifier.verify(request, context(DOC_SECRET, LEGACY, null, SENT))).deliveryId()).isEqualTo("1");
        rejected(verifier.verify(request, context(SECRET, LEGACY, null, SENT)), 401);
    }

    @Test
    void v1AndV2AreRefusedUnlessTheRegistrationAllowsThem() {
        InboundWebhook v1 = post(V1_BODY, "X-HubSpot-Signature",
                "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de", "X-HubSpot-Signature-Version", "v1");
        InboundWebhook v2 = request("POST", "/webhook_uri", null, "{\"example_field\":\"example_value\"}",
                "X-HubSpot-Signature", "9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900",
                "X-HubSpot-Signature-Version", "v2");
        String url = "https://www.example.com/webhook_uri";
        for (Map<String, String> settings : List.of(Map.<String, String>of(), Map.of("allowLegacySignatures", "false"))) {
            Verdict.Rejected refused = rejected(verifier.verify(v1, context(DOC_SECRET, settings, url, SENT)), 401);
            assertThat(refused.reason()).contains("allowLegacySignatures", "v3");
            assertThat(refused.authenticated()).isFalse();
            rejected(verifier.verify(v2, context(DOC_SECRET, settings, url, SENT)), 401);
        }
        verified(verifier.verify(v2, context(DOC_SECRET, LEGACY, url, SENT)));
        // v3 needs no setting
        verified(verifier.verify(v3(BODY, V3_SIGNATURE, TIMESTAMP), context));
    }

    @Test
    void v2AddsMethodAndUri() {
        VerificationContext docs = context(DOC_SECRET, LEGACY, "https://www.example.com/webhook_uri", SENT);
        InboundWebhook get = request("GET", "/webhook_uri", null, "", "X-HubSpot-Signature",
                "eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e", "X-HubSpot-Signature-Version", "v2");
        InboundWebhook post = request("POST", "/webhook_uri", null, "{\"example_field\":\"example_value\"}",
                "X-HubSpot-Signature", "9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900",
                "X-HubSpot-Signature-Version", "v2");

        verified(verifier.verify(get, docs));
        verified(verifier.verify(post, docs));
        rejected(verifier.verify(request("PUT", "/webhook_uri", null, "{\"example_field\":\"example_value\"}",
                "X-HubSpot-Signature", "9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900",
                "X-HubSpot-Signature-Version", "v2"), docs), 401);
    }
}
