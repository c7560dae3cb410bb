package processors.resolution;

import org.springframework.beans.factory.annotation.Autowired;

import hub.EmbeddedHubTest;
import store.BlockingKeyStore;

/** The matching scenario on the embedded default (H2). */
class MatchingTest extends EmbeddedHubTest implements MatchingScenario {

    @Autowired
    private BlockingKeyStore blockingKeys;

    @Override
    public BlockingKeyStore blockingKeys() {
        return blockingKeys;
    }
}
