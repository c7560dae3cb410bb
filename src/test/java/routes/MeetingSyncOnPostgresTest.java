package routes;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import hub.PostgresHubTest;

/** The meeting and Microsoft 365 providers' end-to-end syncs on PostgreSQL (scenarios shared with their H2 tests). */
class MeetingSyncOnPostgresTest extends PostgresHubTest implements ZoomSyncScenario, TeamsSyncScenario {

    @Autowired
    ApplicationContext context;

    @Override
    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }
}
