package processors.events;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import hub.EmbeddedHubTest;

/** The event stream on the embedded default: H2 file database and embedded Artemis. */
class EventStreamOnH2Test extends EmbeddedHubTest implements EventStreamScenario {

    @Autowired
    ApplicationContext context;

    @Override
    public ApplicationContext context() {
        return context;
    }
}
