package api;

import java.util.List;
import java.util.Map;

import store.Integration;

/** Body of POST (and, merged over the current values, PATCH) /api/tenant/integrations. */
public record IntegrationRequest(
        String providerId,
        String name,
        Boolean syncEnabled,
        String syncDirection,
        String syncFrequency,
        String conflictResolution,
        Integer maxRecordsPerSync,
        Map<String, List<Map<String, Object>>> pullFilters,
        List<Integration.EntityMapping> entityMappings,
        Map<String, List<Map<String, Object>>> fieldMappings,
        Integration.WriteBack writeBack,
        Map<String, List<String>> sources) {
}
