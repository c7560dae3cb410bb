package processors.writeback;

import hub.PostgresHubTest;

/** The write-back scenario on PostgreSQL (profile postgres). */
class WriteBackOnPostgresTest extends PostgresHubTest implements WriteBackScenario {
}
