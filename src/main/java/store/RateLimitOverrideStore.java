package store;

import java.time.OffsetDateTime;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
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
        if (settings == null) {
            jdbc.sql("DELETE FROM integration_rate_limits WHERE integration_id = ?").param(integrationId).update();
            return;
        }
        upsert("UPDATE integration_rate_limits SET settings = ?, updated_at = ? WHERE integration_id = ?",
                "INSERT INTO integration_rate_limits (settings, updated_at, integration_id, tenant_id) VALUES (?, ?, ?, ?)",
                settings, integrationId, tenantId);
    }

    /** Stores the tenant's overrides; null removes them. */
    public void saveTenant(String tenantId, String settings) {
        if (settings == null) {
            jdbc.sql("DELETE FROM tenant_rate_limits WHERE tenant_id = ?").param(tenantId).update();
            return;
        }
        upsert("UPDATE tenant_rate_limits SET settings = ?, updated_at = ? WHERE tenant_id = ?",
                "INSERT INTO tenant_rate_limits (settings, updated_at, tenant_id) VALUES (?, ?, ?)", settings, tenantId);
    }

    /** Updates the row, or inserts it; a concurrent insert of the same row turns into an update. */
    private void upsert(String update, String insert, String settings, String id, String... more) {
        OffsetDateTime now = Timestamps.now();
        if (jdbc.sql(update).params(settings, now, id).update() == 1) {
            return;
        }
        Object[] values = new Object[3 + more.length];
        values[0] = settings;
        values[1] = now;
        values[2] = id;
        System.arraycopy(more, 0, values, 3, more.length);
        try {
            jdbc.sql(insert).params(values).update();
        } catch (DuplicateKeyException raced) {
            jdbc.sql(update).params(settings, now, id).update();
        }
    }
}
