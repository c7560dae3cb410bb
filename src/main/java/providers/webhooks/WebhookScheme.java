package providers.webhooks;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * How a provider proves its webhook deliveries are genuine: the scheme's API name, where its secret comes
 * from and which (non-secret) settings a registration carries. Each provider package declares its scheme as a
 * constant and names it from its {@link WebhookVerifier} and {@link WebhookEventParser} beans; the
 * {@link WebhookSchemes} registry finds them. Two schemes are equal when their ids are.
 */
public final class WebhookScheme {

    /** Where a registration's secret comes from. */
    public enum Secret {
        /** The provider lets the subscriber choose it (GitHub's config.secret, Graph's clientState): the hub generates it. */
        HUB_GENERATED,
        /** The provider issues it (Slack's signing secret); the integrator copies it into the registration. */
        PROVIDER_ISSUED,
        /** The provider hands it over in a handshake delivery (Notion's verification_token). */
        HANDSHAKE,
        /** Deliveries carry no shared-secret proof (an OIDC token, an organization id). */
        NONE
    }

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String id;
    private final Secret secret;
    private final Set<String> settingNames;
    private final Set<String> requiredSettingNames;
    private final Set<String> flagSettingNames;
    private final Set<String> fetchedUrlSettingNames;
    private final Supplier<String> secretFormat;
    private final Duration dedupeWindow;
    private final boolean httpsReceiver;

    private WebhookScheme(Builder builder) {
        this.id = builder.id;
        this.secret = builder.secret;
        this.settingNames = Set.copyOf(builder.settings);
        this.requiredSettingNames = Set.copyOf(builder.required);
        this.flagSettingNames = Set.copyOf(builder.flags);
        this.fetchedUrlSettingNames = Set.copyOf(builder.fetchedUrls);
        this.secretFormat = builder.secretFormat;
        this.dedupeWindow = builder.dedupeWindow;
        this.httpsReceiver = builder.httpsReceiver;
    }

    /** The provider sends only to https URLs (Microsoft Graph): the receiver URL it is given is the hub's https one. */
    public boolean httpsReceiver() {
        return httpsReceiver;
    }

    /**
     * A scheme named {@code id} (lower case, e.g. {@code microsoft_graph}) whose secret comes from {@code secret}.
     *
     * @throws IllegalArgumentException when the id is not lower-case letters, digits and underscores
     */
    public static Builder builder(String id, Secret secret) {
        return new Builder(id, secret);
    }

    /** The lower-case API name, e.g. {@code microsoft_graph}. */
    public String id() {
        return id;
    }

    public Secret secret() {
        return secret;
    }

    /** True where the provider lets the receiver choose the secret, so the hub generates it. */
    public boolean hubGeneratesSecret() {
        return secret == Secret.HUB_GENERATED;
    }

    /** False where deliveries carry no shared-secret proof (Pub/Sub's OIDC token, Salesforce's organization id). */
    public boolean usesSecret() {
        return secret != Secret.NONE;
    }

    /** True where the provider hands its secret over in a handshake delivery (Notion's verification_token). */
    public boolean secretArrivesByHandshake() {
        return secret == Secret.HANDSHAKE;
    }

    /** The scheme settings (non-secret) a registration may carry. */
    public Set<String> settingNames() {
        return settingNames;
    }

    /** The settings a registration must carry. */
    public Set<String> requiredSettingNames() {
        return requiredSettingNames;
    }

    /** Settings that hold a URL the hub fetches from (a JWKS URI): checked against the outbound guard when registered. */
    public Set<String> fetchedUrlSettingNames() {
        return fetchedUrlSettingNames;
    }

    /**
     * How long a delivery id tells duplicates apart, where it is derived from content that legitimately repeats
     * (Graph's basic notifications carry no delivery id, and two edits of one item look alike); empty: for good.
     */
    public Optional<Duration> dedupeWindow() {
        return Optional.ofNullable(dedupeWindow);
    }

    /** Why a value does not suit the setting, or null when it does (flag settings take true or false). */
    public String settingProblem(String name, String value) {
        if (flagSettingNames.contains(name) && !"true".equals(value) && !"false".equals(value)) {
            return "must be true or false";
        }
        return null;
    }

    /**
     * A new random secret in the form the provider accepts: by default 32 bytes base64url (fits GitHub, Graph's
     * 255-char clientState and Drive's 256-char token); a scheme may declare its own form.
     *
     * @throws UnsupportedOperationException where the provider issues the secret
     */
    public String newSecret() {
        if (!hubGeneratesSecret()) {
            throw new UnsupportedOperationException(id + " issues its own secret; the hub cannot choose it");
        }
        return secretFormat.get();
    }

    /** 32 random bytes. */
    public static byte[] randomKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WebhookScheme scheme && scheme.id.equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return id;
    }

    /** The optional parts of a scheme. */
    public static final class Builder {

        private final String id;
        private final Secret secret;
        private final Set<String> settings = new LinkedHashSet<>();
        private final Set<String> required = new LinkedHashSet<>();
        private final Set<String> flags = new LinkedHashSet<>();
        private final Set<String> fetchedUrls = new LinkedHashSet<>();
        private Supplier<String> secretFormat = () -> Base64.getUrlEncoder().withoutPadding().encodeToString(randomKey());
        private Duration dedupeWindow;
        private boolean httpsReceiver;

        private Builder(String id, Secret secret) {
            if (id == null || !ID.matcher(id).matches()) {
                throw new IllegalArgumentException("a webhook scheme id is lower-case letters, digits and '_': " + id);
            }
            this.id = id;
            this.secret = Objects.requireNonNull(secret, "secret");
        }

        /** Settings a registration may carry. */
        public Builder settings(String... names) {
            settings.addAll(Set.of(names));
            return this;
        }

        /** Settings a registration must carry (they are settings too). */
        public Builder required(String... names) {
            required.addAll(Set.of(names));
            settings.addAll(required);
            return this;
        }

        /** Settings taking "true" or "false" (they are settings too). */
        public Builder flags(String... names) {
            flags.addAll(Set.of(names));
            settings.addAll(flags);
            return this;
        }

        /** Settings holding a URL the hub fetches from (they are settings too). */
        public Builder fetchedUrls(String... names) {
            fetchedUrls.addAll(Set.of(names));
            settings.addAll(fetchedUrls);
            return this;
        }

        /** How a new secret is made, where the hub generates it. */
        public Builder secretFormat(Supplier<String> format) {
            this.secretFormat = Objects.requireNonNull(format, "format");
            return this;
        }

        /** Delivery ids tell duplicates apart only within windows of this length (see {@link WebhookScheme#dedupeWindow()}). */
        public Builder dedupeWindow(Duration window) {
            if (window == null || window.toSeconds() < 1) {
                throw new IllegalArgumentException("a dedupe window is at least a second");
            }
            this.dedupeWindow = window;
            return this;
        }

        /** The provider accepts only https notification URLs (see {@link WebhookScheme#httpsReceiver()}). */
        public Builder httpsReceiver() {
            this.httpsReceiver = true;
            return this;
        }

        public WebhookScheme build() {
            return new WebhookScheme(this);
        }
    }
}
