package routes;

import org.springframework.beans.factory.annotation.Autowired;

import hub.PostgresHubTest;
import processors.webhooks.WebhookRenewal;
import sandbox.kit.SandboxTlsPort;
import security.SandboxTrust;

/** The meeting and Microsoft 365 providers' end-to-end syncs on PostgreSQL (scenarios shared with their H2 tests). */
class MeetingSyncOnPostgresTest extends PostgresHubTest implements ZoomSyncScenario, TeamsSyncScenario {

    @Autowired
    SandboxTlsPort tlsPort;
    @Autowired
    SandboxTrust trust;
    @Autowired
    WebhookRenewal renewal;

    @Override
    public GraphTeamsSandbox graphTeams(String prefix) {
        return new GraphTeamsSandbox(hub(), tlsPort.localPort(), trust.httpClient().build(), prefix);
    }

    @Override
    public WebhookRenewal webhookRenewal() {
        return renewal;
    }
}
