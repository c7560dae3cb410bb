package security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import store.AuditLog;
import store.Connection;
import store.ConnectionStore;
import store.EventStore;
import store.Timestamps;

/**
 * Expiry monitoring of credentials under a rotation policy: once a day at most per connection, a
 * connection whose credentials are within their warning period ({@code credential.rotation_due})
 * or past their maximum age ({@code credential.rotation_overdue}) is recorded in the audit trail and
 * logged, for the tenant to replace them. The connection API shows the same state.
 */
@Component
public class CredentialMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialMonitor.class);

    private final ConnectionStore connections;
    private final AuditLog audit;

    private final EventStore events;
    private final TransactionTemplate transaction;

    public CredentialMonitor(ConnectionStore connections, AuditLog audit, EventStore events, TransactionTemplate transaction) {
        this.connections = connections;
        this.audit = audit;
        this.events = events;
        this.transaction = transaction;
    }

    /** Warns about credentials due or overdue for rotation; returns how many warnings it gave. */
    public int warnRotationDue() {
        int warned = 0;
        for (Connection c : connections.withRotationPolicy(Timestamps.now().minusDays(1))) {
            Connection.CredentialState state = c.credentialState();
            if (state == Connection.CredentialState.OK) {
                continue;
            }
            // the warning, its event and the note that it was given commit together: one event per warning
            transaction.executeWithoutResult(status -> {
                audit.record(c.tenantId(), "hub", "credential." + state.value(), "integration", c.integrationId(), "rotate by " + c.rotateBy());
                events.append(c.tenantId(), "credential." + state.value(), c.integrationId(), EventStore.data("integrationId", c.integrationId(),
                        "authType", c.authType(), "state", state.value(), "credentialsSetAt", java.util.Objects.toString(c.credentialsSetAt(), null),
                        "rotateBy", java.util.Objects.toString(c.rotateBy(), null), "maxAgeDays", c.rotationMaxAgeDays()));
                connections.recordRotationWarning(c.integrationId());
            });
            LOG.warn("Credentials of integration {} (tenant {}) are {}: rotate by {}", c.integrationId(), c.tenantId(), state, c.rotateBy());
            warned++;
        }
        return warned;
    }
}
