package routes;

import org.springframework.beans.factory.annotation.Autowired;

import hub.PostgresHubTest;
import sandbox.kit.SandboxTlsPort;

/** OneDrive's end-to-end sync and push on PostgreSQL (the scenario shared with {@link OneDriveSyncTest}). */
class OneDriveSyncOnPostgresTest extends PostgresHubTest implements OneDriveSyncScenario {

    @Autowired
    SandboxTlsPort sandboxTls;

    @Override
    public int tlsPort() {
        return sandboxTls.localPort();
    }
}
