package sandbox.salesforce;

import java.time.Clock;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import sandbox.kit.Workspaces;

/**
 * The sandbox's orgs: the default one for {@code admin@sandbox.example}, and one per name for
 * {@code admin+<name>@sandbox.example}, created and seeded on first use so tests can work in isolation. Named orgs are
 * the kit's {@link Workspaces}, bounded per client and in all (hub.sandbox.salesforce.max-orgs-per-client, max-orgs,
 * org-idle-after); past the bounds a login is refused with {@link Workspaces.Full}.
 */
public final class SandboxOrgs {

    public static final String DEFAULT_USERNAME = "admin@sandbox.example";
    public static final String PASSWORD = "sandbox";
    private static final Pattern NAMED_USER = Pattern.compile("admin\\+([a-z0-9-]{1,40})@sandbox\\.example");
    private static final String DEFAULT_ORG_CODE = "5A";
    /** The client of logins from this process (tests, the hub's own wiring). */
    private static final String IN_PROCESS = "in-process";
    private static final Workspaces.Naming NAMING = new Workspaces.Naming("Salesforce sandbox", "org", "hub.sandbox.salesforce");

    private final SalesforceSandboxProperties properties;
    private final SandboxDataGenerator generator;
    private final Clock clock;
    private final SalesforceChangeListener listener;
    private final Workspaces<SandboxOrg> orgs;

    public SandboxOrgs(SalesforceSandboxProperties properties, SalesforceChangeListener listener, Clock clock) {
        this.properties = properties;
        this.generator = new SandboxDataGenerator();
        this.clock = clock;
        this.listener = listener;
        this.orgs = new Workspaces<>(NAMING, new Workspaces.Limits(properties.maxOrgs(), properties.maxOrgsPerClient(),
                properties.orgIdleAfter()), clock, this::create,
                Workspaces.Refusal.withHint("log into an org that exists or into " + DEFAULT_USERNAME));
    }

    /**
     * The org a username logs into, created on first use; empty for an unknown username or when no org can be
     * made (for callers in this process, which count as one client).
     */
    public Optional<SandboxOrg> forUsername(String username) {
        try {
            return forUsername(username, IN_PROCESS);
        } catch (Workspaces.Full e) {
            return Optional.empty();
        }
    }

    /**
     * The org a username logs into for a client (its remote address), created on first use; empty for an
     * unknown username.
     *
     * @throws Workspaces.Full when a new org would pass the client's or the sandbox's cap and no org is idle
     */
    public Optional<SandboxOrg> forUsername(String username, String client) {
        if (username == null) {
            return Optional.empty();
        }
        String lower = username.toLowerCase(Locale.ROOT);
        if (lower.equals(DEFAULT_USERNAME)) {
            return Optional.of(orgs.get(Workspaces.DEFAULT, client));
        }
        Matcher named = NAMED_USER.matcher(lower);
        return named.matches() ? Optional.of(orgs.get(named.group(1), client)) : Optional.empty();
    }

    /** An existing org by name ("" for the default), or null; finding an org counts as using it. */
    public SandboxOrg find(String name) {
        return orgs.find(name);
    }

    public SandboxOrg defaultOrg() {
        return orgs.get(Workspaces.DEFAULT, IN_PROCESS);
    }

    /** What every org is seeded from. */
    public SandboxDataGenerator generator() {
        return generator;
    }

    /** Named orgs held now (the default org not counted). */
    public int namedOrgs() {
        return orgs.named();
    }

    private SandboxOrg create(String name) {
        String code = name.isEmpty() ? DEFAULT_ORG_CODE : codeFor(name);
        String username = name.isEmpty() ? DEFAULT_USERNAME : "admin+" + name + "@sandbox.example";
        return new SandboxOrg(name, code, username, properties, generator, clock, listener);
    }

    /** A stable code from the name, probing past codes already taken, so an org's ids survive restarts. */
    private String codeFor(String name) {
        Set<String> inUse = new HashSet<>();
        orgs.all().forEach(o -> inUse.add(o.code()));
        int slot = Math.floorMod(name.hashCode(), 62 * 62);
        while (true) {
            String code = "" + SalesforceIds.BASE62.charAt(slot / 62) + SalesforceIds.BASE62.charAt(slot % 62);
            if (!code.equals(DEFAULT_ORG_CODE) && !inUse.contains(code)) {
                return code;
            }
            slot = (slot + 1) % (62 * 62);
        }
    }
}
