package providers.microsoft;

import static org.assertj.core.api.Assertions.assertThat;
import static providers.webhooks.Fixtures.*;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import providers.webhooks.InboundWebhook;
import providers.webhooks.Verdict;
import providers.webhooks.VerificationContext;
import providers.webhooks.WebhookVerifier;

class MicrosoftGraphVerifierTest {

    private static final String CLIENT_STATE = "b1ZvZ2dlciBjbGllbnRTdGF0ZQ";

    private final WebhookVerifier verifier = verifier("microsoft_graph");
    private final VerificationContext context = context(CLIENT_STATE, Instant.now());

    private static String notification(String clientState, String id, String changeType) {
        return "{\"subscriptionId\":\"7f105c7d-2dc5-4530-97cd-4e7ae6534c07\",\"subscriptionExpirationDateTime\":"
                + "\"2016-11-20T18:23:45.935-08:00\",\"clientState\":\"" + clientState + "\",\"changeType\":\""
                + changeType + "\",\"resource\":\"Users/ed8d2b81-5a64-44f7-a2ba-5aa1b3a5e4bb/Messages/" + id
                + "\",\"tenantId\":\"84bd8158-6d4d-4958-8b9f-9d6445542f95\",\"resourceData\":{\"@odata.type\":"
                + "\"#Microsoft.Graph.Message\",\"@odata.id\":\"Users/ed8d/Messages/" + id + "\",\"id\":\"" + id + "\"}}";
    }

    @Test
    void theValidationTokenIsEchoedDecodedAsPlainText() {
        InboundWebhook validation = request("POST", "/webhooks/graph", "validationToken=Validation%3A%20Testing%20"
                + "client%20application%20reachability%20for%20subscription%20Request-Id%3A%2025b8d4b3", "");

        Verdict.Handshake handshake = handshake(verifier.verify(validation, context));

        assertThat(handshake.response().status()).isEqualTo(200);
        assertThat(handshake.response().contentType()).isEqualTo("text/plain");
        assertThat(new String(handshake.response().body(), StandardCharsets.UTF_8)).isEqualTo(
                "Validation: Testing client application reachability for subscription Request-Id: 25b8d4b3");
    }

    @Test
    void theValidationTokenIsDecodedOnlyOnce() {
        // %2541 decodes to "%41"; decoding twice would give "A"
        InboundWebhook validation = request("POST", "/webhooks/graph", "validationToken=abc%2541", "");
        Verdict.Handshake handshake = handshake(verifier.verify(validation, context(null, Instant.now())));
        assertThat(new String(handshake.response().body(), StandardCharsets.UTF_8)).isEqualTo("abc%41");
    }

    @Test
    void notificationsWithTheClientStateAreAcceptedWith202() {
        String body = "{\"value\":[" + notification(CLIENT_STATE, "AAA", "created") + ","
                + notification(CLIENT_STATE, "BBB", "updated") + "]}";
        String reordered = "{\"value\":[" + notification(CLIENT_STATE, "BBB", "updated") + ","
                + notification(CLIENT_STATE, "AAA", "created") + "]}";

        Verdict.Verified verified = verified(verifier.verify(post(body), context));

        assertThat(verified.ack().status()).isEqualTo(202);
        assertThat(verified.ack().body()).isEmpty();
        assertThat(verified.deliveryId()).startsWith("sha256:")
                .isEqualTo(verified(verifier.verify(post(reordered), context)).deliveryId());
    }

    @Test
    void oneWrongOrMissingClientStateRejectsTheDelivery() {
        String wrong = "{\"value\":[" + notification(CLIENT_STATE, "AAA", "created") + ","
                + notification("guess", "BBB", "updated") + "]}";
        String missing = "{\"value\":[{\"subscriptionId\":\"s\",\"changeType\":\"created\",\"resource\":\"r\"}]}";

        rejected(verifier.verify(post(wrong), context), 401);
        rejected(verifier.verify(post(missing), context), 401);
        rejected(verifier.verify(post("{\"value\":[" + notification(CLIENT_STATE, "A", "created") + "]}"),
                context(null, Instant.now())), 401);
    }

    @Test
    void aDuplicatedClientStateKeyIsMalformed() {
        String body = "{\"value\":[{\"clientState\":\"guess\",\"clientState\":\"" + CLIENT_STATE + "\"}]}";
        rejected(verifier.verify(post(body), context), 400);
    }

    @Test
    void aBodyThatIsNotANotificationListIsMalformed() {
        rejected(verifier.verify(post("not json"), context), 400);
        rejected(verifier.verify(post("{\"value\":[]}"), context), 400);
    }
}
