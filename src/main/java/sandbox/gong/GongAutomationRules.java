package sandbox.gong;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import org.springframework.util.function.SingletonSupplier;

import sandbox.kit.WebhookSender;

/**
 * Gong's automation rules with a webhook action, one per company (set up in Gong's UI, here through setup): when a call
 * is ready (added through setup), Gong posts {@code {"callData": <the extensive call>, "isTest": false}} to the rule's
 * URL with {@code Authorization: <JWT>}, RS256-signed with Gong's key, claims {@code webhook_url} (the target URL),
 * {@code body_sha256} (hex SHA-256 of the raw body), {@code iat} and {@code exp} (five minutes; UNVERIFIED in Gong's
 * documents). The public key a receiver verifies with is shown as PEM, as Gong shows it in the rule.
 */
final class GongAutomationRules {

    /** The content selector of a delivery: every section, as Gong's payload carries the extensive call whole. */
    private static final JsonNode EVERYTHING = GongJson.MAPPER.createObjectNode().put("context", "Extended").set("exposedFields",
            GongJson.MAPPER.createObjectNode().put("parties", true)
                    .<com.fasterxml.jackson.databind.node.ObjectNode>set("content", GongJson.MAPPER.createObjectNode().put("brief", true)
                            .put("topics", true).put("keyPoints", true))
                    .set("interaction", GongJson.MAPPER.createObjectNode().put("speakers", true)));

    /** A company's rule: where its deliveries go. */
    record Rule(URI url, WebhookSender.Queue<Map<String, Object>> deliveries) {
    }

    private final WebhookSender sender;
    /** Made on first use, as the Entra sandbox's: finding an RSA key pair took up to a second of a hub's start. */
    private final SingletonSupplier<RSAKey> key = SingletonSupplier.of(GongAutomationRules::signingKey);
    private final Map<GongCompany, Rule> rules = Collections.synchronizedMap(new WeakHashMap<>());

    /** Deliveries run on {@code clock}'s time (their timers: the real clock, also where the sandbox's own clock is moved by hand). */
    GongAutomationRules(GongSandboxProperties properties, Clock clock) {
        this.sender = new WebhookSender("sandbox-gong-webhooks", 1, new WebhookSender.Policy(Duration.ofMillis(20), 1, 10_000,
                Duration.ofSeconds(1), Duration.ofSeconds(60), properties.webhookMaxAttempts(), Duration.ofHours(1), Duration.ofSeconds(5),
                properties.webhookAllowedHosts(), "hub.sandbox.gong.webhook-allowed-hosts"), clock);
    }

    private static RSAKey signingKey() {
        try {
            return new RSAKeyGenerator(2048).keyIDFromThumbprint(true).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot make the sandbox's signing key", e);
        }
    }

    URI destination(String url, int ownPort) {
        return sender.destination(url, ownPort);
    }

    /** The company's rule now sends to {@code url} (a rule it had before is replaced). */
    Rule set(GongCompany w, URI url) {
        Rule rule = new Rule(url, sender.open("gong automation rule to " + url, url, new WebhookSender.Format<>() {
            @Override
            public byte[] body(List<WebhookSender.Attempt<Map<String, Object>>> batch) {
                return GongJson.bytes(batch.get(0).item());
            }

            @Override
            public Map<String, String> headers(URI to, byte[] body, Instant sentAt) {
                return Map.of("Content-Type", "application/json", "Authorization", jwt(to, body, sentAt));
            }
        }));
        Rule previous = rules.put(w, rule);
        if (previous != null) {
            previous.deliveries().close();
        }
        return rule;
    }

    Rule rule(GongCompany w) {
        return rules.get(w);
    }

    boolean remove(GongCompany w) {
        Rule rule = rules.remove(w);
        if (rule != null) {
            rule.deliveries().close();
        }
        return rule != null;
    }

    /** A call is ready: the company's rule (if any) posts it; {@code test} as the rule's "test" button does. */
    void callReady(GongCompany w, GongCompany.Call call, boolean test) {
        Rule rule = sender.stopped() ? null : rules.get(w);
        if (rule == null) {
            return;
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("callData", GongJson.extensive(call, w.workspaceId, EVERYTHING));
        payload.put("isTest", test);
        rule.deliveries().enqueue(payload);
    }

    /** The public key receivers verify deliveries with, as PEM. */
    String publicKeyPem() {
        try {
            byte[] der = key.obtain().toRSAPublicKey().getEncoded();
            return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                    + "\n-----END PUBLIC KEY-----\n";
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private String jwt(URI to, byte[] body, Instant at) {
        try {
            JWTClaimsSet claims = new JWTClaimsSet.Builder().claim("webhook_url", to.toString())
                    .claim("body_sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)))
                    .issueTime(Date.from(at)).expirationTime(Date.from(at.plus(Duration.ofMinutes(5)))).build();
            RSAKey signing = key.obtain();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signing.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(signing));
            return jwt.serialize();
        } catch (JOSEException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot sign a delivery", e);
        }
    }

    WebhookSender.Status<Map<String, Object>> status(Rule rule) {
        return rule.deliveries().status();
    }

    void shutdown() {
        sender.shutdown();
    }
}
