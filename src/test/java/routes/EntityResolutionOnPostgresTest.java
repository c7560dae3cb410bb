package routes;

import org.springframework.beans.factory.annotation.Autowired;

import hub.ChangeFeedTestAdapter;
import hub.PostgresHubTest;
import hub.TestProviderAdapter;

/** The entity-resolution scenario on PostgreSQL (profile postgres). */
class EntityResolutionOnPostgresTest extends PostgresHubTest implements EntityResolutionScenario {

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
