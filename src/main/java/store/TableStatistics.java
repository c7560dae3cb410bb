package store;

import java.util.List;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * On PostgreSQL, keeps the planner's statistics of the hub's tables up with how fast a sync fills them. A first sync
 * takes tables from empty to tens of thousands of rows within a minute, while autovacuum looks at them once a minute at
 * best; until a table is analysed the planner takes it for nearly empty and reads all of a tenant's rows where one
 * index lookup per value would do (a page's blocking keys: 400 ms instead of 0.2 ms a query, at 300,000 keys). Tables
 * changed by at least {@code hub.store.analyze-after-rows} rows and by a fifth of their size since they were last
 * analysed are analysed now. H2 does this itself ({@code ANALYZE_AUTO} in its URL).
 */
@Repository
public class TableStatistics {

    private static final Logger LOG = LoggerFactory.getLogger(TableStatistics.class);
    private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]*");

    private final JdbcClient jdbc;
    private final long minRows;

    public TableStatistics(JdbcClient jdbc, @Value("${hub.store.analyze-after-rows}") long minRows) {
        this.jdbc = jdbc;
        this.minRows = minRows;
    }

    /** The tables of the hub's schema grown or changed enough since their last analysis; analyses them, returns them. */
    public List<String> analyzeGrown() {
        List<String> grown = jdbc.sql("""
                SELECT relname FROM pg_stat_user_tables WHERE schemaname = current_schema()
                  AND n_mod_since_analyze >= ? AND n_mod_since_analyze * 5 >= n_live_tup ORDER BY relname""")
                .param(minRows).query(String.class).list();
        for (String table : grown) {
            if (TABLE.matcher(table).matches()) {
                long start = System.nanoTime();
                jdbc.sql("ANALYZE " + table).update();
                LOG.debug("Analysed {} in {} ms", table, (System.nanoTime() - start) / 1_000_000);
            }
        }
        return grown;
    }
}
