package store;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * What is known about a source record and a shard beyond the current link: {@code asserted} (a person put them
 * together), {@code inferred} (the resolver did), {@code retracted} (a person split or refused them: never again).
 */
@Repository
public class MatchLinkStore {

    public enum Kind implements WireValue { ASSERTED, INFERRED, RETRACTED }

    /** A source record, as links and decisions name it. */
    public record Source(String integrationId, String entity, String externalId) {
    }

    private final JdbcClient jdbc;

    public MatchLinkStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records (or replaces) what is known about the source and the shard. */
    public void record(String tenantId, Source source, String shardId, Kind kind, String decisionId) {
        int updated = jdbc.sql("""
                UPDATE match_links SET kind = ?, decision_id = ?, created_at = ?
                WHERE integration_id = ? AND external_entity = ? AND external_id = ? AND shard_id = ? AND tenant_id = ?""")
                .params(kind.value(), decisionId, Timestamps.now(), source.integrationId(), source.entity(), source.externalId(), shardId,
                        tenantId)
                .update();
        if (updated == 0) {
            jdbc.sql("""
                    INSERT INTO match_links (integration_id, external_entity, external_id, shard_id, tenant_id, kind, decision_id, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(source.integrationId(), source.entity(), source.externalId(), shardId, tenantId, kind.value(), decisionId,
                            Timestamps.now())
                    .update();
        }
    }

    /** For each of these records of one integration and entity, the shards it must never join again. */
    public Map<String, Set<String>> retracted(String integrationId, String entity, Collection<String> externalIds) {
        Map<String, Set<String>> byRecord = new HashMap<>();
        if (externalIds.isEmpty()) {
            return byRecord;
        }
        List<String> ids = List.copyOf(externalIds);
        for (int i = 0; i < ids.size(); i += 500) {
            jdbc.sql("""
                    SELECT external_id, shard_id FROM match_links
                    WHERE integration_id = :integration AND external_entity = :entity AND kind = 'retracted' AND external_id IN (:ids)""")
                    .param("integration", integrationId).param("entity", entity).param("ids", ids.subList(i, Math.min(ids.size(), i + 500)))
                    .query((java.sql.ResultSet rs) -> {
                        byRecord.computeIfAbsent(rs.getString("external_id"), k -> new HashSet<>()).add(rs.getString("shard_id"));
                    });
        }
        return byRecord;
    }

    /**
     * For each shard of the tenant holding a record that was retracted from another shard (an unmerge, a rejected match),
     * the shards it must never join: two shards are never merged when either refuses the other. One indexed query; a
     * tenant whose people never split or refused anything has none.
     */
    public Map<String, Set<String>> refusals(String tenantId) {
        Map<String, Set<String>> byShard = new HashMap<>();
        jdbc.sql("""
                SELECT ser.shard_id, ml.shard_id AS refused FROM match_links ml
                JOIN shard_external_relationships ser ON ser.integration_id = ml.integration_id AND ser.external_entity = ml.external_entity
                  AND ser.external_id = ml.external_id
                WHERE ml.tenant_id = ? AND ml.kind = 'retracted'""")
                .param(tenantId)
                .query((java.sql.ResultSet rs) -> {
                    byShard.computeIfAbsent(rs.getString("shard_id"), k -> new HashSet<>()).add(rs.getString("refused"));
                });
        return byShard;
    }
}
