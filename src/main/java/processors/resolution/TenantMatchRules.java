package processors.resolution;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import hub.JsonText;
import hub.ShardTypes;
import processors.mapping.EntityMapping;
import processors.mapping.FieldRule;
import processors.mapping.MappingCatalog;
import processors.matching.DefaultMatchRules;
import processors.matching.InvalidMatchRulesException;
import processors.matching.MatchRules;
import processors.matching.ShardFields;
import store.MatchRuleStore;

/**
 * The match rules in force for a tenant and shard type: its own (set through the API, checked against the fields the
 * mappings of the type target) or the built-in defaults. Reads are cached for {@link #CACHE_FOR}, so the sync asks
 * per record without a query; a save or reset on this instance is seen at once, on other instances within that time.
 */
@Component
public class TenantMatchRules {

    /** How long another instance's change of rules may take to be seen here. */
    public static final Duration CACHE_FOR = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(TenantMatchRules.class);

    /** Rules in force: the tenant's own ({@code isDefault} false, with when they were set) or the defaults. */
    public record Effective(String shardType, MatchRules rules, boolean isDefault, OffsetDateTime updatedAt) {
    }

    /** What a tenant stores to switch matching off for a shard type. */
    private static final String DISABLED = "{\"enabled\":false}";

    private record Cached(Optional<Effective> effective, long loadedAtNanos) {
    }

    private final MatchRuleStore store;
    private final MappingCatalog mappings;
    private final ObjectMapper json;
    private final int maxCandidates;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public TenantMatchRules(MatchRuleStore store, MappingCatalog mappings, ObjectMapper json,
                            @Value("${hub.matching.max-candidates:50}") int maxCandidates) {
        this.store = store;
        this.mappings = mappings;
        this.json = json;
        if (maxCandidates < 1 || maxCandidates > 1000) {
            throw new IllegalArgumentException("hub.matching.max-candidates must be from 1 to 1000, not " + maxCandidates);
        }
        this.maxCandidates = maxCandidates;
    }

    /** How many candidates ({@code store.BlockingKeyStore.candidates}) an incoming record is scored against. */
    public int maxCandidates() {
        return maxCandidates;
    }

    /** Whether the hub knows the shard type at all. */
    public static boolean knownType(String shardType) {
        return ShardTypes.ALL.contains(shardType);
    }

    /** The rules in force; empty when the type has neither the tenant's rules nor defaults (it is not matched). */
    public Optional<Effective> find(String tenantId, String shardType) {
        String key = tenantId + '\u0000' + shardType;
        Cached cached = cache.get(key);
        if (cached != null && System.nanoTime() - cached.loadedAtNanos() < CACHE_FOR.toNanos()) {
            return cached.effective();
        }
        Optional<Effective> effective = load(tenantId, shardType);
        cache.put(key, new Cached(effective, System.nanoTime()));
        return effective;
    }

    /** Whether the tenant has switched matching off for the shard type ({@code {"enabled": false}}). */
    public boolean disabled(String tenantId, String shardType) {
        return store.find(tenantId, shardType).map(s -> DISABLED.equals(s.rules())).orElse(false);
    }

    /** Switches matching off for the tenant's shards of the type: they are synced without being matched. */
    public void disable(String tenantId, String shardType) {
        store.save(tenantId, shardType, DISABLED);
        cache.remove(tenantId + '\u0000' + shardType);
    }

    private Optional<Effective> load(String tenantId, String shardType) {
        Optional<MatchRuleStore.StoredRules> stored = store.find(tenantId, shardType);
        if (stored.isPresent() && DISABLED.equals(stored.get().rules())) {
            return Optional.empty();
        }
        if (stored.isPresent()) {
            try {
                // checked when saved; a mapping changed since must not stop matching
                MatchRules rules = MatchRules.read(ShardFields.any(shardType), JsonText.readMap(json, stored.get().rules()));
                return Optional.of(new Effective(shardType, rules, false, stored.get().updatedAt()));
            } catch (InvalidMatchRulesException e) {
                LOG.error("Stored match rules of tenant {} for {} do not read ({}); the defaults apply", tenantId, shardType, e.getMessage());
            }
        }
        return DefaultMatchRules.forType(shardType).map(rules -> new Effective(shardType, rules, true, null));
    }

    /**
     * Checks and stores the tenant's rules for the shard type.
     *
     * @throws InvalidMatchRulesException naming the part of the document at fault
     */
    public Effective save(String tenantId, String shardType, Map<String, ?> document) {
        MatchRules rules = MatchRules.read(shardFields(shardType), document);
        MatchRuleStore.StoredRules stored = store.save(tenantId, shardType, JsonText.write(json, rules.toDocument()));
        cache.remove(tenantId + '\u0000' + shardType);
        return new Effective(shardType, rules, false, stored.updatedAt());
    }

    /** Removes the tenant's rules for the shard type (the defaults apply again); false when it had none. */
    public boolean reset(String tenantId, String shardType) {
        boolean removed = store.delete(tenantId, shardType);
        cache.remove(tenantId + '\u0000' + shardType);
        return removed;
    }

    /**
     * What rules of the shard type may name: every field a mapping into it targets, the fields the built-in defaults
     * compare (contacts' {@code birthDate}, {@code street}, {@code state} and {@code postalCode} before any mapping fills
     * them), and, for source priorities, the providers with a mapping into it.
     */
    public ShardFields shardFields(String shardType) {
        Set<String> fields = new TreeSet<>(DefaultMatchRules.fields(shardType));
        Set<String> sources = new TreeSet<>();
        for (String provider : mappings.providers()) {
            for (EntityMapping mapping : mappings.forProvider(provider)) {
                if (mapping.shardType().equals(shardType)) {
                    sources.add(mapping.provider());
                    for (FieldRule rule : mapping.fields()) {
                        fields.add(rule.target());
                    }
                }
            }
        }
        return new ShardFields(shardType, fields, sources);
    }
}
