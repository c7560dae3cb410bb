package api.console;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.PostgresHubTest;
import store.ConnectionStore;

/** An OAuth flow started from the console comes back to its page on PostgreSQL too (its return target kept with the state, V27). */
class ConnectionPagesOnPostgresTest extends PostgresHubTest {

    @Autowired
    ConnectionStore connections;

    @Test
    void anOAuthFlowStartedFromTheConsoleComesBackToItsPage() {
        HubClient hub = hub();
        ConnectionPagesTest.oauthRoundTrip(hub, hub.newTenant(EmbeddedHubTest.ADMIN_KEY), connections);
    }
}
