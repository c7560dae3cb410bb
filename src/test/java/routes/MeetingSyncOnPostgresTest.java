package routes;

import hub.PostgresHubTest;

/** The meeting providers' end-to-end syncs on PostgreSQL (scenarios shared with their H2 tests). */
class MeetingSyncOnPostgresTest extends PostgresHubTest implements ZoomSyncScenario {
}
