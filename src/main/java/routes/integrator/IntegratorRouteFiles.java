package routes.integrator;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.LineNumberAware;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.StartupListener;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.EndpointRequiredDefinition;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.RouteTemplateParameterDefinition;
import org.apache.camel.model.TemplatedRouteDefinition;
import org.apache.camel.model.TemplatedRouteParameterDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.RouteController;
import org.apache.camel.spi.SupervisingRouteController;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.convert.DurationStyle;

/**
 * Routes integrators edit: the {@code *.camel.yaml} files of {@code hub.routes.dir}, loaded through Camel's
 * {@code RoutesLoader} once Camel has started, and again whenever a file is added, changed or deleted (the folder is
 * polled every {@code hub.routes.poll-interval}). Camel's own reload strategy is not used: it reloads a broken file by
 * removing its routes, and it would let a file replace one of the hub's routes.
 *
 * <p>A file is taken whole or not at all. It is refused, with its line where the parser or Camel gives one, when it is
 * not valid YAML, holds anything but routes and templated routes, has a route without an id or with an id the hub or
 * another file uses, names a component the hub does not have, or an unknown route template or misses one of its
 * parameters: those checks run before anything changes, so the routes the file had keep running untouched. A file
 * that passes them but still fails when Camel creates or starts its routes (a bad expression, an endpoint already
 * consumed) is rolled back: its new routes are removed and its previous version is loaded again.
 */
@org.springframework.stereotype.Component
public class IntegratorRouteFiles implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(IntegratorRouteFiles.class);
    private static final String SUFFIX = ".camel.yaml";
    private static final Set<String> ACCEPTED = Set.of("route", "templatedRoute", "from");

    /** One loaded file: its text and the ids of the routes it made. */
    record LoadedFile(String text, Set<String> routeIds) {
    }

    private record Plan(List<RouteBuilder> builders, Set<String> routeIds) {
    }

    private final Path dir;
    private final Duration pollInterval;
    private final Map<String, LoadedFile> loaded = new ConcurrentHashMap<>();
    private final Map<String, RouteFileRefusal> refused = new ConcurrentHashMap<>();
    /** Text of each file as last looked at, loaded or refused: unchanged files are not looked at again. */
    private final Map<String, String> seen = new HashMap<>();
    private final CamelContext camel;
    private ScheduledExecutorService poller;

    public IntegratorRouteFiles(CamelContext camel, @Value("${hub.routes.dir:}") String dir,
                                @Value("${hub.routes.poll-interval:2s}") String pollInterval) throws Exception {
        this.camel = camel;
        this.dir = dir == null || dir.isBlank() ? null : Path.of(dir.strip());
        this.pollInterval = DurationStyle.detectAndParse(pollInterval);
        if (this.dir != null) {
            camel.addStartupListener(this);
        }
    }

    /** Once Camel has started: the route templates (routes/*.camel.yaml on the classpath) are there. */
    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // the routes are not all started yet: see onCamelContextFullyStarted
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext camelContext, boolean alreadyStarted) {
        LOG.info("Loading integrator routes from {} (checked every {})", dir, pollInterval);
        scan();
        poller = camelContext.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "IntegratorRouteFiles");
        poller.scheduleWithFixedDelay(this::scanQuietly, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The folder watched, or null when {@code hub.routes.dir} is empty. */
    public Path directory() {
        return dir;
    }

    /** Loaded files by name, with the ids of their routes. */
    public Map<String, Set<String>> loadedFiles() {
        Map<String, Set<String>> files = new TreeMap<>();
        loaded.forEach((name, file) -> files.put(name, file.routeIds()));
        return files;
    }

    /** Files refused as they stand now, by name. */
    public Map<String, RouteFileRefusal> refusedFiles() {
        return new TreeMap<>(refused);
    }

    private void scanQuietly() {
        try {
            scan();
        } catch (RuntimeException e) {
            LOG.warn("Could not check the integrator routes in {}: {}", dir, e.toString());
        }
    }

    /** Loads what was added or changed since the last look and removes the routes of deleted files. */
    synchronized void scan() {
        Map<String, Path> present = new TreeMap<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(p -> p.getFileName().toString().endsWith(SUFFIX) && Files.isRegularFile(p))
                        .forEach(p -> present.put(p.getFileName().toString(), p));
            } catch (IOException e) {
                LOG.warn("Could not list the integrator routes in {}: {}", dir, e.toString());
                return;
            }
        }
        for (String name : new ArrayList<>(seen.keySet())) {
            if (!present.containsKey(name)) {
                seen.remove(name);
                refused.remove(name);
                unload(name);
            }
        }
        present.forEach((name, path) -> {
            String text;
            try {
                text = Files.readString(path, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return; // being replaced: the next look reads it
            }
            if (!text.equals(seen.get(name))) {
                seen.put(name, text);
                apply(name, text);
            }
        });
    }

    private void apply(String name, String text) {
        try {
            Plan plan = plan(name, text);
            swap(name, plan, text);
            refused.remove(name);
            LOG.info("Loaded integrator routes {} from {}", plan.routeIds(), name);
        } catch (RouteFileException e) {
            RouteFileRefusal refusal = new RouteFileRefusal(name, e.line(), e.getMessage(), OffsetDateTime.now(ZoneOffset.UTC));
            refused.put(name, refusal);
            LoadedFile running = loaded.get(name);
            LOG.warn("Refused integrator route file {}{}: {}; {}", name, e.line() == null ? "" : " line " + e.line(), e.getMessage(),
                    running == null ? "nothing of it runs" : "its previous routes " + running.routeIds() + " keep running");
        }
    }

    private void unload(String name) {
        LoadedFile file = loaded.remove(name);
        if (file != null) {
            removeRoutes(file.routeIds());
            LOG.info("Removed integrator routes {} ({} was deleted)", file.routeIds(), name);
        }
    }

    /** Parses and checks a file without touching the running routes. */
    private Plan plan(String name, String text) throws RouteFileException {
        Map<String, Integer> lineOfId = outline(name, text);
        Collection<RoutesBuilder> found;
        try {
            found = PluginHelper.getRoutesLoader(camel).findRoutesBuilders(resource(name, text));
        } catch (Exception e) {
            throw refusal(e);
        }
        List<RouteBuilder> builders = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        Set<String> hubRoutes = hubRouteIds();
        for (RoutesBuilder candidate : found) {
            if (!(candidate instanceof RouteBuilder builder)) {
                throw new RouteFileException(null, "not a YAML route file");
            }
            try {
                for (RouteDefinition route : builder.configureRoutes(camel).getRoutes()) {
                    Integer line = route.getLineNumber() > 0 ? route.getLineNumber() : null;
                    claim(name, route.getRouteId(), line != null ? line : lineOfId.get(route.getRouteId()), ids, hubRoutes);
                    checkComponents(route);
                }
                for (TemplatedRouteDefinition templated : builder.getTemplatedRouteCollection().getTemplatedRoutes()) {
                    Integer line = lineOfId.get(templated.getRouteId());
                    claim(name, templated.getRouteId(), line, ids, hubRoutes);
                    checkTemplate(templated, line);
                }
            } catch (RouteFileException e) {
                throw e;
            } catch (Exception e) {
                throw refusal(e);
            }
            builders.add(builder);
        }
        return new Plan(builders, ids);
    }

    /**
     * Reads the file as plain YAML first: syntax errors with their line, only routes and templated routes at the top, and
     * the line of each route id (Camel keeps no line for a templated route).
     */
    private static Map<String, Integer> outline(String name, String text) throws RouteFileException {
        Node root;
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(name).build();
            Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, new StringReader(text))));
            root = composer.getSingleNode().orElse(null);
        } catch (MarkedYamlEngineException e) {
            throw refusal(e);
        }
        Map<String, Integer> lines = new HashMap<>();
        if (root == null) {
            return lines;
        }
        if (!(root instanceof SequenceNode sequence)) {
            throw new RouteFileException(line(root), "expected a list of routes (- route: ... or - templatedRoute: ...)");
        }
        for (Node item : sequence.getValue()) {
            if (!(item instanceof MappingNode mapping) || mapping.getValue().size() != 1
                    || !(mapping.getValue().get(0).getKeyNode() instanceof ScalarNode key)) {
                throw new RouteFileException(line(item), "each entry must be one of " + ACCEPTED.stream().sorted().toList());
            }
            if (!ACCEPTED.contains(key.getValue())) {
                throw new RouteFileException(line(item), "'" + key.getValue() + "' is not accepted here: integrator files hold "
                        + ACCEPTED.stream().sorted().toList() + " only");
            }
            if (mapping.getValue().get(0).getValueNode() instanceof MappingNode body) {
                for (NodeTuple field : body.getValue()) {
                    if (field.getKeyNode() instanceof ScalarNode k && field.getValueNode() instanceof ScalarNode v
                            && ("id".equals(k.getValue()) || "routeId".equals(k.getValue()))) {
                        lines.putIfAbsent(v.getValue(), line(item));
                    }
                    if (field.getKeyNode() instanceof ScalarNode k && "beans".equals(k.getValue())) {
                        throw new RouteFileException(line(field.getKeyNode()), "beans are not accepted in integrator files");
                    }
                }
            }
        }
        return lines;
    }

    private void claim(String name, String id, Integer line, Set<String> ids, Set<String> hubRoutes) throws RouteFileException {
        if (id == null || id.isBlank()) {
            throw new RouteFileException(line, "every route needs an id (route: id: ..., templatedRoute: routeId: ...)");
        }
        if (hubRoutes.contains(id)) {
            throw new RouteFileException(line, "route id '" + id + "' is one of the hub's own routes");
        }
        for (Map.Entry<String, LoadedFile> other : loaded.entrySet()) {
            if (!other.getKey().equals(name) && other.getValue().routeIds().contains(id)) {
                throw new RouteFileException(line, "route id '" + id + "' is already used by " + other.getKey());
            }
        }
        if (!ids.add(id)) {
            throw new RouteFileException(line, "route id '" + id + "' is used twice in this file");
        }
    }

    /** Every endpoint the route names must be of a component the hub has. */
    private void checkComponents(RouteDefinition route) throws RouteFileException {
        check(route.getInput().getEndpointUri(), route.getInput().getLineNumber());
        for (EndpointRequiredDefinition step : ProcessorDefinitionHelper.filterTypeInOutputs(route.getOutputs(),
                EndpointRequiredDefinition.class)) {
            check(step.getEndpointUri(), step instanceof LineNumberAware aware ? aware.getLineNumber() : -1);
        }
    }

    private void check(String uri, int line) throws RouteFileException {
        if (uri == null) {
            return;
        }
        int colon = uri.indexOf(':');
        String scheme = colon > 0 ? uri.substring(0, colon) : uri;
        if (scheme.contains("{{")) {
            return;
        }
        Component component;
        try {
            component = camel.getComponent(scheme);
        } catch (RuntimeException e) {
            component = null;
        }
        if (component == null) {
            throw new RouteFileException(line > 0 ? line : null, "unknown component '" + scheme + "' in " + uri);
        }
    }

    private void checkTemplate(TemplatedRouteDefinition templated, Integer line) throws RouteFileException {
        if (templated.getBeans() != null && !templated.getBeans().isEmpty()) {
            throw new RouteFileException(line, "beans are not accepted in integrator files");
        }
        String ref = templated.getRouteTemplateRef();
        ModelCamelContext model = (ModelCamelContext) camel;
        RouteTemplateDefinition template = ref == null ? null : model.getRouteTemplateDefinition(ref);
        if (template == null) {
            List<String> known = model.getRouteTemplateDefinitions().stream().map(RouteTemplateDefinition::getId).sorted().toList();
            throw new RouteFileException(line, "unknown route template '" + ref + "' (known: " + String.join(", ", known) + ")");
        }
        Set<String> given = new LinkedHashSet<>();
        for (TemplatedRouteParameterDefinition p : templated.getParameters()) {
            given.add(p.getName());
        }
        Set<String> declared = new LinkedHashSet<>();
        List<String> missing = new ArrayList<>();
        for (RouteTemplateParameterDefinition p : template.getTemplateParameters()) {
            declared.add(p.getName());
            if (p.isRequired() && p.getDefaultValue() == null && !given.contains(p.getName())) {
                missing.add(p.getName());
            }
        }
        if (!missing.isEmpty()) {
            throw new RouteFileException(line, "route template '" + ref + "' needs parameter(s) " + String.join(", ", missing));
        }
        given.removeAll(declared);
        if (!given.isEmpty()) {
            throw new RouteFileException(line, "route template '" + ref + "' has no parameter(s) " + String.join(", ", given)
                    + " (it takes " + String.join(", ", declared) + ")");
        }
    }

    /** Replaces the file's routes by the planned ones; on failure the planned routes go and the previous ones come back. */
    private void swap(String name, Plan plan, String text) throws RouteFileException {
        LoadedFile previous = loaded.remove(name);
        if (previous != null) {
            removeRoutes(previous.routeIds());
        }
        try {
            add(plan.builders(), plan.routeIds());
            loaded.put(name, new LoadedFile(text, plan.routeIds()));
        } catch (Exception e) {
            removeRoutes(plan.routeIds());
            if (previous != null) {
                restore(name, previous);
            }
            throw refusal(e);
        }
    }

    private void restore(String name, LoadedFile previous) {
        try {
            List<RouteBuilder> builders = new ArrayList<>();
            for (RoutesBuilder b : PluginHelper.getRoutesLoader(camel).findRoutesBuilders(resource(name, previous.text()))) {
                builders.add((RouteBuilder) b);
            }
            add(builders, previous.routeIds());
            loaded.put(name, previous);
        } catch (Exception e) {
            removeRoutes(previous.routeIds());
            LOG.error("Could not bring back the previous routes {} of {}: {}", previous.routeIds(), name, reason(e));
        }
    }

    private void add(List<RouteBuilder> builders, Set<String> ids) throws Exception {
        for (RouteBuilder builder : builders) {
            builder.addRoutesToCamelContext(camel);
            builder.addTemplatedRoutesToCamelContext(camel);
        }
        // the supervising route controller leaves routes added after startup to whoever added them
        RouteController controller = camel.getRouteController();
        for (String id : ids) {
            Route route = camel.getRoute(id);
            if (route == null) {
                throw new IllegalStateException("route '" + id + "' was not created");
            }
            if (!controller.getRouteStatus(id).isStarted()) {
                controller.startRoute(id);
            }
            if (!controller.getRouteStatus(id).isStarted()) {
                Throwable cause = controller instanceof SupervisingRouteController supervising ? supervising.getRestartException(id) : null;
                throw new IllegalStateException("route '" + id + "' did not start" + (cause == null ? "" : ": " + reason(cause)), cause);
            }
        }
    }

    private void removeRoutes(Set<String> ids) {
        for (String id : ids) {
            try {
                if (camel.getRoute(id) != null) {
                    camel.getRouteController().stopRoute(id);
                    camel.removeRoute(id);
                }
            } catch (Exception e) {
                LOG.warn("Could not remove integrator route {}: {}", id, reason(e));
            }
        }
    }

    /** Every running route no integrator file made: the hub's Java routes and its built-in YAML routes. */
    private Set<String> hubRouteIds() {
        Set<String> ids = new LinkedHashSet<>();
        for (Route route : camel.getRoutes()) {
            ids.add(route.getRouteId());
        }
        for (LoadedFile file : loaded.values()) {
            ids.removeAll(file.routeIds());
        }
        return ids;
    }

    private static Resource resource(String name, String text) {
        return ResourceHelper.fromString(name, text);
    }

    private static RouteFileException refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYamlEngineException marked) {
                Integer line = marked.getProblemMark().map(m -> m.getLine() + 1)
                        .orElse(marked.getContextMark().map(m -> m.getLine() + 1).orElse(null));
                String context = marked.getContext() == null ? "" : marked.getContext() + ": ";
                String problem = marked.getProblem() == null ? reason(marked) : marked.getProblem();
                return new RouteFileException(line, (context + problem).strip());
            }
        }
        return new RouteFileException(null, reason(e));
    }

    /** The innermost message: Camel's outer exceptions repeat the whole route. */
    private static String reason(Throwable e) {
        Throwable inner = e;
        while (inner.getCause() != null && inner.getCause() != inner) {
            inner = inner.getCause();
        }
        String message = inner.getMessage();
        return message == null ? inner.getClass().getSimpleName() : message.strip();
    }

    private static Integer line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(null);
    }
}
