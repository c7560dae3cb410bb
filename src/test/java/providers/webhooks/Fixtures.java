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

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.core.type.filter.AssignableTypeFilter;
import org.springframework.core.type.filter.TypeFilter;
import org.springframework.stereotype.Component;

/**
 * Requests, contexts and independently computed signatures for the webhook tests. The signatures here use
 * javax.crypto directly, not the package's own helpers, so a bug there cannot hide behind a matching bug here.
 */
public final class Fixtures {

    /** The registry as the hub builds it: from every verifier and parser bean under {@code providers}, keys fetched by Nimbus. */
    public static final WebhookSchemes SCHEMES = discovered();

    private Fixtures() {
    }

    public static WebhookScheme scheme(String id) {
        return SCHEMES.of(id).orElseThrow(() -> new IllegalArgumentException("no scheme " + id));
    }

    public static WebhookVerifier verifier(String schemeId) {
        return SCHEMES.verifier(scheme(schemeId));
    }

    public static WebhookEventParser parser(String schemeId) {
        return SCHEMES.parser(scheme(schemeId));
    }

    /** Finds the provider packages' verifier and parser components the way the application's scan does, and nothing else. */
    private static WebhookSchemes discovered() {
        TypeFilter component = new AnnotationTypeFilter(Component.class);
        TypeFilter verifier = new AssignableTypeFilter(WebhookVerifier.class);
        TypeFilter parser = new AssignableTypeFilter(WebhookEventParser.class);
        ClassPathScanningCandidateComponentProvider scan = new ClassPathScanningCandidateComponentProvider(false);
        scan.addIncludeFilter((reader, factory) -> component.match(reader, factory)
                && (verifier.match(reader, factory) || parser.match(reader, factory)));
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            context.registerBean(JwkSources.class, () -> JwkSources.remote(null));
            context.registerBean(WebhookSchemes.class);
            scan.findCandidateComponents("providers").forEach(candidate ->
                    context.registerBeanDefinition(candidate.getBeanClassName(), candidate));
            context.refresh();
            return context.getBean(WebhookSchemes.class);
        }
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
