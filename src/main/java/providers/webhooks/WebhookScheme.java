package providers.webhooks;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** How a provider proves its webhook deliveries are genuine. */
public enum WebhookScheme {

    /** The hub chooses the secret when it creates the hook ({@code config.secret}). */
    GITHUB("github", true, Set.of(), Set.of()),
    /** Slack issues the app's signing secret; the receiver cannot choose it. */
    SLACK("slack", false, Set.of(), Set.of()),
    /** The key is the app's client secret, issued by HubSpot; v1/v2 signatures only when the registration allows them. */
    HUBSPOT("hubspot", false, Set.of(Settings.ALLOW_LEGACY_SIGNATURES), Set.of()),
    /** Zoom generates the Secret Token on the app's feature page. */
    ZOOM("zoom", false, Set.of(), Set.of()),
    /** Notion sends its verification_token to the endpoint once (a handshake); nobody chooses it. */
    NOTION("notion", false, Set.of(), Set.of()),
    /** clientState is whatever the subscriber puts in the subscription request. */
    MICROSOFT_GRAPH("microsoft_graph", true, Set.of(), Set.of()),
    /** No shared secret: Google signs an OIDC token; the settings say which one to accept. */
    GOOGLE_PUBSUB("google_pubsub", false,
            Set.of(Settings.AUDIENCE, Settings.SERVICE_ACCOUNT_EMAIL, Settings.ISSUER, Settings.JWKS_URI),
            Set.of(Settings.SERVICE_ACCOUNT_EMAIL)),
    /** The channel token is set by whoever calls changes.watch, i.e. the hub. */
    GOOGLE_DRIVE("google_drive", true, Set.of(Settings.CHANNEL_ID), Set.of(Settings.CHANNEL_ID)),
    /** Unsigned; authenticity rests on the organization id (plus TLS and IP allow-listing outside the hub). */
    SALESFORCE_OUTBOUND("salesforce_outbound", false, Set.of(Settings.ORGANIZATION_ID),
            Set.of(Settings.ORGANIZATION_ID)),
    /** The receiver may hand the sender a whsec_ secret; 24+ random bytes per the spec. */
    STANDARD_WEBHOOKS("standard_webhooks", true, Set.of(), Set.of());

    /** Names of scheme settings. */
    public static final class Settings {
        public static final String AUDIENCE = "audience";
        public static final String SERVICE_ACCOUNT_EMAIL = "serviceAccountEmail";
        public static final String ISSUER = "issuer";
        public static final String JWKS_URI = "jwksUri";
        public static final String CHANNEL_ID = "channelId";
        public static final String ORGANIZATION_ID = "organizationId";
        /** HubSpot: "true" accepts the legacy v1/v2 signatures (no timestamp, no replay protection) beside v3. */
        public static final String ALLOW_LEGACY_SIGNATURES = "allowLegacySignatures";

        private Settings() {
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String id;
    private final boolean hubGeneratesSecret;
    private final Set<String> settingNames;
    private final Set<String> requiredSettingNames;

    WebhookScheme(String id, boolean hubGeneratesSecret, Set<String> settingNames, Set<String> requiredSettingNames) {
        this.id = id;
        this.hubGeneratesSecret = hubGeneratesSecret;
        this.settingNames = settingNames;
        this.requiredSettingNames = requiredSettingNames;
    }

    /** The lower-case API name, e.g. {@code microsoft_graph}. */
    public String id() {
        return id;
    }

    public static Optional<WebhookScheme> of(String id) {
        if (id == null) {
            return Optional.empty();
        }
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        for (WebhookScheme scheme : values()) {
            if (scheme.id.equals(wanted)) {
                return Optional.of(scheme);
            }
        }
        return Optional.empty();
    }

    /** True where the provider lets the receiver choose the secret, so the hub generates it. */
    public boolean hubGeneratesSecret() {
        return hubGeneratesSecret;
    }

    /** False where deliveries carry no shared-secret proof (Pub/Sub's OIDC token, Salesforce's organization id). */
    public boolean usesSecret() {
        return this != GOOGLE_PUBSUB && this != SALESFORCE_OUTBOUND;
    }

    /** True where the provider hands its secret over in a handshake delivery (Notion's verification_token). */
    public boolean secretArrivesByHandshake() {
        return this == NOTION;
    }

    /** The scheme settings (non-secret) a registration may carry. */
    public Set<String> settingNames() {
        return settingNames;
    }

    /** Why a value does not suit the setting, or null when it does (the flag settings take true or false). */
    public static String settingProblem(String name, String value) {
        if (Settings.ALLOW_LEGACY_SIGNATURES.equals(name) && !"true".equals(value) && !"false".equals(value)) {
            return "must be true or false";
        }
        return null;
    }

    /** The settings a registration must carry (Pub/Sub's audience falls back to the public URL). */
    public Set<String> requiredSettingNames() {
        return requiredSettingNames;
    }

    /**
     * A new random secret in the form the provider accepts: {@code whsec_} + base64 of 32 bytes for Standard
     * Webhooks, else 32 bytes base64url (fits GitHub, Graph's 255-char clientState and Drive's 256-char token).
     *
     * @throws UnsupportedOperationException where the provider issues the secret
     */
    public String newSecret() {
        if (!hubGeneratesSecret) {
            throw new UnsupportedOperationException(id + " issues its own secret; the hub cannot choose it");
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return this == STANDARD_WEBHOOKS
                ? StandardWebhooks.SECRET_PREFIX + Base64.getEncoder().encodeToString(bytes)
                : Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
