package sandbox.salesforce;

import java.time.Clock;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
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
 * Named orgs are bounded per client and in all (hub.sandbox.salesforce.max-orgs-per-client, max-orgs): a
 * new one evicts the org unused longest once it has been unused for org-idle-after, so a flood of logins
 * under new names cannot push out an org in use nor lock its users out; without an idle org it is refused.
 */
public final class SandboxOrgs {

    public static final String DEFAULT_USERNAME = "admin@sandbox.example";
    public static final String PASSWORD = "sandbox";
    private static final Pattern NAMED_USER = Pattern.compile("admin\\+([a-z0-9-]{1,40})@sandbox\\.example");
    private static final String DEFAULT_ORG_CODE = "5A";
    /** The client of logins from this process (tests, the hub's own wiring). */
    private static final String IN_PROCESS = "in-process";
    private static final Logger LOG = LoggerFactory.getLogger(SandboxOrgs.class);

    private final SalesforceSandboxProperties properties;
    private final SandboxDataGenerator generator;
    private final Clock clock;
    private final SalesforceChangeListener listener;
    private final Map<String, SandboxOrg> byName = new ConcurrentHashMap<>();
    /** When each org was last used (epoch milliseconds), and which client made it. */
    private final Map<String, Long> lastUsed = new ConcurrentHashMap<>();
    private final Map<String, String> clientOf = new ConcurrentHashMap<>();
    private final Set<String> codesInUse = new HashSet<>();

    public SandboxOrgs(SalesforceSandboxProperties properties, SalesforceChangeListener listener, Clock clock) {
        this.properties = properties;
        this.generator = new SandboxDataGenerator();
        this.clock = clock;
        this.listener = listener;
    }

    /**
     * The org a username logs into, created on first use; empty for an unknown username or when no org can be
     * made (for callers in this process, which count as one client).
     */
    public Optional<SandboxOrg> forUsername(String username) {
        try {
            return forUsername(username, IN_PROCESS);
        } catch (OrgLimitReached e) {
            return Optional.empty();
        }
    }

    /**
     * The org a username logs into for a client (its remote address), created on first use; empty for an
     * unknown username.
     *
     * @throws OrgLimitReached when a new org would pass the client's or the sandbox's cap and no org is idle
     */
    public Optional<SandboxOrg> forUsername(String username, String client) {
        if (username == null) {
            return Optional.empty();
        }
        String lower = username.toLowerCase(Locale.ROOT);
        if (lower.equals(DEFAULT_USERNAME)) {
            return Optional.of(org("", client));
        }
        Matcher named = NAMED_USER.matcher(lower);
        return named.matches() ? Optional.of(org(named.group(1), client)) : Optional.empty();
    }

    /** An existing org by name ("" for the default), or null; finding an org counts as using it. */
    public SandboxOrg find(String name) {
        SandboxOrg org = byName.get(name);
        if (org != null) {
            lastUsed.put(name, clock.millis());
        }
        return org;
    }

    public SandboxOrg defaultOrg() {
        return org("", IN_PROCESS);
    }

    /** What every org is seeded from. */
    public SandboxDataGenerator generator() {
        return generator;
    }

    /** Named orgs held now (the default org not counted). */
    public int namedOrgs() {
        return (int) byName.keySet().stream().filter(n -> !n.isEmpty()).count();
    }

    private SandboxOrg org(String name, String client) {
        SandboxOrg existing = find(name);
        if (existing != null) {
            return existing;
        }
        synchronized (this) {
            existing = find(name);
            if (existing != null) {
                return existing;
            }
            if (!name.isEmpty()) {
                makeRoom(name, client);
            }
            String code = name.isEmpty() ? DEFAULT_ORG_CODE : codeFor(name);
            codesInUse.add(code);
            String username = name.isEmpty() ? DEFAULT_USERNAME : "admin+" + name + "@sandbox.example";
            SandboxOrg org = new SandboxOrg(name, code, username, properties.accounts(), generator, clock, listener);
            org.rateLimit().configure(properties.rateLimit(), properties.rateWindow());
            lastUsed.put(name, clock.millis());
            clientOf.put(name, client);
            byName.put(name, org);
            return org;
        }
    }

    /** Evicts an idle org when the client or the sandbox is at its cap; refuses when none is idle. */
    private void makeRoom(String name, String client) {
        List<String> own = clientOf.entrySet().stream().filter(e -> e.getValue().equals(client) && !e.getKey().isEmpty())
                .map(Map.Entry::getKey).toList();
        if (own.size() >= properties.maxOrgsPerClient()) {
            evict(idlest(own).orElseThrow(() -> refused(name, "this client already holds " + properties.maxOrgsPerClient()
                    + " sandbox orgs (hub.sandbox.salesforce.max-orgs-per-client)")));
        }
        if (namedOrgs() >= properties.maxOrgs()) {
            List<String> named = byName.keySet().stream().filter(n -> !n.isEmpty()).toList();
            evict(idlest(named).orElseThrow(() -> refused(name, "the sandbox holds its maximum of " + properties.maxOrgs()
                    + " orgs (hub.sandbox.salesforce.max-orgs)")));
        }
    }

    /** Of the names, the org unused longest, when it has been unused for at least org-idle-after. */
    private Optional<String> idlest(List<String> names) {
        long idleBefore = clock.millis() - properties.orgIdleAfter().toMillis();
        return names.stream().filter(n -> lastUsed.getOrDefault(n, Long.MIN_VALUE) <= idleBefore)
                .min(Comparator.comparingLong(n -> lastUsed.getOrDefault(n, Long.MIN_VALUE)));
    }

    private void evict(String name) {
        SandboxOrg org = byName.remove(name);
        lastUsed.remove(name);
        clientOf.remove(name);
        if (org != null) {
            codesInUse.remove(org.code());
            LOG.info("Salesforce sandbox evicted org '{}', unused for {} or more, to make room for a new one", name,
                    properties.orgIdleAfter());
        }
    }

    private OrgLimitReached refused(String name, String reason) {
        LOG.debug("Salesforce sandbox refused a new org '{}': {}", name, reason);
        return new OrgLimitReached(reason + ", none unused for " + properties.orgIdleAfter().toString().substring(2).toLowerCase(Locale.ROOT)
                + " (hub.sandbox.salesforce.org-idle-after): log into an org that exists or into " + DEFAULT_USERNAME);
    }

    /** A new org would pass a cap and no org is idle enough to make room. */
    public static final class OrgLimitReached extends RuntimeException {
        OrgLimitReached(String message) {
            super(message);
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
