package processors.sync;

import java.time.OffsetDateTime;
import java.util.Map;

import processors.mapping.EntityMapping;
import providers.IntegrationAdapter;
import store.Connection;
import store.Integration;
import store.SyncExecution;

/**
 * A queued run on its way to starting, between the first steps of sync-inbound (load-run, claim-lease,
 * open-connection, start-pass): what load-run found and how long the run has waited. Carried as an exchange
 * property; a step that ends the run's start (refused, deferred, ignored) removes it and the later steps do nothing.
 */
public final class SyncStart {

    public static final String PROPERTY = "hub.syncStart";

    private final SyncExecution execution;
    private final Integration integration;
    private final Connection connection;
    private final IntegrationAdapter adapter;
    private final EntityMapping mapping;
    private final Long waitingSince;
    private final String waitingFor;
    private final int waitsInRow;
    private Map<String, String> credentials;
    private OffsetDateTime claimedAt;
    private String leaseToken;

    SyncStart(SyncExecution execution, Integration integration, Connection connection, IntegrationAdapter adapter, EntityMapping mapping,
              Long waitingSince, String waitingFor, int waitsInRow) {
        this.execution = execution;
        this.integration = integration;
        this.connection = connection;
        this.adapter = adapter;
        this.mapping = mapping;
        this.waitingSince = waitingSince;
        this.waitingFor = waitingFor;
        this.waitsInRow = waitsInRow;
    }

    public SyncExecution execution() {
        return execution;
    }

    public Integration integration() {
        return integration;
    }

    Connection connection() {
        return connection;
    }

    IntegrationAdapter adapter() {
        return adapter;
    }

    EntityMapping mapping() {
        return mapping;
    }

    /** When (epoch ms) the run's current wait began, from its message; null when it has not waited. */
    Long waitingSince() {
        return waitingSince;
    }

    /** What the run waited for when it was last re-queued (throttled, circuit open ...); null when it was not. */
    String waitingFor() {
        return waitingFor;
    }

    int waitsInRow() {
        return waitsInRow;
    }

    Map<String, String> credentials() {
        return credentials;
    }

    void credentials(Map<String, String> credentials) {
        this.credentials = credentials;
    }

    /** When the run took its entity's lease; null until claim-lease has taken it. */
    OffsetDateTime claimedAt() {
        return claimedAt;
    }

    void claimedAt(OffsetDateTime claimedAt) {
        this.claimedAt = claimedAt;
    }

    /** The fencing token of this delivery's claim ({@link store.CheckpointStore#checkHolder}). */
    String leaseToken() {
        return leaseToken;
    }

    void leaseToken(String leaseToken) {
        this.leaseToken = leaseToken;
    }
}
