package routes;

import hub.PostgresHubTest;

/** The Gong end-to-end sync on PostgreSQL. */
class GongSyncOnPostgresTest extends PostgresHubTest implements GongSyncScenario {
}
