package sandbox.hubspot;

import java.time.Clock;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
import sandbox.kit.Population;

/**
 * The sandbox's portals: the default one (private-app token {@code pat-sandbox}) and one per name
 * ({@code pat-sandbox-<name>}, or an OAuth login naming it), created and seeded on first use so tests can work in
 * isolation. Named portals are bounded per client and in all (max-portals-per-client, max-portals): a new one evicts
 * the portal unused longest once it has been unused for portal-idle-after; without such a portal it is refused, so a
 * flood of new names cannot push out a portal in use.
 */
final class HubSpotPortals {

    static final String DEFAULT_TOKEN = "pat-sandbox";
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final Pattern NAMED_TOKEN = Pattern.compile("pat-sandbox-(" + NAME.pattern() + ")");
    private static final Pattern NAMED_USER = Pattern.compile("admin\\+(" + NAME.pattern() + ")@sandbox\\.example");
    static final String DEFAULT_USER = "admin@sandbox.example";
    /** The default portal's id; named portals get ids derived from their names. */
    static final long DEFAULT_PORTAL_ID = 24_250_101L;
    /** The client of portals made by this process (tests, the hub's own wiring). */
    static final String IN_PROCESS = "in-process";
    private static final int SEEDS_KEPT = 4;
    private static final Logger LOG = LoggerFactory.getLogger(HubSpotPortals.class);

    private final HubSpotSandboxProperties properties;
    private final Population population;
    private final Clock clock;
    private final HubSpotPortal.ChangeListener listener;
    private final Map<String, HubSpotPortal> byName = new ConcurrentHashMap<>();
    private final Map<String, Long> lastUsed = new ConcurrentHashMap<>();
    private final Map<String, String> clientOf = new ConcurrentHashMap<>();
    private final Set<Long> idsInUse = new HashSet<>();
    /** Seeds by company count, shared by the portals holding them; the least recently asked for goes first. */
    private final Map<Integer, HubSpotSeed> seeds = new LinkedHashMap<>(8, 0.75f, true);

    HubSpotPortals(HubSpotSandboxProperties properties, HubSpotPortal.ChangeListener listener, Clock clock) {
        this.properties = properties;
        this.population = new Population(properties.seed(), Population.DEFAULT_SHARED_SHARE);
        this.clock = clock;
        this.listener = listener;
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
        HubSpotPortal portal = byName.get(name);
        if (portal != null) {
            lastUsed.put(name, clock.millis());
        }
        return portal;
    }

    HubSpotPortal defaultPortal() {
        return portal("", IN_PROCESS);
    }

    /**
     * The portal of this name for a client (its remote address), created and seeded on first use.
     *
     * @throws PortalLimitReached when a new portal would pass the client's or the sandbox's cap and none is idle
     */
    HubSpotPortal portal(String name, String client) {
        HubSpotPortal existing = find(name);
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
            long portalId = name.isEmpty() ? DEFAULT_PORTAL_ID : idFor(name);
            idsInUse.add(portalId);
            HubSpotPortal portal = new HubSpotPortal(name, portalId, seed(properties.companies()),
                    properties.accessTokenTtl(), new ApiLimits(clock, properties.rateLimit(), properties.rateWindow(),
                            properties.searchRateLimit(), properties.dailyLimit()), clock, listener);
            lastUsed.put(name, clock.millis());
            clientOf.put(name, client);
            byName.put(name, portal);
            return portal;
        }
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
        return (int) byName.keySet().stream().filter(n -> !n.isEmpty()).count();
    }

    /** Every portal held now. */
    List<HubSpotPortal> all() {
        return List.copyOf(byName.values());
    }

    private void makeRoom(String name, String client) {
        List<String> own = clientOf.entrySet().stream().filter(e -> e.getValue().equals(client) && !e.getKey().isEmpty())
                .map(Map.Entry::getKey).toList();
        if (own.size() >= properties.maxPortalsPerClient()) {
            evict(idlest(own).orElseThrow(() -> refused(name, "this client already holds "
                    + properties.maxPortalsPerClient() + " sandbox portals (hub.sandbox.hubspot.max-portals-per-client)")));
        }
        if (namedPortals() >= properties.maxPortals()) {
            List<String> named = byName.keySet().stream().filter(n -> !n.isEmpty()).toList();
            evict(idlest(named).orElseThrow(() -> refused(name, "the sandbox holds its maximum of "
                    + properties.maxPortals() + " portals (hub.sandbox.hubspot.max-portals)")));
        }
    }

    private Optional<String> idlest(List<String> names) {
        long idleBefore = clock.millis() - properties.portalIdleAfter().toMillis();
        return names.stream().filter(n -> lastUsed.getOrDefault(n, Long.MIN_VALUE) <= idleBefore)
                .min(Comparator.comparingLong(n -> lastUsed.getOrDefault(n, Long.MIN_VALUE)));
    }

    private void evict(String name) {
        HubSpotPortal portal = byName.remove(name);
        lastUsed.remove(name);
        clientOf.remove(name);
        if (portal != null) {
            idsInUse.remove(portal.portalId());
            LOG.info("HubSpot sandbox evicted portal '{}', unused for {} or more, to make room for a new one", name,
                    properties.portalIdleAfter());
        }
    }

    private PortalLimitReached refused(String name, String reason) {
        LOG.debug("HubSpot sandbox refused a new portal '{}': {}", name, reason);
        return new PortalLimitReached(reason + ", none unused for "
                + properties.portalIdleAfter().toString().substring(2).toLowerCase(Locale.ROOT)
                + " (hub.sandbox.hubspot.portal-idle-after): use a portal that exists or the default one ("
                + DEFAULT_TOKEN + ")");
    }

    /** A stable id from the name (so a portal keeps its id across restarts), probing past ids taken. */
    private long idFor(String name) {
        long id = 30_000_000L + Math.floorMod(name.hashCode(), 60_000_000);
        while (idsInUse.contains(id) || id == DEFAULT_PORTAL_ID) {
            id = id + 1 >= 90_000_000L ? 30_000_000L : id + 1;
        }
        return id;
    }

    /** A new portal would pass a cap and no portal is idle enough to make room. */
    static final class PortalLimitReached extends RuntimeException {
        PortalLimitReached(String message) {
            super(message);
        }
    }
}
