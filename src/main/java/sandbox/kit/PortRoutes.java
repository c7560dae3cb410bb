package sandbox.kit;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Which root paths of a sandbox port ({@link SandboxPort}, {@link SandboxTlsPort}) a sandbox answers: a setting
 * {@code <setting>[/root-prefix]=/sandbox/...}, checked at start (a target outside {@code /sandbox/} is refused), the
 * longest prefix winning.
 */
final class PortRoutes {

    /** Root prefix to sandbox path, longest prefix first. */
    private final Map<String, String> routes;

    private PortRoutes(Map<String, String> routes) {
        this.routes = routes;
    }

    static PortRoutes of(Environment environment, String setting) {
        Map<String, String> configured = Binder.get(environment).bind(setting, Bindable.mapOf(String.class, String.class))
                .orElse(Map.of());
        Map<String, String> sorted = new LinkedHashMap<>();
        configured.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed())
                .forEach(e -> {
                    String prefix = e.getKey().strip();
                    String target = e.getValue().strip();
                    if (!prefix.startsWith("/") || prefix.length() < 2) {
                        throw new IllegalArgumentException(setting + ": '" + prefix + "' is not a path prefix");
                    }
                    // the port reaches sandboxes and nothing else
                    if (!target.startsWith(SandboxLoopbackFilter.PREFIX) || target.contains("..")) {
                        throw new IllegalArgumentException(setting + "[" + prefix + "]: '" + target
                                + "' is not under " + SandboxLoopbackFilter.PREFIX);
                    }
                    sorted.put(prefix, target);
                });
        return new PortRoutes(sorted);
    }

    /** The sandbox path a root path is answered as, when a route's prefix covers it. */
    Optional<String> sandboxPath(String path) {
        for (Map.Entry<String, String> route : routes.entrySet()) {
            String prefix = route.getKey();
            boolean covered = prefix.endsWith("/") ? path.startsWith(prefix)
                    : path.equals(prefix) || path.startsWith(prefix + "/");
            if (covered) {
                return Optional.of(route.getValue() + path.substring(prefix.length()));
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return routes.toString();
    }
}
