package processors.resolution;

import org.springframework.beans.factory.annotation.Autowired;

import hub.PostgresHubTest;
import store.BlockingKeyStore;

/** The matching scenario on PostgreSQL (profile postgres). */
class MatchingOnPostgresTest extends PostgresHubTest implements MatchingScenario {

    @Autowired
    private BlockingKeyStore blockingKeys;

    @Override
    public BlockingKeyStore blockingKeys() {
        return blockingKeys;
    }
}
