package routes;

import org.springframework.beans.factory.annotation.Autowired;

import hub.ChangeFeedTestAdapter;
import hub.EmbeddedHubTest;
import hub.TestProviderAdapter;

/** The entity-resolution scenario on the embedded default (H2). */
class EntityResolutionTest extends EmbeddedHubTest implements EntityResolutionScenario {

    @Autowired
    private TestProviderAdapter items;

    @Autowired
    private ChangeFeedTestAdapter feed;

    @Override
    public TestProviderAdapter items() {
        return items;
    }

    @Override
    public ChangeFeedTestAdapter feed() {
        return feed;
    }
}
