package store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import hub.Ids;
import hub.PostgresHubTest;

/**
 * A table a sync fills quickly is analysed within seconds, long before autovacuum's minute comes round, so the next
 * pages' lookups are planned for the rows it holds: a page's blocking keys are then found by an index lookup per key.
 */
class TableStatisticsOnPostgresTest extends PostgresHubTest {

    @Autowired
    private BlockingKeyStore keys;
    @Autowired
    private TableStatistics statistics;
    @Autowired
    private JdbcClient jdbc;

    @Test
    void blockingKeysWrittenInBulkAreAnalysedAndLookedUpByIndex() {
        OffsetDateTime before = jdbc.sql("SELECT now()").query(OffsetDateTime.class).single();
        String tenant = "stats-" + Ids.newId().substring(0, 8);
        Map<String, List<String>> written = new HashMap<>();
        for (int i = 0; i < 2_000; i++) {
            written.put(Ids.newId(), List.of("name:" + i, "city:" + (i % 50)));
        }
        keys.addKeys(tenant, "c_contact", written);

        // the hub's own route may get there first: either way, the table is analysed since the keys were written
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
            statistics.analyzeGrown();
            return analysedSince(before);
        });

        String plan = String.join("\n", jdbc.sql("""
                EXPLAIN SELECT m.blocking_key, m.shard_id FROM (VALUES ('name:7'), ('name:8'), ('city:9')) AS listed(v)
                JOIN match_blocking_keys m ON m.scope = (SELECT id FROM match_key_scopes WHERE tenant_id = ? AND shard_type = ?)
                AND m.blocking_key = listed.v""")
                .params(tenant, "c_contact").query(String.class).list());
        assertThat(plan).as("the plan of a page's key lookup").containsPattern("Index Cond: \\(.*blocking_key");
        assertThat(keys.shardsByKey(tenant, "c_contact", List.of("name:7", "city:9"), 100).get("city:9")).hasSize(40);
    }

    private boolean analysedSince(OffsetDateTime since) {
        OffsetDateTime last = jdbc.sql("""
                SELECT GREATEST(last_analyze, last_autoanalyze) FROM pg_stat_user_tables
                WHERE schemaname = current_schema() AND relname = 'match_blocking_keys'""").query(OffsetDateTime.class).optional().orElse(null);
        return last != null && last.isAfter(since);
    }
}
