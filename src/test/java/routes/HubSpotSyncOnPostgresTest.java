package routes;

import hub.PostgresHubTest;

/** The same HubSpot sync scenario on PostgreSQL (profile postgres). */
class HubSpotSyncOnPostgresTest extends PostgresHubTest implements HubSpotSyncScenario {
}
