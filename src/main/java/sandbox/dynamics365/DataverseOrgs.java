package sandbox.dynamics365;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sandbox.kit.Population;
import sandbox.kit.RateWindow;

/**
 * The sandbox's orgs: the default one at {@code /sandbox/dynamics365/}, and one per name at
 * {@code /sandbox/dynamics365/<name>/}, created and seeded on first use so tests work in isolation. Named orgs are
 * bounded (hub.sandbox.dynamics365.max-orgs): a new one evicts the org unused longest once it has been unused for
 * org-idle-after, and is refused when none has.
 */
final class DataverseOrgs {

    static final String DEFAULT = "";
    /** Lower-case letters, digits and dashes, as an environment's URL name; "api" and "setup" are paths of their own. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final Set<String> RESERVED = Set.of("api", "setup");
    private static final Logger LOG = LoggerFactory.getLogger(DataverseOrgs.class);
    /** Row versions of a new org start here (above any earlier org of the same name, after a reset). */
    private static final long FIRST_VERSION = 1_000_000L;

    /** An org and the service protection of its users. */
    record Held(DataverseOrg org, Map<String, ServiceProtection> users) {
    }

    private final DynamicsSandboxProperties properties;
    private final DataverseSeed seed;
    private final Clock clock;
    private final Map<String, Held> byName = new ConcurrentHashMap<>();
    private final Map<String, Long> lastUsed = new ConcurrentHashMap<>();
    /** The rate limit each org's users get, where setup changed it from the configured one. */
    private final Map<String, Limit> limits = new ConcurrentHashMap<>();

    /** Requests per user per window; 0 requests is off. */
    record Limit(int requests, Duration window) {
    }

    DataverseOrgs(DynamicsSandboxProperties properties, Population population, Clock clock) {
        this.properties = properties;
        this.seed = new DataverseSeed(population);
        this.clock = clock;
    }

    static boolean isValidName(String name) {
        return name.isEmpty() || NAME.matcher(name).matches() && !RESERVED.contains(name);
    }

    /** An existing org, or null; finding one counts as using it. */
    DataverseOrg find(String name) {
        Held held = byName.get(name);
        if (held == null) {
            return null;
        }
        lastUsed.put(name, clock.millis());
        return held.org();
    }

    /**
     * The org of that name, created and seeded on first use.
     *
     * @throws OrgLimitReached when a new org would pass max-orgs and no org is idle
     */
    DataverseOrg org(String name) {
        DataverseOrg existing = find(name);
        if (existing != null) {
            return existing;
        }
        synchronized (this) {
            existing = find(name);
            if (existing != null) {
                return existing;
            }
            if (!name.isEmpty()) {
                makeRoom(name);
            }
            return put(name, FIRST_VERSION, properties.accounts());
        }
    }

    /** Replaces an org by a freshly seeded one with {@code accounts} accounts; its delta tokens and ETags lapse. */
    synchronized DataverseOrg reset(String name, int accounts) {
        Held old = byName.get(name);
        long after = old == null ? FIRST_VERSION : old.org().currentVersion() + 1;
        return put(name, after, accounts);
    }

    private DataverseOrg put(String name, long firstVersion, int accounts) {
        DataverseOrg org = new DataverseOrg(name, clock, firstVersion);
        seed.fill(org, accounts, clock.instant());
        Held previous = byName.get(name);
        byName.put(name, new Held(org, previous == null ? new ConcurrentHashMap<>() : previous.users()));
        lastUsed.put(name, clock.millis());
        return org;
    }

    /** The service protection of one user (a token's object id) in an org. */
    ServiceProtection protection(DataverseOrg org, String user) {
        Held held = byName.get(org.name());
        Map<String, ServiceProtection> users = held == null ? new ConcurrentHashMap<>() : held.users();
        return users.computeIfAbsent(user, u -> {
            Limit limit = limit(org);
            return new ServiceProtection(clock, limit.requests(), limit.window());
        });
    }

    /** Every user's request window in an org. */
    List<RateWindow> windows(DataverseOrg org) {
        Held held = byName.get(org.name());
        return held == null ? List.of() : held.users().values().stream().map(ServiceProtection::requests).toList();
    }

    /** The per-user rate limit of an org. */
    Limit limit(DataverseOrg org) {
        return limits.getOrDefault(org.name(), new Limit(properties.rateLimit(), properties.rateWindow()));
    }

    /** Sets an org's per-user rate limit (0 is off) and window, for its users now and to come. */
    void configureLimit(DataverseOrg org, Limit limit) {
        limits.put(org.name(), limit);
        windows(org).forEach(w -> w.configure(limit.requests(), limit.window()));
    }

    /** Calls refused with 429 in an org, all users together. */
    long violations(DataverseOrg org) {
        return windows(org).stream().mapToLong(RateWindow::violations).sum();
    }

    private void makeRoom(String name) {
        long named = byName.keySet().stream().filter(n -> !n.isEmpty()).count();
        if (named < properties.maxOrgs()) {
            return;
        }
        long idleBefore = clock.millis() - properties.orgIdleAfter().toMillis();
        Optional<String> idlest = byName.keySet().stream().filter(n -> !n.isEmpty())
                .filter(n -> lastUsed.getOrDefault(n, Long.MIN_VALUE) <= idleBefore)
                .min(Comparator.comparingLong(n -> lastUsed.getOrDefault(n, Long.MIN_VALUE)));
        if (idlest.isEmpty()) {
            throw new OrgLimitReached("The Dynamics 365 sandbox holds its maximum of " + properties.maxOrgs()
                    + " orgs (hub.sandbox.dynamics365.max-orgs), none unused for " + properties.orgIdleAfter()
                    + " (hub.sandbox.dynamics365.org-idle-after): org '" + name + "' cannot be made now");
        }
        byName.remove(idlest.get());
        lastUsed.remove(idlest.get());
        limits.remove(idlest.get());
        LOG.info("Dynamics 365 sandbox evicted org '{}', unused for {} or more, to make room for '{}'", idlest.get(),
                properties.orgIdleAfter(), name);
    }

    /** A new org would pass max-orgs and no org is idle enough to make room. */
    static final class OrgLimitReached extends RuntimeException {
        OrgLimitReached(String message) {
            super(message);
        }
    }
}
