package routes;

import hub.PostgresHubTest;

/** The Dynamics 365 sync scenario on PostgreSQL. */
class DynamicsSyncOnPostgresTest extends PostgresHubTest implements DynamicsSyncScenario {
}
