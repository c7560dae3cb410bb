package providers.github;

import static org.assertj.core.api.Assertions.assertThat;
import static providers.webhooks.Fixtures.*;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import providers.webhooks.InboundWebhook;
import providers.webhooks.Verdict;
import providers.webhooks.VerificationContext;
import providers.webhooks.WebhookVerifier;

class GitHubVerifierTest {

    // the known-answer vector from GitHub's "Validating webhook deliveries" page
    private static final String SECRET = "It's a Secret to Everybody";
    private static final String BODY = "Hello, World!";
    private static final String SIGNATURE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    // computed once with: printf '%s' 'Hello, World!' | openssl dgst -sha1 -hmac "It's a Secret to Everybody"
    private static final String SHA1_SIGNATURE = "sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59";

    private final WebhookVerifier verifier = verifier("github");
    private final VerificationContext context = context(SECRET, Instant.now());

    @Test
    void githubsDocumentedVectorVerifies() {
        Verdict verdict = verifier.verify(post(BODY, "X-Hub-Signature-256", SIGNATURE,
                "X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958", "X-GitHub-Event", "issues"), context);

        assertThat(verified(verdict).deliveryId()).isEqualTo("72d3162e-cc78-11e3-81ab-4c9367dc0958");
        assertThat(verified(verdict).ack()).isNull();
    }

    @Test
    void theSignatureIsTheHmacOfTheRawBody() {
        assertThat(SIGNATURE).isEqualTo("sha256=" + hmacSha256Hex(SECRET, BODY));
    }

    @Test
    void legacySha1HeaderIsUsedWhenSha256IsAbsent() {
        assertThat(SHA1_SIGNATURE).isEqualTo("sha1=" + hmacHex("HmacSHA1", SECRET, BODY));
        verified(verifier.verify(post(BODY, "X-Hub-Signature", SHA1_SIGNATURE, "X-GitHub-Delivery", "d-sha1"), context));
    }

    @Test
    void aTamperedBodyIsRejected() {
        rejected(verifier.verify(post("Hello, World?", "X-Hub-Signature-256", SIGNATURE), context), 401);
    }

    @Test
    void aWrongSecretIsRejected() {
        rejected(verifier.verify(post(BODY, "X-Hub-Signature-256", SIGNATURE), context("another", Instant.now())), 401);
    }

    @Test
    void aSha256HeaderThatFailsIsNotRescuedByAValidSha1Header() {
        rejected(verifier.verify(post(BODY, "X-Hub-Signature-256", "sha256=" + "0".repeat(64),
                "X-Hub-Signature", SHA1_SIGNATURE), context), 401);
    }

    @Test
    void aMissingSignatureHeaderIsNamed() {
        Verdict.Rejected rejected = rejected(verifier.verify(post(BODY), context), 401);
        assertThat(rejected.reason()).contains("x-hub-signature-256");
    }

    @Test
    void withoutAKnownSecretNothingVerifies() {
        rejected(verifier.verify(post(BODY, "X-Hub-Signature-256", SIGNATURE), context(null, Instant.now())), 401);
    }

    @Test
    void aSignedDeliveryWithoutItsDeliveryHeaderIsRefused400() {
        Verdict.Rejected rejected = rejected(verifier.verify(post(BODY, "X-Hub-Signature-256", SIGNATURE), context), 400);
        assertThat(rejected.reason()).contains("x-github-delivery");
        assertThat(rejected.authenticated()).as("signed by GitHub: a delivery the hub cannot use, not a forgery").isTrue();
        rejected(verifier.verify(post(BODY, "X-Hub-Signature-256", SIGNATURE, "X-GitHub-Delivery", " "), context), 400);
    }

    @Test
    void forgeriesAreNotAuthenticatedRefusals() {
        assertThat(rejected(verifier.verify(post(BODY, "X-Hub-Signature-256", "sha256=" + "0".repeat(64),
                "X-GitHub-Delivery", "d-2"), context), 401).authenticated()).isFalse();
        assertThat(rejected(verifier.verify(post(BODY), context), 401).authenticated()).isFalse();
    }

    @Test
    void pingIsVerifiedAndProducesNoEvent() {
        String body = "{\"zen\":\"Design for failure.\",\"hook_id\":1}";
        InboundWebhook ping = post(body, "X-Hub-Signature-256", "sha256=" + hmacSha256Hex(SECRET, body),
                "X-GitHub-Event", "ping", "X-GitHub-Delivery", "d-1");

        verified(verifier.verify(ping, context));
        assertThat(parser("github").parse(ping)).isEmpty();
    }
}
