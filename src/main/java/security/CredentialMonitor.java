package security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import store.AuditLog;
import store.Connection;
import store.ConnectionStore;
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

    public CredentialMonitor(ConnectionStore connections, AuditLog audit) {
        this.connections = connections;
        this.audit = audit;
    }

    /** Warns about credentials due or overdue for rotation; returns how many warnings it gave. */
    public int warnRotationDue() {
        int warned = 0;
        for (Connection c : connections.withRotationPolicy(Timestamps.now().minusDays(1))) {
            Connection.CredentialState state = c.credentialState();
            if (state == Connection.CredentialState.OK) {
                continue;
            }
            audit.record(c.tenantId(), "hub", "credential." + state.value(), "integration", c.integrationId(), "rotate by " + c.rotateBy());
            LOG.warn("Credentials of integration {} (tenant {}) are {}: rotate by {}", c.integrationId(), c.tenantId(), state, c.rotateBy());
            connections.recordRotationWarning(c.integrationId());
            warned++;
        }
        return warned;
    }
}
