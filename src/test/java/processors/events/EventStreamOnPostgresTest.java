package processors.events;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import hub.PostgresHubTest;

/** The event stream on PostgreSQL (profile postgres). */
class EventStreamOnPostgresTest extends PostgresHubTest implements EventStreamScenario {

    @Autowired
    ApplicationContext context;

    @Override
    public ApplicationContext context() {
        return context;
    }
}
