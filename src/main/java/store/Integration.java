package store;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * A tenant's instance of a provider and its sync settings. {@code entityMappings} lists the provider
 * entities to sync (empty: every entity with a mapping); {@code pullFilters} and
 * {@code fieldMappings} are keyed by provider entity; {@code sources} are the provider's containers the integration
 * reads (Slack channels, GitHub repositories, Notion databases, Drive folders), keyed by entity or {@code "*"}.
 */
public record Integration(
        String id,
        String tenantId,
        String providerId,
        String name,
        Status status,
        boolean syncEnabled,
        String syncDirection,
        String syncFrequency,
        String conflictResolution,
        Integer maxRecordsPerSync,
        Settings settings,
        OffsetDateTime lastSyncAt,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    /**
     * {@code pending} until the first connect, then its connection's status. {@link #value()} is its
     * spelling in the column and the JSON.
     */
    public enum Status implements WireValue {
        PENDING, CONNECTED, ERROR, DISCONNECTED, AUTH_FAILED;

        @Override
        public String toString() {
            return value();
        }

        /** The constant spelled {@code value}; refuses an unknown spelling, naming the allowed ones. */
        public static Status of(String value) {
            return WireValue.parse(Status.class, value);
        }

        /** The integration's status once its connection has {@code status}. */
        public static Status following(Connection.Status status) {
            return switch (status) {
                case CONNECTED -> CONNECTED;
                case ERROR -> ERROR;
                case DISCONNECTED -> DISCONNECTED;
                case AUTH_FAILED -> AUTH_FAILED;
            };
        }
    }

    public record Settings(
            Map<String, List<Map<String, Object>>> pullFilters,
            List<EntityMapping> entityMappings,
            Map<String, List<Map<String, Object>>> fieldMappings,
            WriteBack writeBack,
            Map<String, List<String>> sources) {

        public Settings {
            sources = sources == null ? Map.of() : sources;
            pullFilters = pullFilters == null ? Map.of() : pullFilters;
            entityMappings = entityMappings == null ? List.of() : entityMappings;
            fieldMappings = fieldMappings == null ? Map.of() : fieldMappings;
            writeBack = writeBack == null ? WriteBack.DEFAULT : writeBack;
        }

        public static Settings empty() {
            return new Settings(Map.of(), List.of(), Map.of(), WriteBack.DEFAULT, Map.of());
        }
    }

    /**
     * How shard changes are written back. {@code entities}: the provider entities written back (empty:
     * every mapped one). {@code conflicts}: per-entity conflict policy over the integration's
     * {@code conflictResolution}. {@code fallback}: what {@code merge} and {@code field_priority} do
     * with a conflicting field they do not settle. {@code fieldPriority}: per shard field, the side
     * that owns it ({@code castiel} or {@code external}).
     */
    public record WriteBack(List<String> entities, Map<String, ConflictPolicy> conflicts, String fallback,
                            Map<String, String> fieldPriority, Retry retry) {

        public static final WriteBack DEFAULT = new WriteBack(List.of(), Map.of(), "manual", Map.of(), Retry.DEFAULT);

        public WriteBack {
            entities = entities == null ? List.of() : entities;
            conflicts = conflicts == null ? Map.of() : conflicts;
            fallback = fallback == null ? "manual" : fallback;
            fieldPriority = fieldPriority == null ? Map.of() : fieldPriority;
            retry = retry == null ? Retry.DEFAULT : retry;
        }
    }

    /** A conflict policy for one entity; null parts fall back to the integration's. */
    public record ConflictPolicy(String strategy, String fallback, Map<String, String> fieldPriority) {
    }

    /** Write-back retries: attempts in all, the first delay, and its growth per attempt. */
    public record Retry(Integer maxAttempts, Long backoffMs, Double backoffMultiplier) {

        public static final Retry DEFAULT = new Retry(3, 5000L, 2.0);

        public Retry {
            maxAttempts = maxAttempts == null ? 3 : maxAttempts;
            backoffMs = backoffMs == null ? 5000L : backoffMs;
            backoffMultiplier = backoffMultiplier == null ? 2.0 : backoffMultiplier;
        }

        /** The delay before attempt {@code attempt + 1}, after {@code attempt} failed ones. */
        public long delayAfter(int attempt) {
            return (long) (backoffMs * Math.pow(backoffMultiplier, Math.max(0, attempt - 1)));
        }
    }

    /** True when shard changes of this entity go back to the provider. */
    public boolean writesBack(String entity) {
        boolean direction = "outbound".equals(syncDirection) || "bidirectional".equals(syncDirection);
        List<String> entities = settings.writeBack().entities();
        return direction && (entities.isEmpty() || entities.contains(entity));
    }

    public record EntityMapping(String entity, Boolean enabled) {
    }

    public Integration withStatus(Status newStatus) {
        return new Integration(id, tenantId, providerId, name, newStatus, syncEnabled, syncDirection, syncFrequency,
                conflictResolution, maxRecordsPerSync, settings, lastSyncAt, createdAt, updatedAt);
    }
}
