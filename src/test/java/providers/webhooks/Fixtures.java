package providers.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Requests, contexts and independently computed signatures for the webhook tests. The signatures here use
 * javax.crypto directly, not the package's own helpers, so a bug there cannot hide behind a matching bug here.
 */
public final class Fixtures {

    public static final WebhookVerifiers VERIFIERS = new WebhookVerifiers();
    public static final WebhookEventParsers PARSERS = new WebhookEventParsers();

    private Fixtures() {
    }

    public static Map<String, String> headers(String... namesAndValues) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

    public static InboundWebhook post(String body, String... namesAndValues) {
        return request("POST", "/webhooks/x", null, body, namesAndValues);
    }

    public static InboundWebhook request(String method, String path, String rawQuery, String body, String... namesAndValues) {
        return InboundWebhook.of(method, path, rawQuery, headers(namesAndValues), utf8(body));
    }

    public static VerificationContext context(String secret, Instant now) {
        return context(secret, Map.of(), null, now);
    }

    public static VerificationContext context(String secret, Map<String, String> settings, String publicUrl, Instant now) {
        return new VerificationContext(secret == null ? null : utf8(secret), settings, publicUrl, Duration.ofMinutes(5),
                now);
    }

    public static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    public static String hmacHex(String algorithm, String key, String data) {
        return HexFormat.of().formatHex(mac(algorithm, utf8(key), utf8(data)));
    }

    public static String hmacSha256Hex(String key, String data) {
        return hmacHex("HmacSHA256", key, data);
    }

    public static String hmacSha256Base64(String key, String data) {
        return Base64.getEncoder().encodeToString(mac("HmacSHA256", utf8(key), utf8(data)));
    }

    public static String hmacSha256Base64(byte[] key, String data) {
        return Base64.getEncoder().encodeToString(mac("HmacSHA256", key, utf8(data)));
    }

    public static String sha256Hex(String data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(utf8(data)));
    }

    public static Verdict.Verified verified(Verdict verdict) {
        assertThat(verdict).isInstanceOf(Verdict.Verified.class);
        return (Verdict.Verified) verdict;
    }

    public static Verdict.Handshake handshake(Verdict verdict) {
        assertThat(verdict).isInstanceOf(Verdict.Handshake.class);
        return (Verdict.Handshake) verdict;
    }

    public static Verdict.Rejected rejected(Verdict verdict, int status) {
        assertThat(verdict).isInstanceOf(Verdict.Rejected.class);
        Verdict.Rejected rejected = (Verdict.Rejected) verdict;
        assertThat(rejected.status()).as(rejected.reason()).isEqualTo(status);
        return rejected;
    }

    private static byte[] mac(String algorithm, byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac.doFinal(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
