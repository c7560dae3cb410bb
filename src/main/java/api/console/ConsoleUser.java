package api.console;

import java.io.Serializable;

import security.Caller;

/**
 * Who signed in to the console, kept in the HTTP session: the administrator (who picks the tenant to look at) or a
 * tenant through one of its keys (which sees only its own tenant). {@code tenantId} is the tenant in view.
 */
public record ConsoleUser(boolean admin, String tenantId, String keyId) implements Serializable {

    static final String SESSION_ATTRIBUTE = "console.user";

    /** The caller the REST API would see: the console acts through the same controllers and stores. */
    public Caller caller() {
        return admin ? new Caller(true, tenantId, "admin") : Caller.tenant(tenantId, keyId);
    }

    public ConsoleUser viewing(String tenant) {
        return new ConsoleUser(admin, tenant, keyId);
    }

    public boolean hasTenant() {
        return tenantId != null;
    }
}
