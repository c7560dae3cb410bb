package sandbox.kit;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sandbox's isolated workspaces (Salesforce orgs, HubSpot portals, Dataverse environments, Slack workspaces...), each
 * with data of its own, by name: the default one ({@code ""}) and named ones, made on first use so that tests and
 * demos can work side by side. Named workspaces are bounded per client (its remote address) and in all: a new one
 * evicts the one unused longest once it has been unused for {@code idleAfter}, so a flood of new names can neither
 * push out a workspace in use nor lock its users out; with none that idle, it is refused ({@link Full}). The default
 * workspace is never evicted and counts against no bound.
 *
 * @param <W> the sandbox's workspace
 */
public final class Workspaces<W> {

    /** The default workspace's name. */
    public static final String DEFAULT = "";

    private static final Logger LOG = LoggerFactory.getLogger(Workspaces.class);

    /**
     * What the sandbox calls its workspaces, for messages: {@code ("Salesforce sandbox", "org", "hub.sandbox.salesforce")}
     * names the settings {@code hub.sandbox.salesforce.max-orgs}, {@code max-orgs-per-client} and {@code org-idle-after}.
     */
    public record Naming(String sandbox, String noun, String properties) {

        public String maxProperty() {
            return properties + ".max-" + noun + "s";
        }

        public String maxPerClientProperty() {
            return properties + ".max-" + noun + "s-per-client";
        }

        public String idleAfterProperty() {
            return properties + "." + noun + "-idle-after";
        }
    }

    /**
     * The bounds: named workspaces held at once, held for one client (Integer.MAX_VALUE: no bound per client), and how
     * long one must have been unused before it may be evicted.
     */
    public record Limits(int max, int maxPerClient, Duration idleAfter) {

        public Limits {
            max = Math.max(1, max);
            maxPerClient = Math.max(1, maxPerClient);
            idleAfter = idleAfter == null || idleAfter.isNegative() ? Duration.ofMinutes(15) : idleAfter;
        }
    }

    /** Which bound a new workspace would pass. */
    public enum Cap { CLIENT, SANDBOX }

    /** Makes and seeds a workspace; runs under the registry's lock, so it may look at {@link #all()}. */
    @FunctionalInterface
    public interface Factory<W> {
        W create(String name);
    }

    /** The message of a refusal, as the sandbox's callers read it (an OAuth error, a 401 or 503 body). */
    @FunctionalInterface
    public interface Refusal {
        String explain(Naming naming, Limits limits, Cap cap, String name);

        /**
         * {@code this client already holds 10 sandbox orgs (hub.sandbox.x.max-orgs-per-client), none unused for 15m
         * (hub.sandbox.x.org-idle-after): <hint>}, or {@code the sandbox holds its maximum of 50 orgs (...)}.
         */
        static Refusal withHint(String hint) {
            return (naming, limits, cap, name) -> (cap == Cap.CLIENT
                    ? "this client already holds " + limits.maxPerClient() + " sandbox " + naming.noun() + "s ("
                            + naming.maxPerClientProperty() + ")"
                    : "the sandbox holds its maximum of " + limits.max() + " " + naming.noun() + "s ("
                            + naming.maxProperty() + ")")
                    + ", none unused for " + limits.idleAfter().toString().substring(2).toLowerCase(Locale.ROOT)
                    + " (" + naming.idleAfterProperty() + "): " + hint;
        }
    }

    /** A new workspace would pass a bound and none is idle enough to make room. */
    public static final class Full extends RuntimeException {
        private final Cap cap;

        Full(Cap cap, String message) {
            super(message);
            this.cap = cap;
        }

        public Cap cap() {
            return cap;
        }
    }

    private final Naming naming;
    private final Limits limits;
    private final Clock clock;
    private final Factory<W> factory;
    private final Refusal refusal;
    private final Map<String, W> byName = new ConcurrentHashMap<>();
    /** When each workspace was last used (epoch milliseconds), and which client made it. */
    private final Map<String, Long> lastUsed = new ConcurrentHashMap<>();
    private final Map<String, String> clientOf = new ConcurrentHashMap<>();

    public Workspaces(Naming naming, Limits limits, Clock clock, Factory<W> factory, Refusal refusal) {
        this.naming = naming;
        this.limits = limits;
        this.clock = clock;
        this.factory = factory;
        this.refusal = refusal;
    }

    /** An existing workspace, or null; finding one counts as using it. */
    public W find(String name) {
        W workspace = byName.get(name);
        if (workspace != null) {
            lastUsed.put(name, clock.millis());
        }
        return workspace;
    }

    /**
     * The workspace of this name for a client, made on first use.
     *
     * @throws Full when a new workspace would pass the client's or the sandbox's bound and none is idle
     */
    public W get(String name, String client) {
        W existing = find(name);
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
            W made = factory.create(name);
            lastUsed.put(name, clock.millis());
            clientOf.put(name, client);
            byName.put(name, made);
            return made;
        }
    }

    /**
     * Replaces a workspace (a reset) by what {@code fresh} makes of the one held now (null when there is none, which
     * makes it without asking for room); the new one counts as used.
     */
    public synchronized W replace(String name, UnaryOperator<W> fresh) {
        W made = fresh.apply(byName.get(name));
        byName.put(name, made);
        lastUsed.put(name, clock.millis());
        clientOf.putIfAbsent(name, "");
        return made;
    }

    /** Named workspaces held now (the default one not counted). */
    public int named() {
        return (int) byName.keySet().stream().filter(n -> !n.isEmpty()).count();
    }

    /** The workspaces held now. */
    public List<W> all() {
        return List.copyOf(byName.values());
    }

    public Limits limits() {
        return limits;
    }

    /** Evicts an idle workspace when the client or the sandbox is at its bound; refuses when none is idle. */
    private void makeRoom(String name, String client) {
        List<String> own = clientOf.entrySet().stream().filter(e -> e.getValue().equals(client) && !e.getKey().isEmpty())
                .map(Map.Entry::getKey).toList();
        if (own.size() >= limits.maxPerClient()) {
            evict(idlest(own).orElseThrow(() -> refused(Cap.CLIENT, name)), name);
        }
        if (named() >= limits.max()) {
            List<String> named = byName.keySet().stream().filter(n -> !n.isEmpty()).toList();
            evict(idlest(named).orElseThrow(() -> refused(Cap.SANDBOX, name)), name);
        }
    }

    /** Of the names, the workspace unused longest, when it has been unused for at least idleAfter. */
    private Optional<String> idlest(List<String> names) {
        long idleBefore = clock.millis() - limits.idleAfter().toMillis();
        return names.stream().filter(n -> lastUsed.getOrDefault(n, Long.MIN_VALUE) <= idleBefore)
                .min(Comparator.comparingLong(n -> lastUsed.getOrDefault(n, Long.MIN_VALUE)));
    }

    private void evict(String name, String forName) {
        W gone = byName.remove(name);
        lastUsed.remove(name);
        clientOf.remove(name);
        if (gone != null) {
            LOG.info("{} evicted {} '{}', unused for {} or more, to make room for '{}'", naming.sandbox(), naming.noun(),
                    name, limits.idleAfter(), forName);
        }
    }

    private Full refused(Cap cap, String name) {
        String message = refusal.explain(naming, limits, cap, name);
        LOG.debug("{} refused a new {} '{}': {}", naming.sandbox(), naming.noun(), name, message);
        return new Full(cap, message);
    }
}
