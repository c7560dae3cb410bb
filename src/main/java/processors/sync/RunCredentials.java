package processors.sync;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

import security.CredentialVault;
import store.AuditLog;

/**
 * open-connection: reads the integration's credentials from the vault (audited) for the run's provider calls; a run
 * whose credentials are gone is refused with a reason that says to reconnect. Does nothing when no run is starting.
 */
@Component
public class RunCredentials implements Processor {

    private final CredentialVault vault;
    private final AuditLog audit;
    private final SyncRefusal refusal;

    public RunCredentials(CredentialVault vault, AuditLog audit, SyncRefusal refusal) {
        this.vault = vault;
        this.audit = audit;
        this.refusal = refusal;
    }

    @Override
    public void process(Exchange exchange) {
        SyncStart start = exchange.getProperty(SyncStart.PROPERTY, SyncStart.class);
        if (start == null) {
            return;
        }
        String secretName = start.connection().secretName();
        Map<String, String> credentials = vault.get(secretName).orElse(null);
        if (credentials == null) {
            refusal.refuse(exchange, start.execution(), "credentials are missing from the vault; reconnect the integration");
            return;
        }
        audit.record(start.integration().tenantId(), "sync", "secret.read", "secret", secretName, "sync execution " + start.execution().id());
        start.credentials(credentials);
    }
}
