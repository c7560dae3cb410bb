package store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import hub.Ids;
import hub.InvalidInputException;
import hub.JsonText;
import hub.Traces;

/**
 * The event outbox. Events are appended on the caller's connection, so in the caller's transaction: they commit with the
 * change that caused them, or roll back with it. Each append publishes {@link Appended}, which the relay hears after the
 * commit (nothing when the transaction rolls back). The relay reads unrelayed events in stream order under a lock row.
 */
@Repository
public class EventStore {

    /**
     * Rows per INSERT statement: a sync page's events (2,000 records by default) in one statement; 7 parameters a row stay
     * well below PostgreSQL's 65,535 parameters a statement.
     */
    private static final int ROWS_PER_INSERT = 5000;

    /** Published with every append; heard after the commit by the relay (its nudge). */
    public record Appended(int count) {
    }

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final ApplicationEventPublisher publisher;
    private final Traces traces;

    public EventStore(JdbcClient jdbc, ObjectMapper json, ApplicationEventPublisher publisher, Traces traces) {
        this.jdbc = jdbc;
        this.json = json;
        this.publisher = publisher;
        this.traces = traces;
    }

    /**
     * Appends one event in the caller's transaction; returns its id. The event keeps the trace of the request or sync that
     * recorded it (null when not traced), which the relay continues.
     */
    public String append(String tenantId, String type, String subject, Map<String, Object> data) {
        String id = Ids.newId();
        jdbc.sql("INSERT INTO events (id, tenant_id, event_type, subject, occurred_at, data, trace_parent) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(id, tenantId, type, subject, Timestamps.now(), JsonText.write(json, data), traces.currentParent()).update();
        publisher.publishEvent(new Appended(1));
        return id;
    }

    /** Appends one event in the caller's transaction; returns its id. */
    public String append(Event.New event) {
        return append(event.tenantId(), event.type(), event.subject(), event.data());
    }

    /**
     * Appends events in the caller's transaction, in order, with one multi-row INSERT per {@value #ROWS_PER_INSERT}; each
     * keeps the caller's trace, as {@link #append} does.
     */
    public void appendAll(List<Event.New> events) {
        if (events.isEmpty()) {
            return;
        }
        OffsetDateTime now = Timestamps.now();
        String traceParent = traces.currentParent();
        for (int from = 0; from < events.size(); from += ROWS_PER_INSERT) {
            List<Event.New> chunk = events.subList(from, Math.min(events.size(), from + ROWS_PER_INSERT));
            StringBuilder sql = new StringBuilder("INSERT INTO events (id, tenant_id, event_type, subject, occurred_at, data, trace_parent) VALUES ");
            List<Object> params = new ArrayList<>(chunk.size() * 7);
            for (int i = 0; i < chunk.size(); i++) {
                Event.New e = chunk.get(i);
                sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?)");
                params.add(Ids.newId());
                params.add(e.tenantId());
                params.add(e.type());
                params.add(e.subject());
                params.add(now);
                params.add(JsonText.write(json, e.data()));
                params.add(traceParent);
            }
            jdbc.sql(sql.toString()).params(params).update();
        }
        publisher.publishEvent(new Appended(events.size()));
    }

    /**
     * Takes the relay lock (one relay at a time, across instances) for the rest of the transaction, and returns the oldest
     * events not relayed yet, in stream order.
     */
    public List<Event> lockUnrelayed(int limit) {
        jdbc.sql("SELECT id FROM events_relay WHERE id = 1 FOR UPDATE").query(Integer.class).single();
        return jdbc.sql("SELECT * FROM events WHERE relayed_at IS NULL ORDER BY seq LIMIT ?").param(limit).query(this::map).list();
    }

    public void markRelayed(List<String> ids) {
        if (!ids.isEmpty()) {
            jdbc.sql("UPDATE events SET relayed_at = :now WHERE id IN (:ids) AND relayed_at IS NULL")
                    .param("now", Timestamps.now()).param("ids", ids).update();
        }
    }

    /** Deletes relayed events that occurred before the cut-off (never one not relayed yet); returns how many. */
    public int purgeRelayedBefore(OffsetDateTime cutoff) {
        return jdbc.sql("DELETE FROM events WHERE relayed_at IS NOT NULL AND occurred_at < ?").param(cutoff).update();
    }

    /** Events committed but not relayed yet, across all tenants (a gauge, and tests). */
    public long countUnrelayed() {
        return jdbc.sql("SELECT COUNT(*) FROM events WHERE relayed_at IS NULL").query(Long.class).single();
    }

    public Optional<Event> find(String tenantId, String id) {
        return jdbc.sql("SELECT * FROM events WHERE id = ? AND tenant_id = ?").params(id, tenantId).query(this::map).optional();
    }

    /** The tenant's relayed events, newest first (of {@code type} when given), after the cursor of the previous page. */
    public Page<Event> list(String tenantId, String type, Cursor cursor, int limit) {
        String sql = "SELECT * FROM events WHERE tenant_id = :tenant AND relayed_at IS NOT NULL"
                + (type == null ? "" : " AND event_type = :type")
                + (cursor == null ? "" : " AND seq < :seq")
                + " ORDER BY seq DESC LIMIT :limit";
        JdbcClient.StatementSpec query = jdbc.sql(sql).param("tenant", tenantId).param("limit", limit + 1);
        if (type != null) {
            query = query.param("type", type);
        }
        if (cursor != null) {
            query = query.param("seq", seqOf(cursor));
        }
        return Pages.of(query.query(this::map).list(), limit, e -> new Cursor(null, Long.toString(e.seq())));
    }

    /**
     * The tenant's relayed events that came after the event {@code afterId} in the stream, oldest first (of {@code type}
     * when given): how a reader follows the stream from the last event it saw. The next page is after its last event.
     */
    public Page<Event> after(String tenantId, String type, String afterId, int limit) {
        long seq = jdbc.sql("SELECT seq FROM events WHERE id = ? AND tenant_id = ?").params(afterId, tenantId).query(Long.class).optional()
                .orElseThrow(() -> new InvalidInputException("after", "no event " + afterId + " in this tenant's stream"));
        String sql = "SELECT * FROM events WHERE tenant_id = :tenant AND relayed_at IS NOT NULL AND seq > :seq"
                + (type == null ? "" : " AND event_type = :type")
                + " ORDER BY seq LIMIT :limit";
        JdbcClient.StatementSpec query = jdbc.sql(sql).param("tenant", tenantId).param("seq", seq).param("limit", limit + 1);
        if (type != null) {
            query = query.param("type", type);
        }
        List<Event> rows = query.query(this::map).list();
        return new Page<>(rows.size() > limit ? List.copyOf(rows.subList(0, limit)) : rows, null);
    }

    /**
     * The tenant's newest events, committed whether relayed yet or not, newest first: with {@code afterSeq}, only those
     * after that position in the stream (what a live feed has not shown yet).
     */
    public List<Event> latest(String tenantId, Long afterSeq, int limit) {
        return jdbc.sql("SELECT * FROM events WHERE tenant_id = ? AND seq > ? ORDER BY seq DESC LIMIT ?")
                .params(tenantId, afterSeq == null ? -1L : afterSeq, limit).query(this::map).list();
    }

    /** The tenant's events about one subject (a sync execution, a shard ...), oldest first, at most {@code limit}. */
    public List<Event> about(String tenantId, String subject, int limit) {
        return jdbc.sql("SELECT * FROM events WHERE tenant_id = ? AND subject = ? ORDER BY seq LIMIT ?")
                .params(tenantId, subject, limit).query(this::map).list();
    }

    /** Event data from keys and values, in order, leaving out null values (a receiver reads an absent key as unknown). */
    public static Map<String, Object> data(Object... keysAndValues) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                data.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return data;
    }

    private static long seqOf(Cursor cursor) {
        try {
            return Long.parseLong(cursor.id());
        } catch (NumberFormatException e) {
            throw new InvalidInputException("cursor", "not a cursor this hub issued");
        }
    }

    private Event map(ResultSet rs, int row) throws SQLException {
        return new Event(rs.getLong("seq"), rs.getString("id"), rs.getString("tenant_id"), rs.getString("event_type"),
                rs.getString("subject"), Timestamps.read(rs, "occurred_at"), JsonText.readMap(json, rs.getString("data")),
                Timestamps.read(rs, "relayed_at"), rs.getString("trace_parent"));
    }
}
