package store;

import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A tenant's outgoing webhook endpoint: where events of the listed types (wildcards such as {@code shard.*}) are sent,
 * signed with its secret (kept in the vault under {@code secretName}, never in this record's JSON). {@code shardTypes}
 * null: events of every shard type. {@code failingSince}: the first failure since the last success.
 */
public record OutgoingEndpoint(String id, @JsonIgnore String tenantId, String url, String description, List<String> eventTypes,
                               List<String> shardTypes, Status status, String disabledReason, OffsetDateTime disabledAt,
                               OffsetDateTime failingSince, @JsonIgnore String secretName, @JsonIgnore int secretVersion,
                               OffsetDateTime previousSecretUntil, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

    public enum Status implements WireValue {
        ENABLED, DISABLED;

        @Override
        public String toString() {
            return value();
        }
    }

    public boolean enabled() {
        return status == Status.ENABLED;
    }
}
