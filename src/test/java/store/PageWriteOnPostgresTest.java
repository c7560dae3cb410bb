package store;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import hub.PostgresHubTest;

/** {@link PageWriteScenario} on PostgreSQL (profile postgres: batched INSERTs go as multi-row INSERTs). */
class PageWriteOnPostgresTest extends PostgresHubTest implements PageWriteScenario {

    @Autowired
    private ShardStore shards;
    @Autowired
    private JdbcClient jdbc;

    @Override
    public ShardStore shards() {
        return shards;
    }

    @Override
    public JdbcClient jdbc() {
        return jdbc;
    }

    @Override
    public String adminKey() {
        return hub.EmbeddedHubTest.ADMIN_KEY;
    }
}
