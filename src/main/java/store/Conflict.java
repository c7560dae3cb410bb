package store;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Fields of one record changed on both sides since the last sync. {@code open} conflicts wait for
 * someone to resolve them; {@code resolved} ones were settled by the strategy or by a person.
 */
public record Conflict(
        String id,
        String integrationId,
        String shardId,
        String entity,
        String externalId,
        Status status,
        String strategy,
        List<Field> fields,
        String externalVersion,
        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> resolution,
        OffsetDateTime detectedAt,
        OffsetDateTime resolvedAt,
        String resolvedBy) {

    /** Whether the conflict still waits to be resolved. {@link #value()} is its spelling in the column and the JSON. */
    public enum Status implements WireValue {
        OPEN, RESOLVED;

        @Override
        public String toString() {
            return value();
        }

        /** The constant spelled {@code value}; refuses an unknown spelling, naming the allowed ones. */
        public static Status of(String value) {
            return WireValue.parse(Status.class, value);
        }
    }

    /** One field: its last synced value, Castiel's, the provider's, and which side it went to (null while open). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Field(String field, Object base, Object ours, Object theirs, String winner) {
    }
}
