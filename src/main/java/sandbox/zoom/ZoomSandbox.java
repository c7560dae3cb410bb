package sandbox.zoom;

import jakarta.annotation.PreDestroy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import sandbox.kit.AccessTokens;
import sandbox.kit.Hmac;
import sandbox.kit.IssuedTokens;
import sandbox.kit.Population;
import sandbox.kit.TokenText;
import sandbox.kit.WebhookSender;
import sandbox.kit.Workspaces;

/**
 * The Zoom sandbox's state: its accounts (the default one, {@code sandbox-account}, and named ones,
 * {@code sandbox-account-<name>}, made on first use), the OAuth server's tokens (Server-to-Server tokens from
 * {@code account_credentials}, and authorization-code tokens with refresh tokens that rotate: each works once), and
 * each account's event subscription: where its events go, signed with the secret token, and the
 * {@code endpoint.url_validation} challenge sent when it is saved and again every {@code revalidate-every}
 * (6 failed ones in a row and the subscription is disabled, as Zoom does).
 */
final class ZoomSandbox implements ZoomAccount.Listener {

    static final String CLIENT_ID = "sandbox-client";
    static final String CLIENT_SECRET = "sandbox-secret";
    static final String ACCOUNT = "sandbox-account";
    static final String WEBHOOK_SECRET = "sandbox-webhook-secret";
    static final String SCOPES = "cloud_recording:read:list_user_recordings:admin cloud_recording:read:list_recording_files:admin"
            + " cloud_recording:delete:meeting_recording:admin user:read:list_users:admin";
    static final int MAX_VALIDATION_FAILURES = 6;
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final Workspaces.Naming NAMING = new Workspaces.Naming("Zoom sandbox", "account", "hub.sandbox.zoom");

    /** An account's event subscription (the app's Event Subscriptions page): endpoint, secret token, validation state. */
    static final class Subscription {
        final URI url;
        final String secretToken;
        final List<String> events;
        final Duration revalidateEvery;
        WebhookSender.Queue<Map<String, Object>> deliveries;
        WebhookSender.Queue<String> challenges;
        volatile String challenge;
        volatile boolean validated;
        volatile boolean disabled;
        volatile Instant lastValidationAt;
        volatile boolean validationPending;
        volatile int consecutiveFailures;
        volatile long validationsSent;
        volatile long validationsPassed;

        Subscription(URI url, String secretToken, List<String> events, Duration revalidateEvery) {
            this.url = url;
            this.secretToken = secretToken;
            this.events = events;
            this.revalidateEvery = revalidateEvery;
        }

        boolean wants(String event) {
            return events.isEmpty() || events.contains(event);
        }
    }

    final ZoomSandboxProperties properties;
    private final Clock clock;
    private final Population population;
    private final Workspaces<ZoomAccount> accounts;
    private final AccessTokens tokens;
    private final WebhookSender sender;
    private final WebhookSender validator;
    private final ScheduledExecutorService ticker;
    private final Map<ZoomAccount, Subscription> subscriptions = Collections.synchronizedMap(new WeakHashMap<>());
    private final Map<ZoomAccount, Duration> tokenTtls = Collections.synchronizedMap(new WeakHashMap<>());

    ZoomSandbox(ZoomSandboxProperties properties, Clock clock) {
        this(properties, clock, clock);
    }

    /** With the deliveries' timers on {@code webhookClock} (the real one, when a test moves {@code clock} by hand). */
    ZoomSandbox(ZoomSandboxProperties properties, Clock clock, Clock webhookClock) {
        this.properties = properties;
        this.clock = clock;
        this.population = new Population(properties.seed(), Population.DEFAULT_SHARED_SHARE);
        this.accounts = new Workspaces<>(NAMING, new Workspaces.Limits(properties.maxAccounts(), properties.maxAccountsPerClient(),
                properties.accountIdleAfter()), clock, name -> create(name, properties.meetings()),
                Workspaces.Refusal.withHint("use account_id " + ACCOUNT + " or " + ACCOUNT + "-<name>"));
        this.tokens = new AccessTokens(clock);
        this.sender = new WebhookSender("sandbox-zoom-webhooks", 2, new WebhookSender.Policy(Duration.ofMillis(20), 1, 50_000,
                properties.webhookRetryInitial(), properties.webhookRetryMax(), properties.webhookMaxAttempts(), Duration.ofHours(2),
                properties.webhookTimeout(), properties.webhookAllowedHosts(), "hub.sandbox.zoom.webhook-allowed-hosts"), webhookClock);
        // a challenge is sent once: the next one comes at the next validation
        this.validator = new WebhookSender("sandbox-zoom-validation", 1, new WebhookSender.Policy(Duration.ZERO, 1, 100,
                properties.webhookRetryInitial(), properties.webhookRetryMax(), 1, Duration.ofMinutes(5), properties.webhookTimeout(),
                properties.webhookAllowedHosts(), "hub.sandbox.zoom.webhook-allowed-hosts"), webhookClock);
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sandbox-zoom-revalidation");
            t.setDaemon(true);
            return t;
        });
        this.ticker.scheduleWithFixedDelay(this::revalidateDue, 200, 200, TimeUnit.MILLISECONDS);
    }

    private ZoomAccount create(String name, int meetings) {
        return new ZoomAccount(name, properties, meetings, population, clock, this);
    }

    Clock clock() {
        return clock;
    }

    /** The account name an {@code account_id} stands for ("" for the default), or null. */
    static String nameOfAccountId(String accountId) {
        if (ACCOUNT.equals(accountId)) {
            return "";
        }
        if (accountId != null && accountId.startsWith(ACCOUNT + "-") && NAME.matcher(accountId.substring(ACCOUNT.length() + 1)).matches()) {
            return accountId.substring(ACCOUNT.length() + 1);
        }
        return null;
    }

    static String accountIdOf(ZoomAccount account) {
        return account.name.isEmpty() ? ACCOUNT : ACCOUNT + "-" + account.name;
    }

    /** The account of an {@code account_id}, made on first use; null when the id names none. */
    ZoomAccount account(String accountId, String client) {
        String name = nameOfAccountId(accountId);
        if (name == null) {
            return null;
        }
        try {
            return accounts.get(name, client);
        } catch (Workspaces.Full e) {
            throw ZoomApiException.oauth(400, "invalid_request", e.getMessage());
        }
    }

    /** The caller's account from its bearer token; 401 code 124 when the token is unknown or expired. */
    ZoomAccount authenticate(String token) {
        String name = token == null ? null : tokens.workspaceOf(token);
        ZoomAccount account = name == null ? null : accounts.find(name);
        if (account == null) {
            IssuedTokens.Issued<AccessTokens.Access> known = token == null ? null : tokens.access(token);
            throw known != null ? ZoomApiException.expiredToken() : ZoomApiException.invalidToken();
        }
        return account;
    }

    // ------------------------------------------------------------------ OAuth

    Duration tokenTtl(ZoomAccount account) {
        return tokenTtls.getOrDefault(account, properties.accessTokenTtl());
    }

    void tokenTtl(ZoomAccount account, Duration ttl) {
        tokenTtls.put(account, ttl);
    }

    /** A Server-to-Server token: no refresh token; several may be live at once. */
    String issueAccess(ZoomAccount account, String fromRefresh) {
        return tokens.issueAccess("eyJ" + TokenText.urlSafe(60), account.name, fromRefresh, tokenTtl(account));
    }

    String issueRefresh(ZoomAccount account) {
        return tokens.issueRefresh("eyJ" + TokenText.urlSafe(72), account.name);
    }

    String issueCode(ZoomAccount account, String redirectUri, String challenge, String method) {
        return tokens.issueCode(TokenText.urlSafe(32), account.name, redirectUri, challenge, method);
    }

    AccessTokens.Code redeemCode(String code) {
        return tokens.redeemCode(code);
    }

    /** Rotation: the refresh token works once; its account, or null. */
    String takeRefresh(String token) {
        return tokens.takeRefresh(token);
    }

    ZoomAccount find(String name) {
        return accounts.find(name);
    }

    int expireAccess(ZoomAccount account) {
        return tokens.expireAccess(account.name);
    }

    /** The account seeded anew with {@code meetings} recordings; its subscription stays. */
    ZoomAccount reset(ZoomAccount account, int meetings) {
        Subscription subscription = subscriptions.remove(account);
        ZoomAccount fresh = accounts.replace(account.name, old -> create(account.name, meetings));
        if (subscription != null) {
            subscriptions.put(fresh, subscription);
        }
        return fresh;
    }

    // ------------------------------------------------------------------ webhooks

    URI destination(String url, int ownPort) {
        return sender.destination(url, ownPort);
    }

    /** Saves the account's endpoint: the challenge goes at once; events go once it has been answered right. */
    Subscription subscribe(ZoomAccount account, URI url, String secretToken, List<String> events, Duration revalidateEvery) {
        Subscription s = new Subscription(url, secretToken, List.copyOf(events), revalidateEvery == null ? properties.revalidateEvery()
                : revalidateEvery);
        s.deliveries = sender.open("zoom events to " + url, url, new EventFormat(s, clock));
        s.challenges = validator.open("zoom validation of " + url, url, new ChallengeFormat(s, this));
        Subscription previous = subscriptions.put(account, s);
        if (previous != null) {
            previous.deliveries.close();
            previous.challenges.close();
        }
        validate(s);
        return s;
    }

    Subscription subscription(ZoomAccount account) {
        return subscriptions.get(account);
    }

    boolean unsubscribe(ZoomAccount account) {
        Subscription s = subscriptions.remove(account);
        if (s == null) {
            return false;
        }
        s.deliveries.close();
        s.challenges.close();
        return true;
    }

    /** Sends the {@code endpoint.url_validation} challenge now. */
    void validate(Subscription s) {
        s.validationPending = true;
        s.lastValidationAt = clock.instant();
        s.validationsSent++;
        s.challenges.enqueue(TokenText.urlSafe(16));
    }

    private void revalidateDue() {
        try {
            Instant now = clock.instant();
            List<Subscription> all;
            synchronized (subscriptions) {
                all = List.copyOf(subscriptions.values());
            }
            for (Subscription s : all) {
                if (s.validationPending && s.lastValidationAt != null
                        && now.isAfter(s.lastValidationAt.plus(properties.webhookTimeout()).plusSeconds(5))) {
                    // the challenge got no answer at all
                    validated(s, false);
                }
                if (!s.disabled && !s.validationPending && s.lastValidationAt != null
                        && !s.lastValidationAt.plus(s.revalidateEvery).isAfter(now)) {
                    validate(s);
                }
            }
        } catch (RuntimeException e) {
            // the next tick tries again
        }
    }

    /** What the endpoint answered to a challenge: right (200 or 204 with the token pair) or not. */
    void validated(Subscription s, boolean passed) {
        s.validationPending = false;
        if (passed) {
            s.validated = true;
            s.consecutiveFailures = 0;
            s.validationsPassed++;
        } else if (++s.consecutiveFailures >= MAX_VALIDATION_FAILURES) {
            s.disabled = true;
        }
    }

    @Override
    public void changed(ZoomAccount account, String event, ZoomAccount.Meeting meeting, ZoomAccount.User operator) {
        Subscription s = sender.stopped() ? null : subscriptions.get(account);
        if (s == null || !s.validated || s.disabled || !s.wants(event)) {
            return;
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("account_id", account.accountId);
        if (operator != null) {
            payload.put("operator", operator.email());
            payload.put("operator_id", operator.id());
        }
        payload.put("object", ZoomRecordingJson.meeting(account, meeting, s.url.getScheme() + "://" + s.url.getAuthority(),
                !event.equals("recording.deleted")));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", event);
        body.put("event_ts", clock.millis());
        if (event.equals("recording.completed")) {
            body.put("download_token", "eyJ" + TokenText.urlSafe(40));
        }
        body.put("payload", payload);
        s.deliveries.enqueue(body);
    }

    /** {@code v0=} + hex HMAC-SHA256(secret token, "v0:" + timestamp + ":" + body). */
    static String signature(String secretToken, String timestamp, byte[] body) {
        return "v0=" + HexFormat.of().formatHex(Hmac.sha256(secretToken, Hmac.utf8("v0:" + timestamp + ":"), body));
    }

    private static Map<String, String> headers(Subscription s, byte[] body, Instant sentAt) {
        String timestamp = Long.toString(sentAt.getEpochSecond());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json; charset=utf-8");
        headers.put("User-Agent", "Zoom Marketplace/1.0a");
        headers.put("clientid", CLIENT_ID);
        headers.put("x-zm-request-timestamp", timestamp);
        headers.put("x-zm-signature", signature(s.secretToken, timestamp, body));
        // the same event keeps its tracking id on every retry
        headers.put("x-zm-trackingid", "v=2.0;clid=sandbox;rid=" + HexFormat.of().formatHex(Hmac.digest(body), 0, 12));
        return headers;
    }

    @PreDestroy
    public void shutdown() {
        ticker.shutdownNow();
        sender.shutdown();
        validator.shutdown();
    }

    private record EventFormat(Subscription subscription, Clock clock) implements WebhookSender.Format<Map<String, Object>> {
        @Override
        public byte[] body(List<WebhookSender.Attempt<Map<String, Object>>> batch) {
            return ZoomJson.bytes(batch.get(0).item());
        }

        @Override
        public Map<String, String> headers(URI to, byte[] body, Instant sentAt) {
            return ZoomSandbox.headers(subscription, body, sentAt);
        }
    }

    /** The challenge: {@code plainToken} signed like an event; the answer must carry it and its hex HMAC. */
    private record ChallengeFormat(Subscription subscription, ZoomSandbox sandbox) implements WebhookSender.Format<String> {
        @Override
        public byte[] body(List<WebhookSender.Attempt<String>> batch) {
            String plainToken = batch.get(0).item();
            subscription.challenge = plainToken;
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("payload", Map.of("plainToken", plainToken));
            body.put("event_ts", sandbox.clock.millis());
            body.put("event", "endpoint.url_validation");
            return ZoomJson.bytes(body);
        }

        @Override
        public Map<String, String> headers(URI to, byte[] body, Instant sentAt) {
            return ZoomSandbox.headers(subscription, body, sentAt);
        }

        @Override
        public String refusal(int status, byte[] body) {
            String why = null;
            if (status != 200 && status != 204) {
                why = "HTTP " + status;
            } else {
                try {
                    JsonNode answer = ZoomJson.MAPPER.readTree(body);
                    String expected = HexFormat.of().formatHex(Hmac.sha256(subscription.secretToken,
                            subscription.challenge.getBytes(StandardCharsets.UTF_8)));
                    if (answer == null || !subscription.challenge.equals(answer.path("plainToken").asText())
                            || !expected.equals(answer.path("encryptedToken").asText())) {
                        why = "the answer does not carry the plainToken and its encryptedToken";
                    }
                } catch (java.io.IOException | RuntimeException e) {
                    why = "the answer is not JSON";
                }
            }
            sandbox.validated(subscription, why == null);
            return why;
        }
    }
}
