package providers.hubspot;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.stereotype.Component;

import providers.webhooks.Hmac;
import providers.webhooks.InboundWebhook;
import providers.webhooks.Json;
import providers.webhooks.MalformedWebhookException;
import providers.webhooks.Signatures;
import providers.webhooks.TimestampWindow;
import providers.webhooks.Verdict;
import providers.webhooks.VerificationContext;
import providers.webhooks.WebhookScheme;
import providers.webhooks.WebhookVerifier;

/**
 * HubSpot. v3 ({@code X-HubSpot-Signature-v3}): base64 HMAC-SHA256(client secret, method + uri + body +
 * timestamp), timestamp in ms. Legacy: v1 = hex SHA-256(secret + body), v2 = hex SHA-256(secret + method +
 * uri + body), both plain hashes, not HMACs, and without replay protection: accepted only from a registration
 * whose {@code allowLegacySignatures} setting is {@code true} (an app that still signs that way).
 *
 * <p>The uri is the URL HubSpot called: the public URL's scheme, host and port, then the request's raw path
 * and query. HubSpot's docs say to URL-decode it first and list the characters concerned
 * ({@code %3A : %2F / %3F ? %40 @ %21 ! %24 $ %27 ' %28 ( %29 ) %2A * %2C , %3B ;}); only those are decoded,
 * because a full decode would also turn '+' and %20, %26 or %3D into characters HubSpot did not sign (the
 * space/plus mismatches reported in HubSpot's community). The uri exactly as received is tried as well, so a
 * difference in that reading costs nothing; both come from our own URL, so neither weakens the check.
 */
@Component
public final class HubSpotVerifier implements WebhookVerifier {

    /** Setting: "true" accepts the legacy v1/v2 signatures (no timestamp, no replay protection) beside v3. */
    public static final String ALLOW_LEGACY_SIGNATURES = "allowLegacySignatures";
    /** The key is the app's client secret, issued by HubSpot; v1/v2 signatures only when the registration allows them. */
    public static final WebhookScheme SCHEME = WebhookScheme.builder("hubspot", WebhookScheme.Secret.PROVIDER_ISSUED)
            .flags(ALLOW_LEGACY_SIGNATURES).build();

    static final String SIGNATURE_V3 = "x-hubspot-signature-v3";
    static final String TIMESTAMP = "x-hubspot-request-timestamp";
    static final String SIGNATURE = "x-hubspot-signature";
    static final String VERSION = "x-hubspot-signature-version";

    private static final String[][] DECODED = {
            {"%3A", ":"}, {"%2F", "/"}, {"%3F", "?"}, {"%40", "@"}, {"%21", "!"}, {"%24", "$"},
            {"%27", "'"}, {"%28", "("}, {"%29", ")"}, {"%2A", "*"}, {"%2C", ","}, {"%3B", ";"}};

    @Override
    public WebhookScheme scheme() {
        return SCHEME;
    }

    @Override
    public Verdict verify(InboundWebhook request, VerificationContext context) {
        String v3 = request.header(SIGNATURE_V3);
        Verdict.Rejected rejected = v3 != null ? checkV3(request, context, v3) : checkLegacy(request, context);
        if (rejected != null) {
            return rejected;
        }
        return deliveryId(request);
    }

    private static Verdict.Rejected checkV3(InboundWebhook request, VerificationContext context, String signature) {
        String timestamp = request.header(TIMESTAMP);
        if (timestamp == null) {
            return Verdict.Rejected.missingHeader(TIMESTAMP);
        }
        if (!context.hasSecret()) {
            return Verdict.Rejected.noSecret();
        }
        Verdict.Rejected stale = TimestampWindow.checkMillis(TIMESTAMP, timestamp, context);
        if (stale != null) {
            return stale;
        }
        List<String> uris = candidateUris(request, context.publicUrl());
        if (uris.isEmpty()) {
            return Verdict.Rejected.unauthorized("publicUrl is needed to check HubSpot signatures");
        }
        byte[] method = Signatures.utf8(request.method());
        byte[] stamp = Signatures.utf8(timestamp.trim());
        for (String uri : uris) {
            byte[] expected = Hmac.sha256(context.secret(), method, Signatures.utf8(uri), request.body(), stamp);
            if (Signatures.matchesBase64(expected, signature)) {
                return null;
            }
        }
        return Verdict.Rejected.unauthorized("signature mismatch");
    }

    private static Verdict.Rejected checkLegacy(InboundWebhook request, VerificationContext context) {
        String signature = request.header(SIGNATURE);
        if (signature == null) {
            return Verdict.Rejected.missingHeader(SIGNATURE_V3);
        }
        if (!"true".equals(context.setting(ALLOW_LEGACY_SIGNATURES))) {
            return Verdict.Rejected.unauthorized("v1/v2 signatures are not accepted by this registration "
                    + "(settings." + ALLOW_LEGACY_SIGNATURES + "); v3 is required");
        }
        if (!context.hasSecret()) {
            return Verdict.Rejected.noSecret();
        }
        String version = request.header(VERSION);
        version = version == null ? "v1" : version.trim().toLowerCase(Locale.ROOT);
        if (version.equals("v1")) {
            return Signatures.matchesHex(Hmac.digest(context.secret(), request.body()), signature) ? null
                    : Verdict.Rejected.unauthorized("signature mismatch");
        }
        if (!version.equals("v2")) {
            return Verdict.Rejected.unauthorized("unsupported signature version");
        }
        List<String> uris = candidateUris(request, context.publicUrl());
        if (uris.isEmpty()) {
            return Verdict.Rejected.unauthorized("publicUrl is needed to check HubSpot signatures");
        }
        byte[] method = Signatures.utf8(request.method());
        for (String uri : uris) {
            byte[] expected = Hmac.digest(context.secret(), method, Signatures.utf8(uri), request.body());
            if (Signatures.matchesHex(expected, signature)) {
                return null;
            }
        }
        return Verdict.Rejected.unauthorized("signature mismatch");
    }

    /** The selectively decoded uri first, then the uri as received when it differs; empty without a publicUrl. */
    static List<String> candidateUris(InboundWebhook request, String publicUrl) {
        String origin = origin(publicUrl);
        if (origin == null) {
            return List.of();
        }
        String query = request.rawQuery();
        String raw = origin + request.path() + (query == null || query.isEmpty() ? "" : "?" + query);
        Set<String> uris = new LinkedHashSet<>();
        uris.add(decodeListed(raw));
        uris.add(raw);
        return new ArrayList<>(uris);
    }

    static String decodeListed(String uri) {
        if (uri.indexOf('%') < 0) {
            return uri;
        }
        StringBuilder out = new StringBuilder(uri.length());
        int i = 0;
        while (i < uri.length()) {
            String replacement = uri.charAt(i) == '%' && i + 3 <= uri.length() ? listed(uri.substring(i, i + 3)) : null;
            if (replacement != null) {
                out.append(replacement);
                i += 3;
            } else {
                out.append(uri.charAt(i));
                i++;
            }
        }
        return out.toString();
    }

    private static String listed(String escape) {
        for (String[] pair : DECODED) {
            if (pair[0].equalsIgnoreCase(escape)) {
                return pair[1];
            }
        }
        return null;
    }

    private static String origin(String publicUrl) {
        if (publicUrl == null || publicUrl.isBlank()) {
            return null;
        }
        try {
            URI uri = URI.create(publicUrl.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return null;
            }
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Verdict deliveryId(InboundWebhook request) {
        if (request.body().length == 0) {
            return new Verdict.Verified(Signatures.bodyHash(request.body()), null);
        }
        JsonNode body;
        try {
            body = Json.tree(request.body());
        } catch (MalformedWebhookException e) {
            return Verdict.Rejected.malformed(e.getMessage());
        }
        List<String> ids = new ArrayList<>();
        if (body.isArray()) {
            for (JsonNode event : body) {
                String id = Json.text(event, "eventId");
                if (id != null) {
                    ids.add(id);
                }
            }
        }
        if (ids.isEmpty()) {
            return new Verdict.Verified(Signatures.bodyHash(request.body()), null);
        }
        ids.sort(null);
        return new Verdict.Verified(String.join(",", ids), null);
    }
}
