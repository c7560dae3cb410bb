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
 * one tenant and shard type, stored as a scope number ({@code match_key_scopes}, made the first time a tenant's type gets
 * keys, in a transaction of its own so that every instance finds the same one; never changed, so kept in memory).
 * Queries by shard without a type look in each of the tenant's scopes. Keys of a deleted shard stay until
 * {@link #deleteShard} removes them, so callers load the candidates' shards and skip those that are gone.
 */
@Repository
public class BlockingKeyStore {

    /** How many keys one candidates query takes: more than any rule set defines (at most 50). */
    public static final int MAX_KEYS = 100;
    private static final int BATCH = 1_000;

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final TransactionTemplate transactions;
    private final TransactionTemplate ownTransaction;
    private final Map<String, Integer> scopes = new java.util.concurrent.ConcurrentHashMap<>();

    public BlockingKeyStore(JdbcClient jdbc, JdbcTemplate template, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.template = template;
        this.transactions = transactions;
        this.ownTransaction = new TransactionTemplate(transactions.getTransactionManager());
        this.ownTransaction.setPropagationBehavior(org.springframework.transaction.TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** The scope of a tenant's shard type, made (and committed) if it has none yet. */
    private int scope(String tenantId, String shardType) {
        Integer known = existingScope(tenantId, shardType);
        if (known == null) {
            try {
                ownTransaction.executeWithoutResult(status -> jdbc.sql("INSERT INTO match_key_scopes (tenant_id, shard_type) VALUES (?, ?)")
                        .params(tenantId, shardType).update());
            } catch (org.springframework.dao.DuplicateKeyException e) {
                // another instance made it first: it is the one
            }
            known = existingScope(tenantId, shardType);
        }
        if (known == null) {
            throw new IllegalStateException("no blocking key scope for " + shardType + " of tenant " + tenantId + " after making it");
        }
        return known;
    }

    /** The scope of a tenant's shard type, or null when it never had keys. */
    private Integer existingScope(String tenantId, String shardType) {
        String name = tenantId + '\n' + shardType;
        Integer known = scopes.get(name);
        if (known == null) {
            known = jdbc.sql("SELECT id FROM match_key_scopes WHERE tenant_id = ? AND shard_type = ?").params(tenantId, shardType)
                    .query(Integer.class).optional().orElse(null);
            if (known != null) {
                scopes.put(name, known);
            }
        }
        return known;
    }

    /** The scopes of every shard type of the tenant (read each time: another instance may have made one since). */
    private List<Integer> scopesOf(String tenantId) {
        return jdbc.sql("SELECT id FROM match_key_scopes WHERE tenant_id = ? ORDER BY id").param(tenantId).query(Integer.class).list();
    }

    /** Sets a shard's keys: the ones it had are removed, these added (none: it cannot be found by blocking). */
    public void replaceKeys(String tenantId, String shardType, String shardId, Collection<String> keys) {
        replaceKeys(tenantId, shardType, Map.of(shardId, keys));
    }

    /** Sets many shards' keys in one transaction and batched statements (batch resolution, loading). */
    public void replaceKeys(String tenantId, String shardType, Map<String, ? extends Collection<String>> keysByShard) {
        int scope = scope(tenantId, shardType);
        transactions.executeWithoutResult(status -> {
            List<Object[]> deletes = new ArrayList<>(keysByShard.size());
            keysByShard.forEach((shardId, keys) -> deletes.add(new Object[] {scope, shardId}));
            template.batchUpdate("DELETE FROM match_blocking_keys WHERE scope = ? AND shard_id = ?", deletes);
            addKeys(scope, keysByShard);
        });
    }

    /**
     * The shards sharing at least one of the keys, those sharing the most first (then by id), at most {@code limit}: one
     * query, an index range scan per key on (scope, key). Written as one lookup per key joined by
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
        Integer scope = existingScope(tenantId, shardType);
        if (scope == null) {
            return List.of();
        }
        String lookup = "SELECT shard_id FROM match_blocking_keys WHERE scope = ? AND blocking_key = ?";
        List<Object> params = new ArrayList<>(distinct.size() * 2 + 1);
        for (String key : distinct) {
            params.add(scope);
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
        Integer scope = existingScope(tenantId, shardType);
        if (scope == null) {
            return byKey;
        }
        // in the index's order: each lookup reads index pages near the last one's
        List<String> all = new ArrayList<>(new java.util.TreeSet<>(keys));
        eachRow(scope, "blocking_key", all, (key, shard) -> byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(shard));
        byKey.values().removeIf(shards -> shards.size() > perKey);
        return byKey;
    }

    /**
     * Adds keys to shards (new ones, or keys a shard did not have): batched inserts in the primary key's order, so that
     * each index page of the keys is written once per call rather than once per flush of a transaction that touches
     * pages all over the index (H2 writes the changed pages out several times during a page's transaction).
     */
    public void addKeys(String tenantId, String shardType, Map<String, ? extends Collection<String>> keysByShard) {
        if (keysByShard.values().stream().anyMatch(keys -> !keys.isEmpty())) {
            addKeys(scope(tenantId, shardType), keysByShard);
        }
    }

    private void addKeys(int scope, Map<String, ? extends Collection<String>> keysByShard) {
        List<Object[]> inserts = new ArrayList<>();
        keysByShard.forEach((shardId, keys) -> {
            for (String key : keys) {
                inserts.add(new Object[] {scope, key, shardId});
            }
        });
        inserts.sort(java.util.Comparator.comparing((Object[] row) -> (String) row[1]).thenComparing(row -> (String) row[2]));
        for (int from = 0; from < inserts.size(); from += BATCH) {
            template.batchUpdate("INSERT INTO match_blocking_keys (scope, blocking_key, shard_id) VALUES (?, ?, ?)",
                    inserts.subList(from, Math.min(inserts.size(), from + BATCH)));
        }
    }

    /** These shards' keys, by shard (shards without keys are absent): one query per 500 shards, joined as {@link #shardsByKey}. */
    public Map<String, java.util.Set<String>> keysOf(String tenantId, Collection<String> shardIds) {
        return keysOf(scopesOf(tenantId), shardIds);
    }

    private Map<String, java.util.Set<String>> keysOf(List<Integer> scopes, Collection<String> shardIds) {
        Map<String, java.util.Set<String>> byShard = new java.util.HashMap<>();
        List<String> all = new ArrayList<>(new java.util.LinkedHashSet<>(shardIds));
        for (int scope : scopes) {
            eachRow(scope, "shard_id", all, (key, shard) -> byShard.computeIfAbsent(shard, k -> new java.util.HashSet<>()).add(key));
        }
        return byShard;
    }

    /**
     * The rows of a scope whose {@code column} holds one of the values, each handed over as (key, shard id): one query
     * per 500 values, the values joined as a list (an index lookup per value on H2 and PostgreSQL).
     */
    private void eachRow(int scope, String column, List<String> values, java.util.function.BiConsumer<String, String> keyAndShard) {
        for (int from = 0; from < values.size(); from += 500) {
            List<String> chunk = values.subList(from, Math.min(values.size(), from + 500));
            List<Object> params = new ArrayList<>(chunk);
            params.add(scope);
            jdbc.sql("SELECT m.blocking_key, m.shard_id FROM " + ListedValues.table(chunk.size())
                            + " JOIN match_blocking_keys m ON m.scope = ? AND m." + column + " = listed.v")
                    .params(params)
                    .query((java.sql.ResultSet rs) -> {
                        keyAndShard.accept(rs.getString("blocking_key"), rs.getString("shard_id"));
                    });
        }
    }

    /**
     * Moves shards' keys to the shards they are merged into ({@code from} → {@code to}; each key is kept once): two batched
     * statements per round, a round moving at most one shard into each target (two shards merged into one may hold the
     * same key).
     */
    public void moveKeys(String tenantId, Map<String, String> intoByShard) {
        List<Integer> scopes = scopesOf(tenantId);
        Map<String, java.util.Deque<String>> byTarget = new java.util.LinkedHashMap<>();
        intoByShard.forEach((from, to) -> byTarget.computeIfAbsent(to, k -> new java.util.ArrayDeque<>()).add(from));
        while (!byTarget.isEmpty()) {
            List<Object[]> round = new ArrayList<>(byTarget.size() * scopes.size());
            byTarget.forEach((to, froms) -> {
                String from = froms.poll();
                scopes.forEach(scope -> round.add(new Object[] {scope, from, to}));
            });
            byTarget.values().removeIf(java.util.Deque::isEmpty);
            template.batchUpdate("""
                    DELETE FROM match_blocking_keys f WHERE f.scope = ? AND f.shard_id = ? AND EXISTS (
                      SELECT 1 FROM match_blocking_keys t WHERE t.scope = f.scope AND t.blocking_key = f.blocking_key AND t.shard_id = ?)""",
                    round);
            template.batchUpdate("UPDATE match_blocking_keys SET shard_id = ? WHERE scope = ? AND shard_id = ?",
                    round.stream().map(r -> new Object[] {r[2], r[0], r[1]}).toList());
        }
    }

    /** A shard and its blocking keys. */
    public record ShardKeys(String shardId, java.util.Set<String> keys) {
    }

    /** The tenant's shards of a type that have keys, by id, with their keys: a page after the cursor's shard id. */
    public Page<ShardKeys> page(String tenantId, String shardType, Cursor after, int limit) {
        Integer scope = existingScope(tenantId, shardType);
        if (scope == null) {
            return Pages.of(List.of(), limit, k -> new Cursor(null, k.shardId()));
        }
        List<String> ids = jdbc.sql("SELECT DISTINCT shard_id FROM match_blocking_keys WHERE scope = :scope"
                        + (after == null ? "" : " AND shard_id > :afterId") + " ORDER BY shard_id LIMIT :limit")
                .param("scope", scope).param("afterId", after == null ? "" : after.id()).param("limit", limit + 1)
                .query(String.class).list();
        Map<String, java.util.Set<String>> keys = keysOf(List.of(scope), ids.subList(0, Math.min(limit, ids.size())));
        List<ShardKeys> rows = ids.stream().map(id -> new ShardKeys(id, new java.util.TreeSet<>(keys.getOrDefault(id, java.util.Set.of())))).toList();
        return Pages.of(rows, limit, k -> new Cursor(null, k.shardId()));
    }

    /** A shard's keys, in no particular order. */
    public List<String> keys(String tenantId, String shardId) {
        List<String> keys = new ArrayList<>();
        for (int scope : scopesOf(tenantId)) {
            keys.addAll(jdbc.sql("SELECT blocking_key FROM match_blocking_keys WHERE scope = ? AND shard_id = ?").params(scope, shardId)
                    .query(String.class).list());
        }
        return keys;
    }

    /** Removes a shard's keys (deleted, merged into another). */
    public void deleteShard(String tenantId, String shardId) {
        for (int scope : scopesOf(tenantId)) {
            jdbc.sql("DELETE FROM match_blocking_keys WHERE scope = ? AND shard_id = ?").params(scope, shardId).update();
        }
    }

    /** Removes a tenant's keys of a shard type (before a batch run rebuilds them under new rules). */
    public int deleteType(String tenantId, String shardType) {
        Integer scope = existingScope(tenantId, shardType);
        return scope == null ? 0 : jdbc.sql("DELETE FROM match_blocking_keys WHERE scope = ?").param(scope).update();
    }
}
