package store;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import hub.EmbeddedHubTest;

/** {@link PageWriteScenario} on the embedded H2 store. */
class PageWriteOnH2Test extends EmbeddedHubTest implements PageWriteScenario {

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
        return ADMIN_KEY;
    }
}
