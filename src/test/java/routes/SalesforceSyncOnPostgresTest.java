package routes;

import hub.PostgresHubTest;

/** The same sync scenario on PostgreSQL (profile postgres). */
class SalesforceSyncOnPostgresTest extends PostgresHubTest implements SalesforceSyncScenario {
}
