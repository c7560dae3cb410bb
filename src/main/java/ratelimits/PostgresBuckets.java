package ratelimits;

import javax.sql.DataSource;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;

/**
 * Buckets in the {@code rate_limit_buckets} table (Bucket4j, {@code SELECT ... FOR UPDATE} per check):
 * every instance on the database draws from the same budget.
 */
final class PostgresBuckets extends Buckets {

    private final ProxyManager<String> proxies;

    PostgresBuckets(DataSource dataSource) {
        this.proxies = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_limit_buckets")
                .idColumn("id")
                .stateColumn("state")
                .build();
    }

    @Override
    protected Bucket bucket(String storageKey, Limit limit) {
        return proxies.getProxy(storageKey, () -> BucketShapes.configuration(limit));
    }

    @Override
    protected void forget(String storageKey) {
        proxies.removeProxy(storageKey);
    }
}
