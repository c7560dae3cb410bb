package store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

@Repository
public class WebhookRegistrationStore {

    private final JdbcClient jdbc;
    /** Size of the events and settings columns (their JSON text). */
    public static final int MAX_JSON_CHARS = 4000;

    private final ObjectMapper json;

    private final EventStore events;

    public WebhookRegistrationStore(JdbcClient jdbc, ObjectMapper json, EventStore events) {
        this.events = events;
        this.jdbc = jdbc;
        this.json = json;
    }

    public void insert(WebhookRegistration r) {
        jdbc.sql("""
                INSERT INTO webhook_registrations (id, tenant_id, integration_id, scheme, events, settings, secret_name, status,
                  consecutive_failures, total_failures, provider_webhook_id, expires_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?)""")
                .params(r.id(), r.tenantId(), r.integrationId(), r.scheme(), write(r.events()), write(r.settings()), r.secretName(),
                        r.status().value(), r.providerWebhookId(), r.expiresAt(), r.createdAt(), r.updatedAt())
                .update();
    }

    public Optional<WebhookRegistration> findById(String id) {
        return jdbc.sql("SELECT * FROM webhook_registrations WHERE id = ?").param(id).query(this::map).optional();
    }

    public Optional<WebhookRegistration> find(String tenantId, String integrationId, String id) {
        return jdbc.sql("SELECT * FROM webhook_registrations WHERE id = ? AND integration_id = ? AND tenant_id = ?")
                .params(id, integrationId, tenantId).query(this::map).optional();
    }

    public Page<WebhookRegistration> list(String tenantId, String integrationId, Cursor after, int limit) {
        String sql = "SELECT * FROM webhook_registrations WHERE tenant_id = :tenant AND integration_id = :integration"
                + (after == null ? "" : " AND (created_at > :afterAt OR (created_at = :afterAt AND id > :afterId))")
                + " ORDER BY created_at, id LIMIT :limit";
        JdbcClient.StatementSpec query = jdbc.sql(sql).param("tenant", tenantId).param("integration", integrationId).param("limit", limit + 1);
        if (after != null) {
            query = query.param("afterAt", after.at()).param("afterId", after.id());
        }
        return Pages.of(query.query(this::map).list(), limit, r -> new Cursor(r.createdAt(), r.id()));
    }

    public boolean delete(String tenantId, String integrationId, String id) {
        return jdbc.sql("DELETE FROM webhook_registrations WHERE id = ? AND integration_id = ? AND tenant_id = ?")
                .params(id, integrationId, tenantId).update() > 0;
    }

    public void secretName(String id, String secretName) {
        jdbc.sql("UPDATE webhook_registrations SET secret_name = ?, updated_at = ? WHERE id = ?").params(secretName, Timestamps.now(), id).update();
    }

    /** The provider's subscription as registered: its id, expiry, and the receiver URL the provider was given. */
    public void providerSubscription(String id, String providerWebhookId, java.time.OffsetDateTime expiresAt, String callbackUrl) {
        jdbc.sql("UPDATE webhook_registrations SET provider_webhook_id = ?, expires_at = ?, callback_url = ?, updated_at = ? WHERE id = ?")
                .params(providerWebhookId, expiresAt, callbackUrl, Timestamps.now(), id).update();
    }

    /** A renewal of the provider subscription: its id and expiry now, and what the renewal did (at most 500 characters). */
    public void renewed(String id, String providerWebhookId, java.time.OffsetDateTime expiresAt, String what) {
        java.time.OffsetDateTime now = Timestamps.now();
        jdbc.sql("""
                UPDATE webhook_registrations SET provider_webhook_id = ?, expires_at = ?, last_renewed_at = ?, last_renewal = ?, updated_at = ?
                WHERE id = ?""").params(providerWebhookId, expiresAt, now, what.length() > 500 ? what.substring(0, 500) : what, now, id).update();
    }

    /** Registrations with a provider subscription that expires before the given time, soonest first; disabled ones aside. */
    public List<WebhookRegistration> expiringBefore(java.time.OffsetDateTime before, int limit) {
        return jdbc.sql("""
                SELECT * FROM webhook_registrations
                WHERE provider_webhook_id IS NOT NULL AND expires_at IS NOT NULL AND expires_at < ? AND status <> 'disabled'
                ORDER BY expires_at LIMIT ?""").params(before, limit).query(this::map).list();
    }

    /** Notes why renewing the provider subscription failed; the delivery failure counters are untouched. */
    public void recordRenewalFailure(String id, String reason) {
        jdbc.sql("UPDATE webhook_registrations SET last_failure_at = ?, last_failure_reason = ?, updated_at = ? WHERE id = ?")
                .params(Timestamps.now(), reason, Timestamps.now(), id).update();
    }

    /**
     * Records a failed delivery and moves the status to what the new failure count calls for; a move to failing or disabled
     * appends {@code webhook.registration_failing} or {@code webhook.registration_disabled} in the same transaction.
     */
    @Transactional
    public void recordFailure(String id, String reason, int failingAfter, int disabledAfter) {
        WebhookRegistration.Status before = findById(id).map(WebhookRegistration::status).orElse(null);
        jdbc.sql("""
                UPDATE webhook_registrations SET consecutive_failures = consecutive_failures + 1, total_failures = total_failures + 1,
                  last_failure_at = ?, last_failure_reason = ?, updated_at = ?,
                  status = CASE WHEN consecutive_failures + 1 >= ? THEN 'disabled'
                                WHEN consecutive_failures + 1 >= ? THEN 'failing' ELSE status END
                WHERE id = ?""")
                .params(Timestamps.now(), reason, Timestamps.now(), disabledAfter, failingAfter, id).update();
        findById(id).filter(r -> r.status() != before && r.status() != WebhookRegistration.Status.ACTIVE).ifPresent(r ->
                events.append(r.tenantId(), "webhook.registration_" + r.status().value(), r.id(), EventStore.data(
                        "registrationId", r.id(), "integrationId", r.integrationId(), "scheme", r.scheme(), "status", r.status().value(),
                        "consecutiveFailures", r.consecutiveFailures(), "reason", r.lastFailureReason())));
    }

    /** A genuine delivery: the registration is active again. */
    public void recordSuccess(String id) {
        jdbc.sql("""
                UPDATE webhook_registrations SET consecutive_failures = 0, status = 'active', last_success_at = ?, updated_at = ?
                WHERE id = ?""").params(Timestamps.now(), Timestamps.now(), id).update();
    }

    private WebhookRegistration map(ResultSet rs, int row) throws SQLException {
        return new WebhookRegistration(rs.getString("id"), rs.getString("tenant_id"), rs.getString("integration_id"),
                rs.getString("scheme"), read(rs.getString("events"), new TypeReference<List<String>>() {
                }), read(rs.getString("settings"), new TypeReference<Map<String, String>>() {
                }), rs.getString("secret_name"), WebhookRegistration.Status.of(rs.getString("status")), rs.getInt("consecutive_failures"),
                rs.getLong("total_failures"), Timestamps.read(rs, "last_success_at"), Timestamps.read(rs, "last_failure_at"),
                rs.getString("last_failure_reason"),
                rs.getString("provider_webhook_id"), rs.getString("callback_url"), Timestamps.read(rs, "expires_at"),
                Timestamps.read(rs, "last_renewed_at"),
                rs.getString("last_renewal"), Timestamps.read(rs, "created_at"),
                Timestamps.read(rs, "updated_at"));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String value, TypeReference<T> type) {
        try {
            return json.readValue(value, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("webhook registration column unreadable: " + e.getOriginalMessage());
        }
    }
}
