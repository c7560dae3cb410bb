package sandbox.google;

import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.util.function.SingletonSupplier;

import sandbox.kit.AccessTokens;
import sandbox.kit.Population;
import sandbox.kit.TokenText;
import sandbox.kit.WebhookSender;
import sandbox.kit.Workspaces;

/**
 * The sandbox's Google Workspace domains and its OAuth state: the default domain ({@code sandbox.example}) and one per
 * name ({@code <name>.sandbox.example}), made and seeded on first use; access tokens (an hour), the static refresh
 * tokens {@code 1//sandbox} and {@code 1//sandbox-<name>}, authorization codes; the service account whose key the
 * sandbox makes at startup (RSA 2048; its JSON at {@code /sandbox/google/setup/service-account.json}) and whose
 * JWT-bearer assertions name the domain by their {@code sub}; and the sender of channel notifications.
 */
final class GoogleDomains {

    static final String DEFAULT_EMAIL_DOMAIN = "sandbox.example";
    static final String CLIENT_ID = "sandbox-client";
    static final String CLIENT_SECRET = "sandbox-secret";
    static final String SERVICE_ACCOUNT_EMAIL = "castiel-sync@sandbox-project.iam.gserviceaccount.com";
    static final String REFRESH_PREFIX = "1//sandbox";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final Pattern REFRESH = Pattern.compile("1//sandbox(?:-([a-z0-9][a-z0-9-]{0,39}))?");
    private static final long FIRST_SEQ = 1000;
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    final GoogleSandboxProperties properties;
    final AccessTokens tokens;
    private final Clock clock;
    private final DriveSeed seed;
    private final Workspaces<DriveDomain> domains;
    /** Made on first use, as the Entra sandbox's: finding an RSA key pair took up to a second of a hub's start. */
    private final SingletonSupplier<KeyPair> serviceAccountKey = SingletonSupplier.of(GoogleDomains::serviceAccountKeyPair);
    final String privateKeyId;
    private final WebhookSender sender;

    GoogleDomains(GoogleSandboxProperties properties, Population population, Clock clock) {
        this.properties = properties;
        this.clock = clock;
        this.tokens = new AccessTokens(clock);
        this.seed = new DriveSeed(population);
        this.domains = new Workspaces<>(new Workspaces.Naming("Google sandbox", "domain", "hub.sandbox.google"),
                new Workspaces.Limits(properties.maxDomains(), Integer.MAX_VALUE, properties.domainIdleAfter()), clock,
                name -> seeded(name, FIRST_SEQ, properties.files()),
                Workspaces.Refusal.withHint("use a domain that exists or the default one"));
        this.privateKeyId = TokenText.urlSafe(20);
        this.sender = new WebhookSender("sandbox-google-channels", 2, new WebhookSender.Policy(Duration.ZERO, 1, 50_000,
                Duration.ofMillis(500), Duration.ofMinutes(1), 8, Duration.ofMinutes(10), Duration.ofSeconds(10),
                properties.webhookAllowedHosts(), "hub.sandbox.google.webhook-allowed-hosts"), clock);
    }

    static boolean isValidName(String name) {
        return name.isEmpty() || NAME.matcher(name).matches();
    }

    /** The domain of that name, made and seeded on first use. */
    DriveDomain domain(String name) {
        return domains.get(name, "");
    }

    DriveDomain find(String name) {
        return domains.find(name);
    }

    /** A fresh domain with {@code files} seeded files; page tokens and channels of the old one lapse. */
    DriveDomain reset(String name, int files) {
        return domains.replace(name, old -> {
            long first = FIRST_SEQ;
            if (old != null) {
                old.closeChannels();
                first = old.startPageToken() + 1000;
            }
            tokens.expireAccess(name);
            return seeded(name, first, files);
        });
    }

    private DriveDomain seeded(String name, long firstSeq, int files) {
        DriveDomain domain = new DriveDomain(name, firstSeq, properties, clock);
        seed.fill(domain, files, clock.instant());
        return domain;
    }

    /** The domain an email address belongs to ({@code x@sandbox.example}: the default; {@code x@acme.sandbox.example}: acme), or null. */
    static String domainOfEmail(String email) {
        if (email == null) {
            return null;
        }
        int at = email.indexOf('@');
        String host = at < 0 ? email : email.substring(at + 1);
        host = host.toLowerCase(java.util.Locale.ROOT);
        if (host.equals(DEFAULT_EMAIL_DOMAIN)) {
            return "";
        }
        String suffix = "." + DEFAULT_EMAIL_DOMAIN;
        if (host.endsWith(suffix)) {
            String name = host.substring(0, host.length() - suffix.length());
            return NAME.matcher(name).matches() ? name : null;
        }
        return null;
    }

    /** The domain a static refresh token names, or null for another token. */
    static String domainOfRefreshToken(String token) {
        Matcher m = token == null ? null : REFRESH.matcher(token);
        if (m == null || !m.matches()) {
            return null;
        }
        return m.group(1) == null ? "" : m.group(1);
    }

    private static KeyPair serviceAccountKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no RSA", e);
        }
    }

    String issueAccess(String domain, String refreshToken) {
        return tokens.issueAccess("ya29.a0" + TokenText.urlSafe(40), domain, refreshToken, properties.tokenTtl());
    }

    RSAPublicKey publicKey() {
        return (RSAPublicKey) serviceAccountKey.obtain().getPublic();
    }

    /** The service account's key file, its {@code token_uri} at this sandbox's token endpoint. */
    Map<String, Object> serviceAccountJson(String tokenUri) {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).encodeToString(serviceAccountKey.obtain().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("type", "service_account");
        key.put("project_id", "sandbox-project");
        key.put("private_key_id", privateKeyId);
        key.put("private_key", pem);
        key.put("client_email", SERVICE_ACCOUNT_EMAIL);
        key.put("client_id", "100000000000000000001");
        key.put("auth_uri", tokenUri.replaceFirst("/token$", "/auth"));
        key.put("token_uri", tokenUri);
        key.put("auth_provider_x509_cert_url", "https://www.googleapis.com/oauth2/v1/certs");
        key.put("client_x509_cert_url", "https://www.googleapis.com/robot/v1/metadata/x509/" + SERVICE_ACCOUNT_EMAIL);
        key.put("universe_domain", "googleapis.com");
        return key;
    }

    URI destination(String address, int ownPort) {
        return sender.destination(address, ownPort);
    }

    /** Opens a channel's notification queue and sends its {@code sync} message. */
    void open(DriveDomain.Channel channel) {
        channel.queue = sender.open("Drive channel " + channel.id, channel.address, new ChannelFormat(channel));
        channel.queue.enqueue(new DriveDomain.Notification(channel, "sync", channel.messages.incrementAndGet(), null));
    }

    /** Notification headers: the channel's id and token, its resource, the state and the message number. */
    private static final class ChannelFormat implements WebhookSender.Format<DriveDomain.Notification> {
        private final DriveDomain.Channel channel;
        private volatile DriveDomain.Notification current;

        ChannelFormat(DriveDomain.Channel channel) {
            this.channel = channel;
        }

        @Override
        public byte[] body(List<WebhookSender.Attempt<DriveDomain.Notification>> batch) {
            current = batch.get(0).item();
            return new byte[0];
        }

        @Override
        public Map<String, String> headers(URI url, byte[] body, Instant sentAt) {
            DriveDomain.Notification n = current;
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("X-Goog-Channel-ID", channel.id);
            if (channel.token != null) {
                headers.put("X-Goog-Channel-Token", channel.token);
            }
            headers.put("X-Goog-Channel-Expiration", HTTP_DATE.format(channel.expiration));
            headers.put("X-Goog-Resource-ID", channel.resourceId);
            headers.put("X-Goog-Resource-URI", "https://www.googleapis.com/drive/v3/changes?alt=json&pageToken="
                    + (n == null || n.pageToken() == null ? "" : n.pageToken()));
            headers.put("X-Goog-Resource-State", n == null ? "change" : n.state());
            headers.put("X-Goog-Message-Number", Long.toString(n == null ? channel.messages.get() : n.number()));
            return headers;
        }
    }

    int shutdown() {
        return sender.shutdown();
    }
}
