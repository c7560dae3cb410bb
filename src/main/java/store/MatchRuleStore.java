package store;

import java.time.OffsetDateTime;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Each tenant's match rules per shard type, as the JSON document {@code processors.matching.MatchRules} reads. */
@Repository
public class MatchRuleStore {

    /** A tenant's stored rules and when they were last set. */
    public record StoredRules(String rules, OffsetDateTime updatedAt) {
    }

    private final JdbcClient jdbc;

    public MatchRuleStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<StoredRules> find(String tenantId, String shardType) {
        return jdbc.sql("SELECT rules, updated_at FROM match_rules WHERE tenant_id = ? AND shard_type = ?").params(tenantId, shardType)
                .query((rs, n) -> new StoredRules(rs.getString("rules"), Timestamps.read(rs, "updated_at"))).optional();
    }

    /** Stores the tenant's rules for the shard type, replacing earlier ones; a concurrent first save turns into an update. */
    public StoredRules save(String tenantId, String shardType, String rules) {
        OffsetDateTime now = Timestamps.now();
        String update = "UPDATE match_rules SET rules = ?, updated_at = ? WHERE tenant_id = ? AND shard_type = ?";
        if (jdbc.sql(update).params(rules, now, tenantId, shardType).update() == 0) {
            try {
                jdbc.sql("INSERT INTO match_rules (tenant_id, shard_type, rules, updated_at) VALUES (?, ?, ?, ?)")
                        .params(tenantId, shardType, rules, now).update();
            } catch (DuplicateKeyException raced) {
                jdbc.sql(update).params(rules, now, tenantId, shardType).update();
            }
        }
        return new StoredRules(rules, now);
    }

    /** Removes the tenant's rules for the shard type (the defaults apply again); false when it had none. */
    public boolean delete(String tenantId, String shardType) {
        return jdbc.sql("DELETE FROM match_rules WHERE tenant_id = ? AND shard_type = ?").params(tenantId, shardType).update() > 0;
    }
}
