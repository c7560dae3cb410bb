package sandbox.salesforce;

import java.time.Clock;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's orgs: the default one for {@code admin@sandbox.example}, and one per name for
 * {@code admin+<name>@sandbox.example}, created and seeded on first use so tests can work in isolation.
 */
public final class SandboxOrgs {

    public static final String DEFAULT_USERNAME = "admin@sandbox.example";
    public static final String PASSWORD = "sandbox";
    private static final Pattern NAMED_USER = Pattern.compile("admin\\+([a-z0-9-]{1,40})@sandbox\\.example");
    private static final String DEFAULT_ORG_CODE = "5A";
    private static final Logger LOG = LoggerFactory.getLogger(SandboxOrgs.class);

    private final SalesforceSandboxProperties properties;
    private final SandboxDataGenerator generator;
    private final Clock clock;
    private final SalesforceChangeListener listener;
    private final Map<String, SandboxOrg> byName = new ConcurrentHashMap<>();
    private final Set<String> codesInUse = new HashSet<>();

    public SandboxOrgs(SalesforceSandboxProperties properties, SalesforceChangeListener listener, Clock clock) {
        this.properties = properties;
        this.generator = new SandboxDataGenerator();
        this.clock = clock;
        this.listener = listener;
    }

    /** The org a username logs into, created on first use; empty for an unknown username or when full. */
    public Optional<SandboxOrg> forUsername(String username) {
        if (username == null) {
            return Optional.empty();
        }
        String lower = username.toLowerCase(Locale.ROOT);
        if (lower.equals(DEFAULT_USERNAME)) {
            return Optional.of(org(""));
        }
        Matcher named = NAMED_USER.matcher(lower);
        return named.matches() ? Optional.ofNullable(org(named.group(1))) : Optional.empty();
    }

    /** An existing org by name ("" for the default), or null. */
    public SandboxOrg find(String name) {
        return byName.get(name);
    }

    public SandboxOrg defaultOrg() {
        return org("");
    }

    private SandboxOrg org(String name) {
        SandboxOrg existing = byName.get(name);
        if (existing != null) {
            return existing;
        }
        synchronized (this) {
            existing = byName.get(name);
            if (existing != null) {
                return existing;
            }
            long named = byName.keySet().stream().filter(n -> !n.isEmpty()).count();
            if (!name.isEmpty() && named >= properties.maxOrgs()) {
                LOG.warn("Salesforce sandbox holds {} named orgs (hub.sandbox.salesforce.max-orgs); refusing login to '{}'",
                        properties.maxOrgs(), name);
                return null;
            }
            String code = name.isEmpty() ? DEFAULT_ORG_CODE : codeFor(name);
            codesInUse.add(code);
            String username = name.isEmpty() ? DEFAULT_USERNAME : "admin+" + name + "@sandbox.example";
            SandboxOrg org = new SandboxOrg(name, code, username, properties.accounts(), generator, clock, listener);
            org.rateLimit().configure(properties.rateLimit(), properties.rateWindow());
            byName.put(name, org);
            return org;
        }
    }

    /** A stable code from the name, probing past codes already taken, so an org's ids survive restarts. */
    private String codeFor(String name) {
        int slot = Math.floorMod(name.hashCode(), 62 * 62);
        while (true) {
            String code = "" + SalesforceIds.BASE62.charAt(slot / 62) + SalesforceIds.BASE62.charAt(slot % 62);
            if (!code.equals(DEFAULT_ORG_CODE) && !codesInUse.contains(code)) {
                return code;
            }
            slot = (slot + 1) % (62 * 62);
        }
    }
}
