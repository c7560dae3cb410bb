package store;

import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Rate-limit overrides as JSON documents, one per integration and one per tenant; parsed by {@code ratelimits.Overrides}. */
@Repository
public class RateLimitOverrideStore {

    private final JdbcClient jdbc;

    public RateLimitOverrideStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<String> integration(String integrationId) {
        return jdbc.sql("SELECT settings FROM integration_rate_limits WHERE integration_id = ?").param(integrationId)
                .query(String.class).optional();
    }

    public Optional<String> tenant(String tenantId) {
        return jdbc.sql("SELECT settings FROM tenant_rate_limits WHERE tenant_id = ?").param(tenantId).query(String.class).optional();
    }

    /** Stores the integration's overrides; null removes them. */
    public void saveIntegration(String tenantId, String integrationId, String settings) {
        jdbc.sql("DELETE FROM integration_rate_limits WHERE integration_id = ?").param(integrationId).update();
        if (settings != null) {
            jdbc.sql("INSERT INTO integration_rate_limits (integration_id, tenant_id, settings, updated_at) VALUES (?, ?, ?, ?)")
                    .params(integrationId, tenantId, settings, Timestamps.now()).update();
        }
    }

    /** Stores the tenant's overrides; null removes them. */
    public void saveTenant(String tenantId, String settings) {
        jdbc.sql("DELETE FROM tenant_rate_limits WHERE tenant_id = ?").param(tenantId).update();
        if (settings != null) {
            jdbc.sql("INSERT INTO tenant_rate_limits (tenant_id, settings, updated_at) VALUES (?, ?, ?)")
                    .params(tenantId, settings, Timestamps.now()).update();
        }
    }
}
