package store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import hub.Ids;
import hub.JsonText;

/**
 * Outgoing webhooks: tenants' endpoints, their messages (one per endpoint and event) and each attempt. Every tenant
 * query names the tenant; the sender's queries (by id) are for the hub's own dispatcher. Claims lock due messages of one
 * endpoint one by one with {@code FOR UPDATE SKIP LOCKED} and mark them with a lease, so instances never take the same
 * message while its lease runs, and a message whose sender died is taken again after it.
 */
@Repository
public class OutgoingWebhookStore {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    /** An endpoint with due messages, and its oldest due time (for fairness: the longest waiting first). */
    public record DueEndpoint(String endpointId, OffsetDateTime oldestDue) {
    }

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    public OutgoingWebhookStore(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    // ------------------------------------------------------------------------------------------------ endpoints

    public void insert(OutgoingEndpoint e) {
        jdbc.sql("""
                INSERT INTO webhook_endpoints (id, tenant_id, url, description, event_types, shard_types, status, secret_name, secret_version,
                  created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(e.id(), e.tenantId(), e.url(), e.description(), JsonText.write(json, e.eventTypes()),
                        e.shardTypes() == null ? null : JsonText.write(json, e.shardTypes()), e.status().value(), e.secretName(),
                        e.secretVersion(), e.createdAt(), e.updatedAt())
                .update();
    }

    public Optional<OutgoingEndpoint> find(String tenantId, String id) {
        return jdbc.sql("SELECT * FROM webhook_endpoints WHERE id = ? AND tenant_id = ?").params(id, tenantId).query(this::endpoint).optional();
    }

    /** The endpoint by id alone: for the dispatcher, which holds a message of it. */
    public Optional<OutgoingEndpoint> findById(String id) {
        return jdbc.sql("SELECT * FROM webhook_endpoints WHERE id = ?").param(id).query(this::endpoint).optional();
    }

    public Page<OutgoingEndpoint> list(String tenantId, Cursor cursor, int limit) {
        String sql = "SELECT * FROM webhook_endpoints WHERE tenant_id = :tenant"
                + (cursor == null ? "" : " AND (created_at > :at OR (created_at = :at AND id > :id))")
                + " ORDER BY created_at, id LIMIT :limit";
        JdbcClient.StatementSpec query = jdbc.sql(sql).param("tenant", tenantId).param("limit", limit + 1);
        if (cursor != null) {
            query = query.param("at", cursor.at()).param("id", cursor.id());
        }
        return Pages.of(query.query(this::endpoint).list(), limit, e -> new Cursor(e.createdAt(), e.id()));
    }

    /** The tenant's enabled endpoints: where its next event may go. */
    public List<OutgoingEndpoint> enabledOf(String tenantId) {
        return jdbc.sql("SELECT * FROM webhook_endpoints WHERE tenant_id = ? AND status = 'enabled'").param(tenantId)
                .query(this::endpoint).list();
    }

    public void update(OutgoingEndpoint e) {
        jdbc.sql("UPDATE webhook_endpoints SET url = ?, description = ?, event_types = ?, shard_types = ?, updated_at = ? WHERE id = ? AND tenant_id = ?")
                .params(e.url(), e.description(), JsonText.write(json, e.eventTypes()),
                        e.shardTypes() == null ? null : JsonText.write(json, e.shardTypes()), Timestamps.now(), e.id(), e.tenantId())
                .update();
    }

    /** Enables the endpoint again with a clean failure record. */
    public void enable(String tenantId, String id) {
        jdbc.sql("""
                UPDATE webhook_endpoints SET status = 'enabled', disabled_reason = NULL, disabled_at = NULL, failing_since = NULL,
                  updated_at = ? WHERE id = ? AND tenant_id = ?""").params(Timestamps.now(), id, tenantId).update();
    }

    /**
     * Disables an enabled endpoint and fails its pending messages (a replay sends them again); false when it was disabled
     * already (another sender got there first).
     */
    public boolean disable(String id, String reason, OffsetDateTime now) {
        int changed = jdbc.sql("""
                UPDATE webhook_endpoints SET status = 'disabled', disabled_reason = ?, disabled_at = ?, updated_at = ?
                WHERE id = ? AND status = 'enabled'""").params(reason, now, now, id).update();
        if (changed == 0) {
            return false;
        }
        jdbc.sql("""
                UPDATE webhook_messages SET status = 'failed', next_attempt_at = NULL, lease_until = NULL, updated_at = ?
                WHERE endpoint_id = ? AND status = 'pending'""").params(now, id).update();
        return true;
    }

    /** A failure: the endpoint fails since its first failure after the last success; returns since when. */
    public OffsetDateTime failing(String id, OffsetDateTime now) {
        jdbc.sql("UPDATE webhook_endpoints SET failing_since = ? WHERE id = ? AND failing_since IS NULL").params(now, id).update();
        return jdbc.sql("SELECT failing_since FROM webhook_endpoints WHERE id = ?").param(id)
                .query((rs, n) -> Timestamps.read(rs, "failing_since")).optional().orElse(now);
    }

    /** A success: the endpoint no longer fails. */
    public void succeeding(String id) {
        jdbc.sql("UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ? AND failing_since IS NOT NULL").param(id).update();
    }

    /** A new secret: the replaced one still signs until {@code previousUntil}. */
    public void rotated(String tenantId, String id, OffsetDateTime previousUntil) {
        jdbc.sql("""
                UPDATE webhook_endpoints SET secret_version = secret_version + 1, previous_secret_until = ?, updated_at = ?
                WHERE id = ? AND tenant_id = ?""").params(previousUntil, Timestamps.now(), id, tenantId).update();
    }

    /** Deletes the endpoint with its messages and attempts. */
    public boolean delete(String tenantId, String id) {
        int deleted = jdbc.sql("DELETE FROM webhook_endpoints WHERE id = ? AND tenant_id = ?").params(id, tenantId).update();
        if (deleted > 0) {
            jdbc.sql("DELETE FROM webhook_attempts WHERE endpoint_id = ? AND tenant_id = ?").params(id, tenantId).update();
            jdbc.sql("DELETE FROM webhook_messages WHERE endpoint_id = ? AND tenant_id = ?").params(id, tenantId).update();
        }
        return deleted > 0;
    }

    // ------------------------------------------------------------------------------------------------- messages

    /** Adds the message unless the endpoint has one for this event already (the relay sent it again); true when added. */
    public boolean insertIfAbsent(OutgoingMessage m) {
        return jdbc.sql("""
                INSERT INTO webhook_messages (id, tenant_id, endpoint_id, event_id, event_type, payload, status, attempts, next_attempt_at,
                  created_at, updated_at, trace_parent)
                SELECT ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?, ? FROM webhook_endpoints
                WHERE id = ? AND NOT EXISTS (SELECT 1 FROM webhook_messages WHERE id = ?)""")
                .params(m.id(), m.tenantId(), m.endpointId(), m.eventId(), m.eventType(), m.payload(), m.nextAttemptAt(), m.createdAt(),
                        m.updatedAt(), m.traceParent(), m.endpointId(), m.id())
                .update() > 0;
    }

    /** Endpoints with messages due and not claimed, the longest waiting first. */
    public List<DueEndpoint> dueEndpoints(OffsetDateTime now, int limit) {
        return jdbc.sql("""
                SELECT endpoint_id, MIN(next_attempt_at) AS oldest FROM webhook_messages
                WHERE next_attempt_at <= :now AND (lease_until IS NULL OR lease_until < :now)
                GROUP BY endpoint_id ORDER BY oldest LIMIT :limit""")
                .param("now", now).param("limit", limit)
                .query((rs, n) -> new DueEndpoint(rs.getString("endpoint_id"), Timestamps.read(rs, "oldest"))).list();
    }

    /**
     * Claims up to {@code limit} due messages of the endpoint until {@code leaseUntil}, among its oldest due: each locked
     * alone ({@code FOR UPDATE SKIP LOCKED} on its id, so a claim never locks the rest of a backlog away from the other
     * senders), tried in random order so concurrent senders rarely reach for the same row. Runs in the caller's
     * transaction.
     */
    public List<OutgoingMessage> claim(String endpointId, int limit, OffsetDateTime now, OffsetDateTime leaseUntil) {
        List<String> candidates = new ArrayList<>(jdbc.sql("""
                SELECT id FROM webhook_messages WHERE endpoint_id = :endpoint AND next_attempt_at <= :now
                  AND (lease_until IS NULL OR lease_until < :now)
                ORDER BY next_attempt_at LIMIT :window""")
                .param("endpoint", endpointId).param("now", now).param("window", limit * 4 + 8).query(String.class).list());
        Collections.shuffle(candidates);
        List<String> ids = new ArrayList<>(limit);
        for (String id : candidates) {
            if (ids.size() == limit) {
                break;
            }
            jdbc.sql("""
                    SELECT id FROM webhook_messages WHERE id = :id AND next_attempt_at <= :now AND (lease_until IS NULL OR lease_until < :now)
                    FOR UPDATE SKIP LOCKED""").param("id", id).param("now", now).query(String.class).optional().ifPresent(ids::add);
        }
        if (ids.isEmpty()) {
            return List.of();
        }
        jdbc.sql("UPDATE webhook_messages SET lease_until = :lease WHERE id IN (:ids)").param("lease", leaseUntil).param("ids", ids).update();
        return jdbc.sql("SELECT * FROM webhook_messages WHERE id IN (:ids) ORDER BY next_attempt_at").param("ids", ids)
                .query(this::message).list();
    }

    /** Settles an attempt: the message delivered, waiting for its next attempt ({@code next} set) or failed. */
    public void settle(String id, OutgoingMessage.Status status, int attempts, OffsetDateTime next, int lastStatus, OffsetDateTime now) {
        jdbc.sql("""
                UPDATE webhook_messages SET status = ?, attempts = ?, next_attempt_at = ?, lease_until = NULL, last_status = ?, updated_at = ?
                WHERE id = ?""").params(status.value(), attempts, next, lastStatus, now, id).update();
    }

    public Optional<OutgoingMessage> findMessage(String tenantId, String endpointId, String id) {
        return jdbc.sql("SELECT * FROM webhook_messages WHERE id = ? AND endpoint_id = ? AND tenant_id = ?").params(id, endpointId, tenantId)
                .query(this::message).optional();
    }

    /** The endpoint's messages, newest first (of {@code status} when given). */
    public Page<OutgoingMessage> messages(String tenantId, String endpointId, OutgoingMessage.Status status, Cursor cursor, int limit) {
        String sql = "SELECT * FROM webhook_messages WHERE tenant_id = :tenant AND endpoint_id = :endpoint"
                + (status == null ? "" : " AND status = :status")
                + (cursor == null ? "" : " AND (created_at < :at OR (created_at = :at AND id < :id))")
                + " ORDER BY created_at DESC, id DESC LIMIT :limit";
        JdbcClient.StatementSpec query = jdbc.sql(sql).param("tenant", tenantId).param("endpoint", endpointId).param("limit", limit + 1);
        if (status != null) {
            query = query.param("status", status.value());
        }
        if (cursor != null) {
            query = query.param("at", cursor.at()).param("id", cursor.id());
        }
        return Pages.of(query.query(this::message).list(), limit, m -> new Cursor(m.createdAt(), m.id()));
    }

    /** Makes one message due now with a fresh retry schedule (same webhook-id); false when there is none. */
    public boolean replay(String tenantId, String endpointId, String id, OffsetDateTime now) {
        return jdbc.sql("""
                UPDATE webhook_messages SET status = 'pending', attempts = 0, next_attempt_at = ?, lease_until = NULL, updated_at = ?
                WHERE id = ? AND endpoint_id = ? AND tenant_id = ?""").params(now, now, id, endpointId, tenantId).update() > 0;
    }

    /** Makes every failed message of the endpoint created since {@code since} due now; returns how many. */
    public int replayFailedSince(String tenantId, String endpointId, OffsetDateTime since, OffsetDateTime now) {
        return jdbc.sql("""
                UPDATE webhook_messages SET status = 'pending', attempts = 0, next_attempt_at = ?, lease_until = NULL, updated_at = ?
                WHERE endpoint_id = ? AND tenant_id = ? AND status = 'failed' AND created_at >= ?""")
                .params(now, now, endpointId, tenantId, since).update();
    }

    /** Messages of the tenant not delivered or failed yet (tests, the benchmark). */
    public long countPending(String tenantId) {
        return jdbc.sql("SELECT COUNT(*) FROM webhook_messages WHERE tenant_id = ? AND status = 'pending'").param(tenantId)
                .query(Long.class).single();
    }

    // ------------------------------------------------------------------------------------------------- attempts

    public void recordAttempt(String tenantId, String endpointId, OutgoingAttempt a) {
        jdbc.sql("""
                INSERT INTO webhook_attempts (id, tenant_id, endpoint_id, message_id, event_type, attempt, attempted_at, response_status, outcome,
                  duration_ms, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(a.id() == null ? Ids.newId() : a.id(), tenantId, endpointId, a.messageId(), a.eventType(), a.attempt(), a.attemptedAt(),
                        a.responseStatus(), a.outcome(), a.durationMs(), a.error())
                .update();
    }

    /** The endpoint's attempts, newest first (of one message when {@code messageId} is given). */
    public Page<OutgoingAttempt> attempts(String tenantId, String endpointId, String messageId, Cursor cursor, int limit) {
        String sql = "SELECT * FROM webhook_attempts WHERE tenant_id = :tenant AND endpoint_id = :endpoint"
                + (messageId == null ? "" : " AND message_id = :message")
                + (cursor == null ? "" : " AND (attempted_at < :at OR (attempted_at = :at AND id < :id))")
                + " ORDER BY attempted_at DESC, id DESC LIMIT :limit";
        JdbcClient.StatementSpec query = jdbc.sql(sql).param("tenant", tenantId).param("endpoint", endpointId).param("limit", limit + 1);
        if (messageId != null) {
            query = query.param("message", messageId);
        }
        if (cursor != null) {
            query = query.param("at", cursor.at()).param("id", cursor.id());
        }
        return Pages.of(query.query(OutgoingWebhookStore::attempt).list(), limit, a -> new Cursor(a.attemptedAt(), a.id()));
    }

    private OutgoingEndpoint endpoint(ResultSet rs, int row) throws SQLException {
        return new OutgoingEndpoint(rs.getString("id"), rs.getString("tenant_id"), rs.getString("url"), rs.getString("description"),
                strings(rs.getString("event_types")), strings(rs.getString("shard_types")),
                WireValue.parse(OutgoingEndpoint.Status.class, rs.getString("status")), rs.getString("disabled_reason"),
                Timestamps.read(rs, "disabled_at"), Timestamps.read(rs, "failing_since"), rs.getString("secret_name"), rs.getInt("secret_version"),
                Timestamps.read(rs, "previous_secret_until"), Timestamps.read(rs, "created_at"), Timestamps.read(rs, "updated_at"));
    }

    private OutgoingMessage message(ResultSet rs, int row) throws SQLException {
        return new OutgoingMessage(rs.getString("id"), rs.getString("tenant_id"), rs.getString("endpoint_id"), rs.getString("event_id"),
                rs.getString("event_type"), rs.getString("payload"), WireValue.parse(OutgoingMessage.Status.class, rs.getString("status")),
                rs.getInt("attempts"), Timestamps.read(rs, "next_attempt_at"), rs.getObject("last_status", Integer.class),
                Timestamps.read(rs, "created_at"), Timestamps.read(rs, "updated_at"), rs.getString("trace_parent"));
    }

    private static OutgoingAttempt attempt(ResultSet rs, int row) throws SQLException {
        return new OutgoingAttempt(rs.getString("id"), rs.getString("message_id"), rs.getString("event_type"), rs.getInt("attempt"),
                Timestamps.read(rs, "attempted_at"), rs.getInt("response_status"), rs.getString("outcome"), rs.getLong("duration_ms"),
                rs.getString("error"));
    }

    private List<String> strings(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readValue(text, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("webhook endpoint column is not a JSON list", e);
        }
    }
}
