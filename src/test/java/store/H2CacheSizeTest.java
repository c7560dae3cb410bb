package store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** H2's page cache is a 32nd of a small heap, and H2's own 16 MB from a heap of 512 MB up. */
class H2CacheSizeTest {

    @Test
    void theCacheIsAThirtySecondOfASmallHeapAndH2sOwnFromHalfAGigabyte() {
        assertThat(H2CacheSize.forHeap(128L << 20)).isEqualTo(4096);
        assertThat(H2CacheSize.forHeap(256L << 20)).isEqualTo(8192);
        assertThat(H2CacheSize.forHeap(512L << 20)).isEqualTo(H2CacheSize.H2_DEFAULT_KB);
        assertThat(H2CacheSize.forHeap(8L << 30)).isEqualTo(H2CacheSize.H2_DEFAULT_KB);
        assertThat(H2CacheSize.forHeap(16L << 20)).isEqualTo(1024);
    }

    @Test
    void aSmallHeapCapsTheDatabasesCacheAndALargerOneOnTheSameFileGivesH2sOwnBack(@TempDir Path dir) throws SQLException {
        SingleConnectionDataSource dataSource = new SingleConnectionDataSource("jdbc:h2:file:" + dir.resolve("db"), true);
        try {
            assertThat(cacheMaxMb(dataSource)).isEqualTo(H2CacheSize.H2_DEFAULT_KB / 1024);
            assertThat(new H2CacheSize(dataSource, 128L << 20).sizeKb()).isEqualTo(4096);
            assertThat(cacheMaxMb(dataSource)).isEqualTo(4);
        } finally {
            dataSource.destroy();
        }
        // H2 keeps the setting in the file: the next start, with a large heap, sets H2's own size again
        SingleConnectionDataSource reopened = new SingleConnectionDataSource("jdbc:h2:file:" + dir.resolve("db"), true);
        try {
            assertThat(cacheMaxMb(reopened)).isEqualTo(4);
            assertThat(new H2CacheSize(reopened, 1L << 30).sizeKb()).isEqualTo(H2CacheSize.H2_DEFAULT_KB);
            assertThat(cacheMaxMb(reopened)).isEqualTo(H2CacheSize.H2_DEFAULT_KB / 1024);
        } finally {
            reopened.destroy();
        }
    }

    /** What the database reports as its page cache's limit, in MB. */
    private static long cacheMaxMb(SingleConnectionDataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'info.CACHE_MAX_SIZE'")) {
            rs.next();
            return Long.parseLong(rs.getString(1));
        }
    }
}
