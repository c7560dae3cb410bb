package store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class ConnectionStore {

    private final JdbcClient jdbc;

    public ConnectionStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A rotation policy: credentials older than maxAgeDays must be replaced; the hub warns warnDays before. */
    public record Rotation(int maxAgeDays, int warnDays) {
    }

    /**
     * New credentials for the connection: their type, secret name and test outcome, set now, under the
     * rotation policy (null: none). The token expiry and refresh times start over.
     */
    public void save(String integrationId, String tenantId, String authType, String secretName, Connection.Status status, String lastError,
                     OffsetDateTime testedAt, Rotation rotation) {
        OffsetDateTime now = Timestamps.now();
        Integer maxAge = rotation == null ? null : rotation.maxAgeDays();
        Integer warn = rotation == null ? null : rotation.warnDays();
        int updated = jdbc.sql("""
                UPDATE integration_connections SET auth_type = ?, secret_name = ?, status = ?, last_error = ?, last_tested_at = ?,
                  expires_at = NULL, last_refreshed_at = NULL, credentials_set_at = ?, rotation_max_age_days = ?, rotation_warn_days = ?,
                  rotation_warned_at = NULL, updated_at = ? WHERE integration_id = ?""")
                .params(authType, secretName, status.value(), lastError, testedAt, now, maxAge, warn, now, integrationId).update();
        if (updated == 0) {
            jdbc.sql("""
                    INSERT INTO integration_connections (integration_id, tenant_id, auth_type, secret_name, status, last_error,
                      last_tested_at, credentials_set_at, rotation_max_age_days, rotation_warn_days, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(integrationId, tenantId, authType, secretName, status.value(), lastError, testedAt, now, maxAge, warn, now, now).update();
        }
    }

    /** Connections under a rotation policy not warned about since the given time (the monitor decides which are due). */
    public java.util.List<Connection> withRotationPolicy(OffsetDateTime notWarnedSince) {
        return jdbc.sql("""
                SELECT * FROM integration_connections WHERE rotation_max_age_days IS NOT NULL
                AND (rotation_warned_at IS NULL OR rotation_warned_at < ?)""").param(notWarnedSince).query(this::map).list();
    }

    public void recordRotationWarning(String integrationId) {
        jdbc.sql("UPDATE integration_connections SET rotation_warned_at = ? WHERE integration_id = ?")
                .params(Timestamps.now(), integrationId).update();
    }

    public void recordTest(String integrationId, Connection.Status status, String lastError) {
        jdbc.sql("UPDATE integration_connections SET status = ?, last_error = ?, last_tested_at = ?, updated_at = ? WHERE integration_id = ?")
                .params(status.value(), lastError, Timestamps.now(), Timestamps.now(), integrationId).update();
    }

    /** The connection, its row locked for the rest of the transaction (one token refresh at a time, across instances). */
    public Optional<Connection> lock(String integrationId) {
        return jdbc.sql("SELECT * FROM integration_connections WHERE integration_id = ? FOR UPDATE").param(integrationId)
                .query(this::map).optional();
    }

    /** Connected connections of these types whose tokens expire before the given time (or have no known expiry), soonest first. */
    public java.util.List<Connection> expiringBefore(java.time.OffsetDateTime before, java.util.Collection<String> authTypes, int limit) {
        return jdbc.sql("""
                SELECT * FROM integration_connections WHERE status = 'connected' AND (expires_at IS NULL OR expires_at < :before)
                AND auth_type IN (:types) ORDER BY expires_at NULLS FIRST LIMIT :limit""")
                .param("before", before).param("types", authTypes).param("limit", limit).query(this::map).list();
    }

    public void recordExpiry(String integrationId, java.time.OffsetDateTime expiresAt) {
        jdbc.sql("UPDATE integration_connections SET expires_at = ?, updated_at = ? WHERE integration_id = ?")
                .params(expiresAt, Timestamps.now(), integrationId).update();
    }

    /** A refreshed token's expiry; the connection is connected again. */
    public void recordRefresh(String integrationId, java.time.OffsetDateTime expiresAt) {
        jdbc.sql("""
                UPDATE integration_connections SET expires_at = ?, last_refreshed_at = ?, status = 'connected', last_error = NULL, updated_at = ?
                WHERE integration_id = ?""").params(expiresAt, Timestamps.now(), Timestamps.now(), integrationId).update();
    }

    public Optional<Connection> find(String integrationId) {
        return jdbc.sql("SELECT * FROM integration_connections WHERE integration_id = ?").param(integrationId).query(this::map).optional();
    }

    public void delete(String integrationId) {
        jdbc.sql("DELETE FROM integration_connections WHERE integration_id = ?").param(integrationId).update();
    }

    private Connection map(ResultSet rs, int row) throws SQLException {
        return new Connection(rs.getString("integration_id"), rs.getString("tenant_id"), rs.getString("auth_type"),
                rs.getString("secret_name"), Connection.Status.of(rs.getString("status")), Timestamps.read(rs, "expires_at"),
                Timestamps.read(rs, "last_refreshed_at"), Timestamps.read(rs, "last_tested_at"), rs.getString("last_error"),
                Timestamps.read(rs, "created_at"), Timestamps.read(rs, "updated_at"), Timestamps.read(rs, "credentials_set_at"),
                (Integer) rs.getObject("rotation_max_age_days", Integer.class), (Integer) rs.getObject("rotation_warn_days", Integer.class));
    }
}
