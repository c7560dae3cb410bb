package store;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * A tenant's instance of a provider and its sync settings. {@code entityMappings} lists the provider
 * entities to sync (empty: every entity with a mapping); {@code pullFilters} and
 * {@code fieldMappings} are keyed by provider entity.
 */
public record Integration(
        String id,
        String tenantId,
        String providerId,
        String name,
        String status,
        boolean syncEnabled,
        String syncDirection,
        String syncFrequency,
        String conflictResolution,
        Integer maxRecordsPerSync,
        Settings settings,
        OffsetDateTime lastSyncAt,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    public record Settings(
            Map<String, List<Map<String, Object>>> pullFilters,
            List<EntityMapping> entityMappings,
            Map<String, List<Map<String, Object>>> fieldMappings) {

        public Settings {
            pullFilters = pullFilters == null ? Map.of() : pullFilters;
            entityMappings = entityMappings == null ? List.of() : entityMappings;
            fieldMappings = fieldMappings == null ? Map.of() : fieldMappings;
        }

        public static Settings empty() {
            return new Settings(Map.of(), List.of(), Map.of());
        }
    }

    public record EntityMapping(String entity, Boolean enabled) {
    }

    public Integration withStatus(String newStatus) {
        return new Integration(id, tenantId, providerId, name, newStatus, syncEnabled, syncDirection, syncFrequency,
                conflictResolution, maxRecordsPerSync, settings, lastSyncAt, createdAt, updatedAt);
    }
}
