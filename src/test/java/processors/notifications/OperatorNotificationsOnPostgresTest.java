package processors.notifications;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import hub.PostgresHubTest;

/** Operator notifications on PostgreSQL (profile postgres). */
class OperatorNotificationsOnPostgresTest extends PostgresHubTest implements OperatorNotificationsScenario {

    @Autowired
    ApplicationContext context;

    @Override
    public ApplicationContext context() {
        return context;
    }
}
