package store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The blocking keys of matchable shards ({@code match_blocking_keys}): which shards an incoming record is compared with.
 * Keys are whatever {@code processors.matching.BlockingKeys} makes (at most 255 characters). Every query is scoped to
 * one tenant and shard type. Keys of a deleted shard stay until {@link #deleteShard} removes them, so callers load the
 * candidates' shards and skip those that are gone.
 */
@Repository
public class BlockingKeyStore {

    /** How many keys one candidates query takes: more than any rule set defines (at most 50). */
    public static final int MAX_KEYS = 100;
    private static final int BATCH = 1_000;

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final TransactionTemplate transactions;

    public BlockingKeyStore(JdbcClient jdbc, JdbcTemplate template, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.template = template;
        this.transactions = transactions;
    }

    /** Sets a shard's keys: the ones it had are removed, these added (none: it cannot be found by blocking). */
    public void replaceKeys(String tenantId, String shardType, String shardId, Collection<String> keys) {
        replaceKeys(tenantId, shardType, Map.of(shardId, keys));
    }

    /** Sets many shards' keys in one transaction and batched statements (batch resolution, loading). */
    public void replaceKeys(String tenantId, String shardType, Map<String, ? extends Collection<String>> keysByShard) {
        transactions.executeWithoutResult(status -> {
            List<Object[]> deletes = new ArrayList<>(keysByShard.size());
            keysByShard.forEach((shardId, keys) -> deletes.add(new Object[] {tenantId, shardId, shardType}));
            template.batchUpdate("DELETE FROM match_blocking_keys WHERE tenant_id = ? AND shard_id = ? AND shard_type = ?", deletes);
            addKeys(tenantId, shardType, keysByShard);
        });
    }

    /**
     * The shards sharing at least one of the keys, those sharing the most first (then by id), at most {@code limit}: one
     * query, an index range scan per key on (tenant, shard type, key). Written as one lookup per key joined by
     * {@code UNION ALL}: H2 does not use the index's third column for {@code blocking_key IN (...)} and would read the
     * tenant's whole shard type.
     */
    public List<String> candidates(String tenantId, String shardType, Collection<String> keys, int limit) {
        List<String> distinct = List.copyOf(new java.util.LinkedHashSet<>(keys));
        if (distinct.isEmpty() || limit <= 0) {
            return List.of();
        }
        if (distinct.size() > MAX_KEYS) {
            throw new IllegalArgumentException("at most " + MAX_KEYS + " blocking keys per query, not " + distinct.size());
        }
        String lookup = "SELECT shard_id FROM match_blocking_keys WHERE tenant_id = ? AND shard_type = ? AND blocking_key = ?";
        List<Object> params = new ArrayList<>(distinct.size() * 3 + 1);
        for (String key : distinct) {
            params.add(tenantId);
            params.add(shardType);
            params.add(key);
        }
        params.add(limit);
        return jdbc.sql("SELECT shard_id FROM (" + String.join(" UNION ALL ", java.util.Collections.nCopies(distinct.size(), lookup))
                        + ") shared GROUP BY shard_id ORDER BY COUNT(*) DESC, shard_id LIMIT ?")
                .params(params).query(String.class).list();
    }

    /**
     * For a whole page's keys at once: the shards holding each key (one query per 500 keys, an index range scan per key).
     * A key held by more than {@code perKey} shards tells them apart from nothing; it is left out.
     */
    public Map<String, List<String>> shardsByKey(String tenantId, String shardType, Collection<String> keys, int perKey) {
        Map<String, List<String>> byKey = new java.util.HashMap<>();
        // in the index's order: each lookup reads index pages near the last one's
        List<String> all = new ArrayList<>(new java.util.TreeSet<>(keys));
        for (int from = 0; from < all.size(); from += 500) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + 500));
            List<Object> params = new ArrayList<>(chunk);
            params.add(tenantId);
            params.add(shardType);
            jdbc.sql("SELECT m.blocking_key, m.shard_id FROM " + ListedValues.table(chunk.size())
                            + " JOIN match_blocking_keys m ON m.tenant_id = ? AND m.shard_type = ? AND m.blocking_key = listed.v")
                    .params(params)
                    .query((java.sql.ResultSet rs) -> {
                        byKey.computeIfAbsent(rs.getString("blocking_key"), k -> new ArrayList<>()).add(rs.getString("shard_id"));
                    });
        }
        byKey.values().removeIf(shards -> shards.size() > perKey);
        return byKey;
    }

    /**
     * Adds keys to shards (new ones, or keys a shard did not have): batched inserts in the primary key's order, so that
     * each index page of the keys is written once per call rather than once per flush of a transaction that touches
     * pages all over the index (H2 writes the changed pages out several times during a page's transaction).
     */
    public void addKeys(String tenantId, String shardType, Map<String, ? extends Collection<String>> keysByShard) {
        List<Object[]> inserts = new ArrayList<>();
        keysByShard.forEach((shardId, keys) -> {
            for (String key : keys) {
                inserts.add(new Object[] {tenantId, shardType, key, shardId});
            }
        });
        inserts.sort(java.util.Comparator.comparing((Object[] row) -> (String) row[2]).thenComparing(row -> (String) row[3]));
        for (int from = 0; from < inserts.size(); from += BATCH) {
            template.batchUpdate("INSERT INTO match_blocking_keys (tenant_id, shard_type, blocking_key, shard_id) VALUES (?, ?, ?, ?)",
                    inserts.subList(from, Math.min(inserts.size(), from + BATCH)));
        }
    }

    /** These shards' keys, by shard (shards without keys are absent): one query per 500 shards, joined as {@link #shardsByKey}. */
    public Map<String, java.util.Set<String>> keysOf(String tenantId, Collection<String> shardIds) {
        Map<String, java.util.Set<String>> byShard = new java.util.HashMap<>();
        List<String> all = new ArrayList<>(new java.util.LinkedHashSet<>(shardIds));
        for (int from = 0; from < all.size(); from += 500) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + 500));
            List<Object> params = new ArrayList<>(chunk);
            params.add(tenantId);
            jdbc.sql("SELECT m.shard_id, m.blocking_key FROM " + ListedValues.table(chunk.size())
                            + " JOIN match_blocking_keys m ON m.tenant_id = ? AND m.shard_id = listed.v")
                    .params(params)
                    .query((java.sql.ResultSet rs) -> {
                        byShard.computeIfAbsent(rs.getString("shard_id"), k -> new java.util.HashSet<>()).add(rs.getString("blocking_key"));
                    });
        }
        return byShard;
    }

    /**
     * Moves shards' keys to the shards they are merged into ({@code from} → {@code to}; each key is kept once): two batched
     * statements per round, a round moving at most one shard into each target (two shards merged into one may hold the
     * same key).
     */
    public void moveKeys(String tenantId, Map<String, String> intoByShard) {
        Map<String, java.util.Deque<String>> byTarget = new java.util.LinkedHashMap<>();
        intoByShard.forEach((from, to) -> byTarget.computeIfAbsent(to, k -> new java.util.ArrayDeque<>()).add(from));
        while (!byTarget.isEmpty()) {
            List<Object[]> round = new ArrayList<>(byTarget.size());
            byTarget.forEach((to, froms) -> round.add(new Object[] {tenantId, froms.poll(), to}));
            byTarget.values().removeIf(java.util.Deque::isEmpty);
            template.batchUpdate("""
                    DELETE FROM match_blocking_keys f WHERE f.tenant_id = ? AND f.shard_id = ? AND EXISTS (
                      SELECT 1 FROM match_blocking_keys t WHERE t.tenant_id = f.tenant_id AND t.shard_type = f.shard_type
                      AND t.blocking_key = f.blocking_key AND t.shard_id = ?)""", round);
            template.batchUpdate("UPDATE match_blocking_keys SET shard_id = ? WHERE tenant_id = ? AND shard_id = ?",
                    round.stream().map(r -> new Object[] {r[2], r[0], r[1]}).toList());
        }
    }

    /** A shard and its blocking keys. */
    public record ShardKeys(String shardId, java.util.Set<String> keys) {
    }

    /** The tenant's shards of a type that have keys, by id, with their keys: a page after the cursor's shard id. */
    public Page<ShardKeys> page(String tenantId, String shardType, Cursor after, int limit) {
        List<String> ids = jdbc.sql("SELECT DISTINCT shard_id FROM match_blocking_keys WHERE tenant_id = :tenant AND shard_type = :type"
                        + (after == null ? "" : " AND shard_id > :afterId") + " ORDER BY shard_id LIMIT :limit")
                .param("tenant", tenantId).param("type", shardType).param("afterId", after == null ? "" : after.id()).param("limit", limit + 1)
                .query(String.class).list();
        Map<String, java.util.Set<String>> keys = keysOf(tenantId, ids.subList(0, Math.min(limit, ids.size())));
        List<ShardKeys> rows = ids.stream().map(id -> new ShardKeys(id, new java.util.TreeSet<>(keys.getOrDefault(id, java.util.Set.of())))).toList();
        return Pages.of(rows, limit, k -> new Cursor(null, k.shardId()));
    }

    /** A shard's keys, in no particular order. */
    public List<String> keys(String tenantId, String shardId) {
        return jdbc.sql("SELECT blocking_key FROM match_blocking_keys WHERE tenant_id = ? AND shard_id = ?").params(tenantId, shardId)
                .query(String.class).list();
    }

    /** Removes a shard's keys (deleted, merged into another). */
    public void deleteShard(String tenantId, String shardId) {
        jdbc.sql("DELETE FROM match_blocking_keys WHERE tenant_id = ? AND shard_id = ?").params(tenantId, shardId).update();
    }

    /** Removes a tenant's keys of a shard type (before a batch run rebuilds them under new rules). */
    public int deleteType(String tenantId, String shardType) {
        return jdbc.sql("DELETE FROM match_blocking_keys WHERE tenant_id = ? AND shard_type = ?").params(tenantId, shardType).update();
    }
}
