package store;

import java.time.OffsetDateTime;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class TenantStore {

    public record Tenant(String id, String name, OffsetDateTime createdAt) {
    }

    private final JdbcClient jdbc;

    public TenantStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Tenant create(String id, String name) {
        Tenant tenant = new Tenant(id, name, Timestamps.now());
        jdbc.sql("INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?)")
                .params(tenant.id(), tenant.name(), tenant.createdAt()).update();
        return tenant;
    }

    public Optional<Tenant> find(String id) {
        return jdbc.sql("SELECT id, name, created_at FROM tenants WHERE id = ?").param(id)
                .query((rs, n) -> new Tenant(rs.getString("id"), rs.getString("name"), Timestamps.read(rs, "created_at")))
                .optional();
    }

    /** Tenants by name (the console's tenant switcher), at most {@code limit}. */
    public java.util.List<Tenant> list(int limit) {
        return jdbc.sql("SELECT id, name, created_at FROM tenants ORDER BY name, id LIMIT ?").param(limit)
                .query((rs, n) -> new Tenant(rs.getString("id"), rs.getString("name"), Timestamps.read(rs, "created_at"))).list();
    }

    /** Locks the tenant's row until the transaction ends: decisions over all of a tenant's runs are taken one at a time. */
    public boolean lock(String id) {
        return jdbc.sql("SELECT id FROM tenants WHERE id = ? FOR UPDATE").param(id).query(String.class).optional().isPresent();
    }
}
