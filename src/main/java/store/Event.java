package store;

import java.time.OffsetDateTime;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One domain event of the stream. {@code id} is stable (an outgoing delivery's {@code webhook-id}); {@code subject} is what
 * the event is about (a sync execution, a shard, a conflict ...); {@code data} carries what a receiver needs without
 * calling back; {@code relayedAt} is when the relay published it to the events topic (null until then);
 * {@code traceParent} the W3C traceparent of the request or sync that recorded it (null when not traced), which the relay
 * continues.
 */
public record Event(@JsonIgnore long seq, String id, String tenantId, String type, String subject, OffsetDateTime occurredAt,
                    Map<String, Object> data, OffsetDateTime relayedAt, @JsonIgnore String traceParent) {

    /** An event to append: the store gives it its id and time. */
    public record New(String tenantId, String type, String subject, Map<String, Object> data) {
    }
}
