package sandbox.hubspot;

import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import sandbox.kit.Population;
import sandbox.kit.Workspaces;

/**
 * The sandbox's portals: the default one (private-app token {@code pat-sandbox}) and one per name
 * ({@code pat-sandbox-<name>}, or an OAuth login naming it), created and seeded on first use so tests can work in
 * isolation. Named portals are the kit's {@link Workspaces}, bounded per client and in all (max-portals-per-client,
 * max-portals, portal-idle-after); past the bounds a new one is refused with {@link Workspaces.Full}.
 */
final class HubSpotPortals {

    static final String DEFAULT_TOKEN = "pat-sandbox";
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final Pattern NAMED_TOKEN = Pattern.compile("pat-sandbox-(" + NAME.pattern() + ")");
    private static final Pattern NAMED_USER = Pattern.compile("admin\\+(" + NAME.pattern() + ")@sandbox\\.example");
    static final String DEFAULT_USER = "admin@sandbox.example";
    /** The default portal's id; named portals get ids derived from their names. */
    static final long DEFAULT_PORTAL_ID = 24_250_101L;
    private static final int SEEDS_KEPT = 4;
    private static final Workspaces.Naming NAMING = new Workspaces.Naming("HubSpot sandbox", "portal", "hub.sandbox.hubspot");

    private final HubSpotSandboxProperties properties;
    private final Population population;
    private final Clock clock;
    private final HubSpotPortal.ChangeListener listener;
    private final Workspaces<HubSpotPortal> portals;
    /** Seeds by company count, shared by the portals holding them; the least recently asked for goes first. */
    private final Map<Integer, HubSpotSeed> seeds = new LinkedHashMap<>(8, 0.75f, true);

    HubSpotPortals(HubSpotSandboxProperties properties, HubSpotPortal.ChangeListener listener, Clock clock) {
        this.properties = properties;
        this.population = new Population(properties.seed(), Population.DEFAULT_SHARED_SHARE);
        this.clock = clock;
        this.listener = listener;
        this.portals = new Workspaces<>(NAMING, new Workspaces.Limits(properties.maxPortals(),
                properties.maxPortalsPerClient(), properties.portalIdleAfter()), clock, this::create,
                Workspaces.Refusal.withHint("use a portal that exists or the default one (" + DEFAULT_TOKEN + ")"));
    }

    /** The portal name a private-app token stands for ("" for the default portal), or empty when it is none. */
    static Optional<String> nameOfPrivateAppToken(String token) {
        if (DEFAULT_TOKEN.equals(token)) {
            return Optional.of("");
        }
        Matcher named = token == null ? null : NAMED_TOKEN.matcher(token);
        return named != null && named.matches() ? Optional.of(named.group(1)) : Optional.empty();
    }

    /**
     * The portal an OAuth login hint names: none, {@code admin@sandbox.example} or {@code <name>} /
     * {@code admin+<name>@sandbox.example}; empty when the hint is none of these.
     */
    static Optional<String> nameOfLoginHint(String hint) {
        if (hint == null || hint.isBlank() || hint.trim().equalsIgnoreCase(DEFAULT_USER)) {
            return Optional.of("");
        }
        String lower = hint.trim().toLowerCase(Locale.ROOT);
        Matcher user = NAMED_USER.matcher(lower);
        if (user.matches()) {
            return Optional.of(user.group(1));
        }
        return NAME.matcher(lower).matches() ? Optional.of(lower) : Optional.empty();
    }

    /** An existing portal by name ("" for the default), or null; finding a portal counts as using it. */
    HubSpotPortal find(String name) {
        return portals.find(name);
    }

    /**
     * The portal of this name for a client (its remote address), created and seeded on first use.
     *
     * @throws Workspaces.Full when a new portal would pass the client's or the sandbox's cap and none is idle
     */
    HubSpotPortal portal(String name, String client) {
        return portals.get(name, client);
    }

    private HubSpotPortal create(String name) {
        long portalId = name.isEmpty() ? DEFAULT_PORTAL_ID : idFor(name);
        return new HubSpotPortal(name, portalId, seed(properties.companies()), properties.accessTokenTtl(),
                ApiLimits.admission(properties, clock), clock, listener);
    }

    /** The seed of {@code companies} companies, generated once and shared. */
    synchronized HubSpotSeed seed(int companies) {
        HubSpotSeed seed = seeds.get(companies);
        if (seed == null) {
            seed = HubSpotSeed.generate(population, companies);
            seeds.put(companies, seed);
            if (seeds.size() > SEEDS_KEPT) {
                // portals holding it keep it alive; it is only no longer handed out
                Integer eldest = seeds.keySet().iterator().next();
                seeds.remove(eldest);
            }
        }
        return seed;
    }

    /** Named portals held now (the default portal not counted). */
    int namedPortals() {
        return portals.named();
    }

    /** A stable id from the name (so a portal keeps its id across restarts), probing past ids taken. */
    private long idFor(String name) {
        Set<Long> idsInUse = new HashSet<>();
        portals.all().forEach(p -> idsInUse.add(p.portalId()));
        long id = 30_000_000L + Math.floorMod(name.hashCode(), 60_000_000);
        while (idsInUse.contains(id) || id == DEFAULT_PORTAL_ID) {
            id = id + 1 >= 90_000_000L ? 30_000_000L : id + 1;
        }
        return id;
    }
}
