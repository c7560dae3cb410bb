package processors.notifications;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import hub.EmbeddedHubTest;

/** Operator notifications on the embedded default (H2, embedded Artemis). */
class OperatorNotificationsOnH2Test extends EmbeddedHubTest implements OperatorNotificationsScenario {

    @Autowired
    ApplicationContext context;

    @Override
    public ApplicationContext context() {
        return context;
    }
}
