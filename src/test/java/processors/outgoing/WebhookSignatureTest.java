package processors.outgoing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import org.junit.jupiter.api.Test;

/** The hub's signatures checked by the official Standard Webhooks library (an independent implementation). */
class WebhookSignatureTest {

    private static final String BODY = "{\"type\":\"shard.created\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"data\":{\"shardId\":\"s1\"}}";

    private static Map<String, List<String>> headers(String id, long timestamp, String signature) {
        return Map.of("webhook-id", List.of(id), "webhook-timestamp", List.of(Long.toString(timestamp)), "webhook-signature", List.of(signature));
    }

    @Test
    void aSignatureTheLibraryAcceptsAndOneItRefusesOnceTheBodyChanged() throws Exception {
        String secret = WebhookSignature.newSecret();
        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSize(32);
        long now = System.currentTimeMillis() / 1000;
        String id = WebhookSignature.messageId("evt-1", "ep-1");
        String signature = WebhookSignature.header(List.of(secret), id, now, BODY);
        assertThat(signature).startsWith("v1,");
        new Webhook(secret).verify(BODY, headers(id, now, signature));
        // the library signs the same way
        assertThat(signature).isEqualTo(new Webhook(secret).sign(id, now, BODY));
        assertThatThrownBy(() -> new Webhook(secret).verify(BODY.replace("s1", "s2"), headers(id, now, signature)))
                .isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> new Webhook(WebhookSignature.newSecret()).verify(BODY, headers(id, now, signature)))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void duringARotationEitherSecretVerifies() throws Exception {
        String old = WebhookSignature.newSecret();
        String next = WebhookSignature.newSecret();
        long now = System.currentTimeMillis() / 1000;
        String signature = WebhookSignature.header(List.of(next, old), "msg_x", now, BODY);
        assertThat(signature.split(" ")).hasSize(2).allMatch(s -> s.startsWith("v1,"));
        new Webhook(old).verify(BODY, headers("msg_x", now, signature));
        new Webhook(next).verify(BODY, headers("msg_x", now, signature));
    }

    @Test
    void aMessageIdIsTheSameForTheSameEventAndEndpointOnly() {
        assertThat(WebhookSignature.messageId("evt-1", "ep-1")).isEqualTo(WebhookSignature.messageId("evt-1", "ep-1"))
                .isNotEqualTo(WebhookSignature.messageId("evt-1", "ep-2")).isNotEqualTo(WebhookSignature.messageId("evt-2", "ep-1"))
                .startsWith("msg_").hasSizeLessThanOrEqualTo(40);
    }
}
