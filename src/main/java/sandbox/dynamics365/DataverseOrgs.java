package sandbox.dynamics365;

import java.time.Clock;
import java.util.Set;
import java.util.regex.Pattern;

import sandbox.kit.Population;
import sandbox.kit.Workspaces;

/**
 * The sandbox's orgs: the default one at {@code /sandbox/dynamics365/}, and one per name at
 * {@code /sandbox/dynamics365/<name>/}, created and seeded on first use so tests work in isolation. Named orgs are the
 * kit's {@link Workspaces}, bounded (hub.sandbox.dynamics365.max-orgs, org-idle-after); past the bound a new one is
 * refused with {@link Workspaces.Full}.
 */
final class DataverseOrgs {

    static final String DEFAULT = Workspaces.DEFAULT;
    /** Lower-case letters, digits and dashes, as an environment's URL name; "api" and "setup" are paths of their own. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final Set<String> RESERVED = Set.of("api", "setup");
    /** Row versions of a new org start here (above any earlier org of the same name, after a reset). */
    private static final long FIRST_VERSION = 1_000_000L;
    private static final Workspaces.Naming NAMING = new Workspaces.Naming("Dynamics 365 sandbox", "org",
            "hub.sandbox.dynamics365");

    private final DynamicsSandboxProperties properties;
    private final DataverseSeed seed;
    private final Clock clock;
    private final Workspaces<DataverseOrg> orgs;

    DataverseOrgs(DynamicsSandboxProperties properties, Population population, Clock clock) {
        this.properties = properties;
        this.seed = new DataverseSeed(population);
        this.clock = clock;
        this.orgs = new Workspaces<>(NAMING, new Workspaces.Limits(properties.maxOrgs(), Integer.MAX_VALUE,
                properties.orgIdleAfter()), clock,
                name -> seeded(name, FIRST_VERSION, new ServiceProtection(clock, properties), properties.accounts()),
                (naming, limits, cap, name) -> "The Dynamics 365 sandbox holds its maximum of " + limits.max() + " orgs ("
                        + naming.maxProperty() + "), none unused for " + limits.idleAfter() + " ("
                        + naming.idleAfterProperty() + "): org '" + name + "' cannot be made now");
    }

    static boolean isValidName(String name) {
        return name.isEmpty() || NAME.matcher(name).matches() && !RESERVED.contains(name);
    }

    /** An existing org, or null; finding one counts as using it. */
    DataverseOrg find(String name) {
        return orgs.find(name);
    }

    /**
     * The org of that name, created and seeded on first use.
     *
     * @throws Workspaces.Full when a new org would pass max-orgs and no org is idle
     */
    DataverseOrg org(String name) {
        return orgs.get(name, "");
    }

    /**
     * Replaces an org by a freshly seeded one with {@code accounts} accounts; its delta tokens and ETags lapse. Its
     * users' rate limits and windows stay; its own latency goes back to the configured one.
     */
    DataverseOrg reset(String name, int accounts) {
        return orgs.replace(name, old -> {
            if (old == null) {
                return seeded(name, FIRST_VERSION, new ServiceProtection(clock, properties), accounts);
            }
            old.protection().calls().overrideLatency(null);
            return seeded(name, old.currentVersion() + 1, old.protection(), accounts);
        });
    }

    private DataverseOrg seeded(String name, long firstVersion, ServiceProtection protection, int accounts) {
        DataverseOrg org = new DataverseOrg(name, clock, firstVersion, protection);
        seed.fill(org, accounts, clock.instant());
        return org;
    }
}
