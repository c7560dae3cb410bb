package store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The delivery log: batch inserts for the receiver, tenant-scoped reads for the API, retention purge. */
@Repository
public class WebhookDeliveryStore {

    /**
     * A log row with what processing made of it: an accepted delivery's outcome is a row of its own, apart from the log row
     * (V38), so that marking a batch processed does not rewrite the log rows.
     */
    private static final String SELECT = """
            SELECT d.id, d.registration_id, d.tenant_id, d.delivery_key, d.received_at, d.verification, d.http_status, d.events,
              d.reason, d.ack_ms, COALESCE(o.status, d.status) AS status, COALESCE(o.outcome, d.outcome) AS outcome,
              COALESCE(o.processed_at, d.processed_at) AS processed_at, COALESCE(o.latency_ms, d.latency_ms) AS latency_ms
            FROM webhook_deliveries d LEFT JOIN webhook_delivery_outcomes o ON o.delivery_id = d.id""";

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final ObjectMapper json;

    public WebhookDeliveryStore(JdbcClient jdbc, JdbcTemplate template, ObjectMapper json) {
        this.jdbc = jdbc;
        this.template = template;
        this.json = json;
    }

    /** Which of these (registration, delivery key) pairs the log already holds. */
    public Set<String> knownKeys(List<WebhookDelivery> deliveries) {
        Set<String> known = new HashSet<>();
        List<Object[]> keys = new ArrayList<>();
        for (WebhookDelivery d : deliveries) {
            if (d.deliveryKey() != null) {
                keys.add(new Object[] {d.registrationId(), d.deliveryKey()});
            }
        }
        for (int i = 0; i < keys.size(); i += 500) {
            jdbc.sql("SELECT registration_id, delivery_key FROM webhook_deliveries WHERE (registration_id, delivery_key) IN (:keys)")
                    .param("keys", keys.subList(i, Math.min(keys.size(), i + 500)))
                    .query((ResultSet rs) -> {
                        known.add(rs.getString("registration_id") + "|" + rs.getString("delivery_key"));
                    });
        }
        return known;
    }

    public void insert(List<WebhookDelivery> deliveries) {
        if (deliveries.isEmpty()) {
            return;
        }
        template.batchUpdate("""
                INSERT INTO webhook_deliveries (id, registration_id, tenant_id, delivery_key, received_at, verification, status, http_status,
                  events, reason, outcome, ack_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                deliveries, deliveries.size(), (ps, d) -> {
                    ps.setString(1, d.id());
                    ps.setString(2, d.registrationId());
                    ps.setString(3, d.tenantId());
                    ps.setString(4, d.deliveryKey());
                    ps.setObject(5, d.receivedAt());
                    ps.setString(6, d.verification().value());
                    ps.setString(7, d.status().value());
                    ps.setInt(8, d.httpStatus());
                    ps.setString(9, d.events() == null ? null : write(d.events()));
                    ps.setString(10, d.reason());
                    ps.setString(11, d.outcome());
                    if (d.ackMs() == null) {
                        ps.setNull(12, java.sql.Types.INTEGER);
                    } else {
                        ps.setInt(12, d.ackMs());
                    }
                });
        List<WebhookDelivery> withPayload = deliveries.stream().filter(d -> d.payload() != null).toList();
        if (!withPayload.isEmpty()) {
            template.batchUpdate("INSERT INTO webhook_delivery_payloads (delivery_id, payload) VALUES (?, ?)", withPayload,
                    withPayload.size(), (ps, d) -> {
                        ps.setString(1, d.id());
                        ps.setString(2, d.payload());
                    });
        }
    }

    /** The body of an accepted delivery as it was received. */
    public Optional<String> payload(String deliveryId) {
        return jdbc.sql("SELECT payload FROM webhook_delivery_payloads WHERE delivery_id = ?").param(deliveryId).query(String.class).optional();
    }

    public Optional<WebhookDelivery> findById(String id) {
        return jdbc.sql(SELECT + " WHERE d.id = ?").param(id).query(this::map).optional();
    }

    /** The tenant's delivery; another tenant's is not found. */
    public Optional<WebhookDelivery> find(String tenantId, String id) {
        return jdbc.sql(SELECT + " WHERE d.id = ? AND d.tenant_id = ?").params(id, tenantId).query(this::map).optional();
    }

    /**
     * Makes a processed delivery accepted again, to be processed once more as when it arrived (its outcome and processing
     * time cleared until then). Only a verified delivery processing finished with moves, and only once: false when it is
     * waiting to be processed (a replay already under way), or was refused, a duplicate or a handshake.
     */
    public boolean reaccept(String tenantId, String id) {
        return jdbc.sql("""
                DELETE FROM webhook_delivery_outcomes WHERE delivery_id = :id AND status IN (:finished) AND EXISTS (
                  SELECT 1 FROM webhook_deliveries WHERE id = :id AND tenant_id = :tenant AND verification = :verified)""")
                .param("id", id).param("tenant", tenantId)
                .param("verified", WebhookDelivery.Verification.VERIFIED.value())
                .param("finished", List.of(WebhookDelivery.Status.PROCESSED.value(), WebhookDelivery.Status.PROCESSING_FAILED.value()))
                .update() == 1;
    }

    private static String truncate(String value) {
        return value == null || value.length() <= 1000 ? value : value.substring(0, 999) + "…";
    }

    /** The deliveries with these ids that are still waiting to be processed. */
    public List<WebhookDelivery> accepted(List<String> ids) {
        List<WebhookDelivery> found = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += 500) {
            found.addAll(jdbc.sql(SELECT + " WHERE d.id IN (:ids) AND d.status = 'accepted' AND o.delivery_id IS NULL")
                    .param("ids", ids.subList(i, Math.min(ids.size(), i + 500))).query(this::map).list());
        }
        return found;
    }

    /** What processing made of a delivery. */
    public record Processed(String id, String outcome, long latencyMs) {
    }

    /**
     * Marks accepted deliveries processed, each once; returns how many this call marked. One transaction for the batch: on
     * its own each row's insert would be a commit of its own (and on H2 a write of the store to its file). Should another
     * consumer mark the same delivery at the same moment (a recovered delivery), one of the two fails on the outcome's key
     * and its message, redelivered, finds the delivery done.
     */
    @Transactional
    public int markProcessed(List<Processed> processed, OffsetDateTime at) {
        if (processed.isEmpty()) {
            return 0;
        }
        int[][] counts = template.batchUpdate("""
                INSERT INTO webhook_delivery_outcomes (delivery_id, status, outcome, processed_at, latency_ms)
                SELECT d.id, 'processed', ?, ?, ? FROM webhook_deliveries d WHERE d.id = ? AND d.status = 'accepted'
                  AND NOT EXISTS (SELECT 1 FROM webhook_delivery_outcomes o WHERE o.delivery_id = d.id)""",
                processed, processed.size(), (ps, p) -> {
                    ps.setString(1, truncate(p.outcome()));
                    ps.setObject(2, at);
                    ps.setLong(3, p.latencyMs());
                    ps.setString(4, p.id());
                });
        int marked = 0;
        for (int[] batch : counts) {
            for (int c : batch) {
                marked += Math.max(c, 0);
            }
        }
        return marked;
    }

    /** Accepted deliveries that are still unprocessed after {@code before}: re-queued after a crash between commit and send. */
    public List<String> unprocessedBefore(OffsetDateTime before, int limit) {
        return jdbc.sql("""
                SELECT d.id FROM webhook_deliveries d WHERE d.status = 'accepted' AND d.received_at < ?
                  AND NOT EXISTS (SELECT 1 FROM webhook_delivery_outcomes o WHERE o.delivery_id = d.id) ORDER BY d.received_at LIMIT ?""")
                .params(before, limit).query(String.class).list();
    }

    public Page<WebhookDelivery> list(String tenantId, String registrationId, WebhookDelivery.Status status, Cursor after, int limit) {
        String sql = SELECT + " WHERE d.tenant_id = :tenant"
                + (registrationId == null ? "" : " AND d.registration_id = :registration")
                + (status == null ? "" : " AND COALESCE(o.status, d.status) = :status")
                + (after == null ? "" : " AND (d.received_at < :afterAt OR (d.received_at = :afterAt AND d.id < :afterId))")
                + " ORDER BY d.received_at DESC, d.id DESC LIMIT :limit";
        JdbcClient.StatementSpec query = jdbc.sql(sql).param("tenant", tenantId).param("limit", limit + 1);
        if (registrationId != null) {
            query = query.param("registration", registrationId);
        }
        if (status != null) {
            query = query.param("status", status.value());
        }
        if (after != null) {
            query = query.param("afterAt", after.at()).param("afterId", after.id());
        }
        return Pages.of(query.query(this::map).list(), limit, d -> new Cursor(d.receivedAt(), d.id()));
    }

    /**
     * The accepted deliveries (processed or not) of an integration's registrations received after {@code after} and up to
     * {@code upTo}, oldest first: what its provider announced in that window.
     */
    public List<WebhookDelivery> acceptedForIntegration(String integrationId, OffsetDateTime after, OffsetDateTime upTo) {
        return jdbc.sql(SELECT + """
                 JOIN webhook_registrations r ON r.id = d.registration_id
                WHERE r.integration_id = :integration AND d.received_at > :after AND d.received_at <= :upTo
                  AND COALESCE(o.status, d.status) IN (:statuses) AND d.verification = :verified
                ORDER BY d.received_at, d.id""")
                .param("integration", integrationId).param("after", after).param("upTo", upTo)
                .param("statuses", List.of(WebhookDelivery.Status.ACCEPTED.value(), WebhookDelivery.Status.PROCESSED.value(),
                        WebhookDelivery.Status.PROCESSING_FAILED.value()))
                .param("verified", WebhookDelivery.Verification.VERIFIED.value())
                .query(this::map).list();
    }

    /** Deletes log entries received before the cut-off; returns how many. */
    public int purgeBefore(OffsetDateTime cutoff) {
        return jdbc.sql("DELETE FROM webhook_deliveries WHERE received_at < ?").param(cutoff).update();
    }

    private WebhookDelivery map(ResultSet rs, int row) throws SQLException {
        int ack = rs.getInt("ack_ms");
        Integer ackMs = rs.wasNull() ? null : ack;
        long latency = rs.getLong("latency_ms");
        Long latencyMs = rs.wasNull() ? null : latency;
        String events = rs.getString("events");
        return new WebhookDelivery(rs.getString("id"), rs.getString("registration_id"), rs.getString("tenant_id"),
                rs.getString("delivery_key"), Timestamps.read(rs, "received_at"),
                WebhookDelivery.Verification.of(rs.getString("verification")), WebhookDelivery.Status.of(rs.getString("status")),
                rs.getInt("http_status"), events == null ? null : readEvents(events), rs.getString("reason"), rs.getString("outcome"),
                null, ackMs, Timestamps.read(rs, "processed_at"), latencyMs);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<WebhookDelivery.Event> readEvents(String value) {
        try {
            return json.readValue(value, new TypeReference<List<WebhookDelivery.Event>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
