package routes;

import hub.PacedByProviderLimits;
import hub.PostgresHubTest;

/** The Slack, GitHub, Notion and Google Drive end-to-end syncs on PostgreSQL. */
@PacedByProviderLimits
class ContentSyncOnPostgresTest extends PostgresHubTest
        implements SlackSyncScenario, GitHubSyncScenario, NotionSyncScenario, GoogleDriveSyncScenario {
}
