package store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import hub.HubClient;
import store.ShardStore.RelationTarget;
import store.ShardStore.ShardWrite;

/**
 * A sync page's writes as one batch (JDBC batches; on PostgreSQL rewritten as multi-row INSERTs) leave the same shards,
 * links and relations as the same writes made one record at a time: two tenants, each with an integration, get the same
 * records created and then changed, one as a page and one row by row, and every stored row compares equal but for the
 * shard ids and the tenant.
 */
public interface PageWriteScenario {

    HubClient hub();

    ShardStore shards();

    JdbcClient jdbc();

    String adminKey();

    @Test
    default void aPageWrittenAsOneBatchStoresWhatRowByRowWritesStore() {
        HubClient hub = hub();
        HubClient.Tenant batched = hub.newTenant(adminKey());
        HubClient.Tenant single = hub.newTenant(adminKey());
        String batchedIntegration = integration(hub, batched);
        String singleIntegration = integration(hub, single);

        List<ShardWrite> page = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            List<RelationTarget> relations = i % 3 == 0 ? List.of()
                    // a target named twice in one record is stored once
                    : List.of(new RelationTarget("works_at", "c_company", "Account", "001" + (i % 17)),
                            new RelationTarget("works_at", "c_company", "Account", "001" + (i % 17)),
                            new RelationTarget("reports_to", "c_contact", "Contact", "003" + (i / 2)));
            String data = "{\"name\":\"Person " + i + "\",\"email\":\"p" + i + "@example.com\",\"note\":\"" + "é\\\"x".repeat(i % 5) + "\"}";
            page.add(new ShardWrite(null, "003" + i, "v" + i, "c_contact", data, "hash-" + i, relations, i % 4 == 0 ? null : data));
        }
        shards().insert(batched.id(), batchedIntegration, "Contact", "inbound", withIds(page));
        for (ShardWrite w : withIds(page)) {
            shards().insert(single.id(), singleIntegration, "Contact", "inbound", List.of(w));
        }
        assertThat(stored(batched.id())).hasSize(250).isEqualTo(stored(single.id()));

        // the next page changes every other record: new data, version, hash, base and relations
        List<ShardWrite> batchedChanges = changes(batched.id(), batchedIntegration);
        List<ShardWrite> singleChanges = changes(single.id(), singleIntegration);
        shards().update(batchedIntegration, "Contact", batchedChanges);
        for (ShardWrite w : singleChanges) {
            shards().update(singleIntegration, "Contact", List.of(w));
        }
        Map<String, String> after = stored(batched.id());
        assertThat(after).isEqualTo(stored(single.id()));
        assertThat(after.get("0032")).contains("Changed 2").contains("manages").doesNotContain("works_at");
        assertThat(after.get("0031")).contains("Person 1").contains("works_at");
    }

    private String integration(HubClient hub, HubClient.Tenant tenant) {
        return hub.ok("POST", "/api/tenant/integrations", tenant.key(), Map.of("providerId", "salesforce", "name", "page-write"))
                .get("id").asText();
    }

    private static List<ShardWrite> withIds(List<ShardWrite> page) {
        return page.stream().map(w -> new ShardWrite(UUID.randomUUID().toString(), w.externalId(), w.externalVersion(), w.shardType(),
                w.dataJson(), w.contentHash(), w.relations(), w.snapshotJson())).toList();
    }

    private List<ShardWrite> changes(String tenantId, String integrationId) {
        List<ShardWrite> changes = new ArrayList<>();
        jdbc().sql("SELECT external_id, shard_id FROM shard_external_relationships WHERE tenant_id = ? AND integration_id = ? ORDER BY external_id")
                .params(tenantId, integrationId)
                .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)}).list().forEach(link -> {
                    int i = Integer.parseInt(link[0].substring(3));
                    if (i % 2 == 0) {
                        String data = "{\"name\":\"Changed " + i + "\"}";
                        changes.add(new ShardWrite(link[1], link[0], "w" + i, "c_contact", data, "changed-" + i,
                                List.of(new RelationTarget("manages", "c_contact", "Contact", "003" + (i + 1))), data));
                    }
                });
        return changes;
    }

    /** Everything stored for the tenant's records, by provider id, without shard ids, the tenant or times. */
    private Map<String, String> stored(String tenantId) {
        Map<String, String> rows = new TreeMap<>();
        jdbc().sql("""
                SELECT ser.external_id, ser.external_entity, ser.sync_direction, ser.external_version, ser.content_hash,
                  ser.last_synced_snapshot, s.shard_type, s.structured_data, s.version, s.deleted, ser.shard_id
                FROM shard_external_relationships ser JOIN shards s ON s.id = ser.shard_id WHERE ser.tenant_id = ?""")
                .param(tenantId)
                .query((rs, n) -> {
                    List<String> relations = jdbc().sql("""
                            SELECT relation_type, target_shard_type, target_entity, target_external_id FROM shard_relations
                            WHERE shard_id = ? ORDER BY relation_type, target_entity, target_external_id""")
                            .param(rs.getString("shard_id"))
                            .query((r, m) -> r.getString(1) + ">" + r.getString(2) + ":" + r.getString(3) + ":" + r.getString(4)).list();
                    return new String[] {rs.getString("external_id"), String.join("|", rs.getString("external_entity"),
                            rs.getString("sync_direction"), rs.getString("external_version"), rs.getString("content_hash"),
                            rs.getString("last_synced_snapshot"), rs.getString("shard_type"), rs.getString("structured_data"),
                            rs.getString("version"), rs.getString("deleted")) + " " + relations};
                }).list().forEach(r -> rows.put(r[0], r[1]));
        return rows;
    }
}
