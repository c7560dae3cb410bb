package api;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import store.Integration;

/** An integration as the API shows and accepts it: settings flat, as in the system description. */
public record IntegrationView(
        String id,
        String providerId,
        String name,
        Integration.Status status,
        Boolean syncEnabled,
        String syncDirection,
        @JsonInclude(JsonInclude.Include.ALWAYS) String syncFrequency,
        String conflictResolution,
        @JsonInclude(JsonInclude.Include.ALWAYS) Integer maxRecordsPerSync,
        Map<String, List<Map<String, Object>>> pullFilters,
        List<Integration.EntityMapping> entityMappings,
        Map<String, List<Map<String, Object>>> fieldMappings,
        Integration.WriteBack writeBack,
        Map<String, List<String>> sources,
        OffsetDateTime lastSyncAt,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    static IntegrationView of(Integration i) {
        return new IntegrationView(i.id(), i.providerId(), i.name(), i.status(), i.syncEnabled(), i.syncDirection(), i.syncFrequency(),
                i.conflictResolution(), i.maxRecordsPerSync(), i.settings().pullFilters(), i.settings().entityMappings(),
                i.settings().fieldMappings(), i.settings().writeBack(), i.settings().sources(), i.lastSyncAt(), i.createdAt(), i.updatedAt());
    }
}
