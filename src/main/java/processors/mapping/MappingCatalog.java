package processors.mapping;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * Every field mapping the hub knows, by provider and entity. Loaded once at startup from {@code classpath*:mappings/**}
 * and then from {@code hub.mappings.dir}, whose files replace the built-in ones for the same provider and entity.
 * An invalid file fails startup with {@code file:line:column: problem}.
 */
@Component
public class MappingCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(MappingCatalog.class);
    private static final String[] CLASSPATH_PATTERNS = {"classpath*:mappings/**/*.yaml", "classpath*:mappings/**/*.yml"};

    /** Keyed by lower-cased provider, then lower-cased entity: Salesforce object names are case-insensitive. */
    private final Map<String, Map<String, EntityMapping>> byProvider;

    /** Loads the built-in mappings, then the files under {@code externalDir} when it is set. */
    @Autowired
    public MappingCatalog(@Value("${hub.mappings.dir:}") String externalDir) {
        this(merge(loadClasspath(), externalDir == null || externalDir.isBlank() ? Map.of() : loadDirectory(Path.of(externalDir.strip()))));
    }

    private MappingCatalog(Map<String, EntityMapping> mappings) {
        Map<String, Map<String, EntityMapping>> providers = new TreeMap<>();
        for (EntityMapping mapping : mappings.values()) {
            providers.computeIfAbsent(mapping.provider(), p -> new TreeMap<>()).put(mapping.entity().toLowerCase(Locale.ROOT), mapping);
        }
        this.byProvider = providers;
        LOG.info("Loaded {} field mapping(s) for provider(s) {}", mappings.size(), providers.keySet());
    }

    /** A catalog of only the files under {@code dir}, without the built-in mappings (tests, tooling). */
    public static MappingCatalog fromDirectory(Path dir) {
        return new MappingCatalog(loadDirectory(dir));
    }

    public Optional<EntityMapping> find(String provider, String entity) {
        Map<String, EntityMapping> entities = byProvider.get(provider.toLowerCase(Locale.ROOT));
        return entities == null ? Optional.empty() : Optional.ofNullable(entities.get(entity.toLowerCase(Locale.ROOT)));
    }

    /** The entity's mapping with an integration's field overrides for it (null or empty: none). */
    public Optional<EntityMapping> find(String provider, String entity, Map<String, List<Map<String, Object>>> fieldMappings) {
        return find(provider, entity).map(m -> withFieldOverrides(m, fieldMappings == null ? null : fieldMappings.get(m.entity())));
    }

    /** The provider's mappings, by entity name. */
    public List<EntityMapping> forProvider(String provider) {
        Map<String, EntityMapping> entities = byProvider.get(provider.toLowerCase(Locale.ROOT));
        return entities == null ? List.of() : List.copyOf(entities.values());
    }

    public Set<String> providers() {
        return Collections.unmodifiableSet(new TreeSet<>(byProvider.keySet()));
    }

    /**
     * The base mapping with an integration's field overrides (items shaped like a mapping file's {@code fields}):
     * each replaces the base field with the same target or adds a field.
     *
     * @throws MappingException naming the item and key, such as {@code fieldMappings[2].transform: unknown transform 'lowercaes'}
     */
    public EntityMapping withFieldOverrides(EntityMapping base, List<Map<String, Object>> fieldSpecs) {
        if (fieldSpecs == null || fieldSpecs.isEmpty()) {
            return base;
        }
        return MappingCompiler.withOverrides(base, new ValueSpecNode("fieldMappings", fieldSpecs));
    }

    /** Compiles one mapping file without adding it to a catalog; {@code name} is what error messages call it. */
    public static EntityMapping read(String name, Reader reader) {
        return MappingCompiler.compile(YamlSpecNode.read(name, reader), name);
    }

    private static Map<String, EntityMapping> loadClasspath() {
        PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver(MappingCatalog.class.getClassLoader());
        List<Resource> resources = new ArrayList<>();
        try {
            for (String pattern : CLASSPATH_PATTERNS) {
                resources.addAll(List.of(resolver.getResources(pattern)));
            }
        } catch (IOException e) {
            throw new MappingException("cannot list mapping files on the classpath: " + e.getMessage(), e);
        }
        Map<String, EntityMapping> mappings = new LinkedHashMap<>();
        for (Resource resource : resources) {
            String name = classpathName(resource);
            try (InputStream in = resource.getInputStream()) {
                add(mappings, read(name, new InputStreamReader(in, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new MappingException(name + ": cannot read: " + e.getMessage(), e);
            }
        }
        return mappings;
    }

    private static Map<String, EntityMapping> loadDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            // a mistyped directory must not silently fall back to the built-in mappings
            throw new MappingException("hub.mappings.dir '" + dir + "' is not a directory");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            // hidden directories are not read: a Kubernetes ConfigMap mount links each file from a ..<timestamp> one
            files = walk.filter(Files::isRegularFile).filter(p -> !hidden(dir.relativize(p).getParent()))
                    .filter(p -> p.getFileName().toString().endsWith(".yaml") || p.getFileName().toString().endsWith(".yml"))
                    .sorted(Comparator.comparing(Path::toString))
                    .toList();
        } catch (IOException e) {
            throw new MappingException("cannot list mapping files in '" + dir + "': " + e.getMessage(), e);
        }
        Map<String, EntityMapping> mappings = new LinkedHashMap<>();
        for (Path file : files) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                add(mappings, read(file.toString(), reader));
            } catch (IOException e) {
                throw new MappingException(file + ": cannot read: " + e.getMessage(), e);
            }
        }
        return mappings;
    }

    private static boolean hidden(Path relativeDir) {
        if (relativeDir == null) {
            return false;
        }
        for (Path part : relativeDir) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static void add(Map<String, EntityMapping> mappings, EntityMapping mapping) {
        EntityMapping earlier = mappings.put(key(mapping), mapping);
        if (earlier != null) {
            throw new MappingException(mapping.origin() + ": " + mapping.provider() + "/" + mapping.entity()
                    + " is already mapped by " + earlier.origin());
        }
    }

    private static Map<String, EntityMapping> merge(Map<String, EntityMapping> builtIn, Map<String, EntityMapping> external) {
        Map<String, EntityMapping> merged = new LinkedHashMap<>(builtIn);
        external.forEach((key, mapping) -> {
            EntityMapping replaced = merged.put(key, mapping);
            if (replaced != null) {
                LOG.info("Mapping {} replaces the built-in {}", mapping.origin(), replaced.origin());
            }
        });
        return merged;
    }

    private static String key(EntityMapping mapping) {
        return mapping.provider() + "/" + mapping.entity().toLowerCase(Locale.ROOT);
    }

    /** The path from the {@code mappings/} folder on, whether the file sits in a directory or inside a jar. */
    private static String classpathName(Resource resource) {
        try {
            String url = resource.getURL().toString();
            int at = url.lastIndexOf("/mappings/");
            return at >= 0 ? url.substring(at + 1) : url;
        } catch (IOException e) {
            return resource.getDescription();
        }
    }
}
