package sandbox.gong;

import jakarta.annotation.PreDestroy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import sandbox.kit.AccessTokens;
import sandbox.kit.CallAdmission;
import sandbox.kit.Population;
import sandbox.kit.TokenText;
import sandbox.kit.Workspaces;

/**
 * The Gong sandbox's state: its companies (the default one behind the access key {@code sandbox-key}, named ones behind
 * {@code sandbox-key-<name>}, both with the secret {@code sandbox-secret}, or an OAuth login naming them), and the OAuth
 * app's tokens: access tokens that stop working after {@code access-token-ttl}, refresh tokens that work once (Gong's
 * refresh tokens are single-use), and each company's automation rule ({@link GongAutomationRules}).
 */
final class GongSandbox {

    static final String ACCESS_KEY = "sandbox-key";
    static final String ACCESS_KEY_SECRET = "sandbox-secret";
    static final String CLIENT_ID = "sandbox-client";
    static final String CLIENT_SECRET = "sandbox-secret";
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final Pattern NAMED_KEY = Pattern.compile(Pattern.quote(ACCESS_KEY) + "-(" + NAME.pattern() + ")");
    private static final Workspaces.Naming NAMING = new Workspaces.Naming("Gong sandbox", "company", "hub.sandbox.gong");

    /** Basic credentials as given: the access key (or client id) and its secret; null parts when absent. */
    record Basic(String key, String secret) {
    }

    final GongSandboxProperties properties;
    private final Clock clock;
    private final Population population;
    private final Workspaces<GongCompany> companies;
    private final AccessTokens tokens;
    final GongAutomationRules rules;

    GongSandbox(GongSandboxProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
        this.population = new Population(properties.seed(), Population.DEFAULT_SHARED_SHARE);
        this.companies = new Workspaces<>(NAMING, new Workspaces.Limits(properties.maxCompanies(), properties.maxCompaniesPerClient(),
                properties.companyIdleAfter()), clock, name -> create(name, properties.calls(), properties.accounts()),
                Workspaces.Refusal.withHint("use a company that exists or the default one (" + ACCESS_KEY + ")"));
        this.tokens = new AccessTokens(clock);
        // webhook timers run on real time, even where the sandbox's clock is moved by hand (tests)
        this.rules = new GongAutomationRules(properties, Clock.systemUTC());
    }

    @PreDestroy
    public void shutdown() {
        rules.shutdown();
    }

    private GongCompany create(String name, int calls, int accounts) {
        return new GongCompany(name, properties, calls, accounts, population, clock);
    }

    /** The company of an access key ("" for the default), or null when the key is none of the sandbox's. */
    static String nameOfKey(String key) {
        if (ACCESS_KEY.equals(key)) {
            return "";
        }
        Matcher named = key == null ? null : NAMED_KEY.matcher(key);
        return named != null && named.matches() ? named.group(1) : null;
    }

    /** The Basic credentials of an Authorization header, or null when it is not Basic (or not decodable). */
    static Basic basic(String authorization) {
        String encoded = AccessTokens.bearer(authorization, "Basic");
        if (encoded == null) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded.trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? new Basic(decoded, null) : new Basic(decoded.substring(0, colon), decoded.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            return new Basic(null, null);
        }
    }

    /**
     * The caller's company: Basic with an access key of the sandbox and its secret (the company made on first use), or
     * Bearer with a live OAuth access token; 401 otherwise (an expired token too).
     */
    GongCompany company(String authorization, String client) {
        return company(authorization, client, false);
    }

    /** As {@link #company}, for the setup API: a revoked access key still sets its company up. */
    GongCompany setupCompany(String authorization, String client) {
        return company(authorization, client, true);
    }

    private GongCompany company(String authorization, String client, boolean setup) {
        Basic basic = basic(authorization);
        if (basic != null) {
            String name = nameOfKey(basic.key());
            if (name == null || !ACCESS_KEY_SECRET.equals(basic.secret())) {
                throw GongApiException.unauthorized();
            }
            GongCompany w;
            try {
                w = companies.get(name, client);
            } catch (Workspaces.Full e) {
                throw new GongApiException(401, e.getMessage());
            }
            if (w.keyRevoked && !setup) {
                throw GongApiException.unauthorized();
            }
            return w;
        }
        String token = AccessTokens.bearer(authorization, "Bearer");
        String name = token == null ? null : tokens.workspaceOf(token);
        GongCompany w = name == null ? null : companies.find(name);
        if (w == null) {
            throw GongApiException.unauthorized();
        }
        return w;
    }

    /** Admits one API call of the company: 429 with Retry-After past the second's or the day's window. */
    static CallAdmission.Admission admit(GongCompany w) {
        CallAdmission.Admission admission = w.calls.admit(GongCompany.SECOND, GongCompany.DAY);
        if (!admission.allowed()) {
            String which = GongCompany.DAY.equals(admission.refusedBy()) ? "daily" : "per-second";
            throw new GongApiException(429, "API request limit exceeded (" + which + " limit)", Math.max(1, admission.retryAfterSeconds()));
        }
        return admission;
    }

    /** The company of a login (the authorize page's {@code login_hint}: none or a company name); null for a bad name. */
    GongCompany login(String hint, String client) {
        String name = hint == null || hint.isBlank() ? "" : hint.trim();
        if (!name.isEmpty() && !NAME.matcher(name).matches()) {
            return null;
        }
        return companies.get(name, client);
    }

    GongCompany find(String name) {
        return companies.find(name);
    }

    /** The company seeded anew with this many calls with the first {@code accounts} companies (every change dropped). */
    GongCompany reset(GongCompany w, int calls, int accounts) {
        return companies.replace(w.name, old -> create(w.name, calls, accounts));
    }

    // ------------------------------------------------------------------ OAuth

    String issueCode(GongCompany w, String redirectUri) {
        return tokens.issueCode(UUID.randomUUID().toString(), w.name, redirectUri, null, null);
    }

    AccessTokens.Code redeemCode(String code) {
        return tokens.redeemCode(code);
    }

    /** A new access and refresh token pair for the company. */
    Map<String, String> issuePair(String company) {
        String refresh = tokens.issueRefresh("eyJhbGciOiJIUzI1NiJ9." + TokenText.urlSafe(40), company);
        String access = tokens.issueAccess("eyJhbGciOiJIUzI1NiJ9." + TokenText.urlSafe(48), company, refresh, properties.accessTokenTtl());
        return Map.of("access", access, "refresh", refresh);
    }

    /** Takes a refresh token (single use); the company it was for, or null when it is unknown or used. */
    String takeRefresh(String token) {
        return tokens.takeRefresh(token);
    }

    int expireAccess(GongCompany w) {
        return tokens.expireAccess(w.name);
    }

    Duration accessTokenTtl() {
        return properties.accessTokenTtl();
    }
}
