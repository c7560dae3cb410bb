package store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * H2 keeps up to 16 MB of its file's pages in the heap, whatever the heap's size. In a hub started with a small heap
 * (-Xmx128m) a sync fills that cache while its pages, the broker and the hub's resting objects take the rest, and the
 * collector then runs almost without pause (bench/README.md, the scale curve). On H2 the cache is capped at a 32nd of the
 * heap ({@code SET CACHE_SIZE}, in KB): 4 MB at 128 MB, H2's own 16 MB from 512 MB up. H2 keeps the setting in the
 * database file, so every start sets it, the default included: a data directory once opened with a small heap does not
 * keep a small cache. PostgreSQL keeps its cache out of the hub's process, so nothing changes there.
 */
@Component
public class H2CacheSize {

    private static final Logger LOG = LoggerFactory.getLogger(H2CacheSize.class);

    /** H2's own cache size, in KB: a hub with a heap of 512 MB or more keeps it. */
    static final long H2_DEFAULT_KB = 16 * 1024;

    private final long sizeKb;

    @Autowired
    public H2CacheSize(DataSource dataSource) throws SQLException {
        this(dataSource, Runtime.getRuntime().maxMemory());
    }

    H2CacheSize(DataSource dataSource, long maxHeapBytes) throws SQLException {
        long kb = forHeap(maxHeapBytes);
        try (Connection connection = dataSource.getConnection()) {
            if (!"H2".equals(connection.getMetaData().getDatabaseProductName())) {
                sizeKb = 0;
                return;
            }
            // set on every start, H2's own size included: H2 keeps the setting in the database file
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET CACHE_SIZE " + kb);
            }
        }
        sizeKb = kb;
        if (kb < H2_DEFAULT_KB) {
            LOG.info("H2's page cache holds {} KB, a 32nd of the heap", kb);
        }
    }

    /** The cache, in KB, for a heap of {@code maxHeapBytes}: a 32nd of it, at most H2's own 16 MB, at least 1 MB. */
    static long forHeap(long maxHeapBytes) {
        return Math.max(1024, Math.min(H2_DEFAULT_KB, maxHeapBytes / 32 / 1024));
    }

    /** The cache size this hub set, in KB; 0 when the database is not H2. */
    public long sizeKb() {
        return sizeKb;
    }
}
