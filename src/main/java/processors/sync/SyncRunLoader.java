package processors.sync;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import messaging.DeadLetters;
import messaging.QueueWriter;
import processors.mapping.EntityMapping;
import processors.mapping.MappingCatalog;
import providers.AdapterRegistry;
import providers.ConnectionContext;
import providers.IntegrationAdapter;
import providers.PullFilter;
import ratelimits.ProviderGate;
import security.CredentialVault;
import store.AuditLog;
import store.Checkpoint;
import store.CheckpointStore;
import store.Connection;
import store.ConnectionStore;
import store.Integration;
import store.IntegrationStore;
import store.SyncExecution;
import store.SyncExecutionStore;
import store.TenantStore;
import store.Timestamps;

/**
 * First step of a sync run: reads the queued request, loads the integration, its connection and
 * mapping, takes the entity's lease and decides where the pass starts (fresh, or resumed from the
 * checkpoint). Sets {@link SyncRun#PROPERTY}; leaves it unset when there is nothing to run.
 */
@Component
public class SyncRunLoader implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(SyncRunLoader.class);
    /** prepare()'s answer when the run waits for the entity's running sync and was queued again. */
    private static final String DEFERRED = "deferred";
    private enum Claim { CLAIMED, ENTITY_BUSY, TENANT_BUSY }

    /** Exchange property with the execution id, set before anything can fail. */
    public static final String EXECUTION_ID = "hub.executionId";

    private final ObjectMapper json;
    private final SyncExecutionStore executions;
    private final IntegrationStore integrations;
    private final ConnectionStore connections;
    private final CheckpointStore checkpoints;
    private final CredentialVault vault;
    private final AuditLog audit;
    private final AdapterRegistry adapters;
    private final MappingCatalog mappings;
    private final Duration lease;
    private final Duration maxWait;
    private final SyncDispatcher dispatcher;
    private final ProviderGate gate;
    private final TenantStore tenants;
    private final TransactionTemplate transaction;
    private final MeterRegistry meters;
    private final Duration coalesceQuiet;
    private final Duration coalesceMax;

    public SyncRunLoader(ObjectMapper json, SyncExecutionStore executions, IntegrationStore integrations, ConnectionStore connections,
                         CheckpointStore checkpoints, CredentialVault vault, AuditLog audit, AdapterRegistry adapters,
                         MappingCatalog mappings, SyncDispatcher dispatcher, @Value("${hub.sync.lease}") String lease,
                         @Value("${hub.sync.max-wait}") String maxWait, ProviderGate gate, TenantStore tenants,
                         TransactionTemplate transaction, MeterRegistry meters,
                         @Value("${hub.sync.coalesce-quiet}") String coalesceQuiet, @Value("${hub.sync.coalesce-max}") String coalesceMax) {
        this.coalesceQuiet = DurationStyle.detectAndParse(coalesceQuiet);
        this.coalesceMax = DurationStyle.detectAndParse(coalesceMax);
        this.gate = gate;
        this.tenants = tenants;
        this.transaction = transaction;
        this.meters = meters;
        this.json = json;
        this.executions = executions;
        this.integrations = integrations;
        this.connections = connections;
        this.checkpoints = checkpoints;
        this.vault = vault;
        this.audit = audit;
        this.adapters = adapters;
        this.mappings = mappings;
        this.lease = DurationStyle.detectAndParse(lease);
        this.maxWait = DurationStyle.detectAndParse(maxWait);
        this.dispatcher = dispatcher;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        SyncRequest request = request(exchange.getMessage().getBody(String.class));
        if (request == null) {
            LOG.warn("Dropped an inbound sync message that is not a sync request");
            return;
        }
        exchange.setProperty(EXECUTION_ID, request.executionId());
        SyncExecution execution = executions.findById(request.executionId()).orElseGet(() -> recreate(request));
        if (execution == null) {
            return;
        }
        if (exchange.getMessage().getHeader(DeadLetters.REPLAY_OF) != null) {
            // a replayed dead letter runs its failed execution again, once however often it is replayed
            if (!executions.reopen(execution.id())) {
                LOG.info("Execution {} is {}, not failed; replayed request ignored", execution.id(), execution.status());
                return;
            }
            execution = executions.findById(execution.id()).orElseThrow();
            LOG.info("Execution {} replayed from the dead letter", execution.id());
        }
        if (execution.finished()) {
            LOG.info("Execution {} already {}; redelivered request ignored", execution.id(), execution.status());
            return;
        }
        Long waitingSince = exchange.getMessage().getHeader(QueueWriter.WAITING_SINCE, Long.class);
        String waitingFor = exchange.getMessage().getHeader(SyncDispatcher.WAITING_FOR, String.class);
        Integer waitsInRow = exchange.getMessage().getHeader(SyncDispatcher.WAITS_IN_ROW, Integer.class);
        String refusal = prepare(exchange, execution, waitingSince, waitingFor, waitsInRow == null ? 0 : waitsInRow);
        if (refusal != null && !DEFERRED.equals(refusal)) {
            checkpoints.unqueue(execution.integrationId(), execution.entity(), execution.id());
            // a run refused when it came back from waiting held the entity meanwhile: it lets go now
            checkpoints.release(execution.integrationId(), execution.entity(), execution.id());
            executions.finish(execution.id(), SyncExecution.Status.FAILED, "not-started", refusal, false);
        }
    }

    /** Builds the run; returns why it cannot start, or null. */
    private String prepare(Exchange exchange, SyncExecution execution, Long waitingSince, String waitingFor, int waitsInRow) {
        Integration integration = integrations.findById(execution.integrationId()).orElse(null);
        if (integration == null) {
            return "integration no longer exists";
        }
        if (!integration.syncEnabled()) {
            return "sync is disabled for this integration";
        }
        Connection connection = connections.find(integration.id()).orElse(null);
        if (connection == null || connection.status() != Connection.Status.CONNECTED) {
            return "integration is not connected" + (connection != null && connection.lastError() != null ? ": " + connection.lastError() : "");
        }
        IntegrationAdapter adapter = adapters.find(integration.providerId()).orElse(null);
        if (adapter == null) {
            return "no adapter for provider " + integration.providerId();
        }
        EntityMapping mapping = mappings.find(integration.providerId(), execution.entity(), integration.settings().fieldMappings())
                .orElse(null);
        if (mapping == null) {
            return "no mapping for " + integration.providerId() + " entity " + execution.entity();
        }
        Map<String, String> credentials = vault.get(connection.secretName()).orElse(null);
        if (credentials == null) {
            return "credentials are missing from the vault; reconnect the integration";
        }
        audit.record(integration.tenantId(), "sync", "secret.read", "secret", connection.secretName(), "sync execution " + execution.id());

        OffsetDateTime now = Timestamps.now();
        if (waitingFor == null && execution.startedAt() == null) {
            // a queued run that later triggers have joined (a burst of changes is arriving): it starts once they pause
            Duration quietLeft = checkpoints.queuedTouchedAt(integration.id(), execution.entity(), execution.id())
                    .filter(touched -> touched.isAfter(execution.createdAt()))
                    .map(touched -> coalesceQuiet.minus(Duration.between(touched, now))).orElse(Duration.ZERO);
            long queuedSince = waitingSince != null ? waitingSince : execution.createdAt().toInstant().toEpochMilli();
            if (!quietLeft.isNegative() && !quietLeft.isZero() && now.toInstant().toEpochMilli() - queuedSince < coalesceMax.toMillis()) {
                dispatcher.redeliverLater(execution, queuedSince, quietLeft);
                return DEFERRED;
            }
        }
        int maxRunning = gate.maxConcurrentSyncs(integration.tenantId());
        checkpoints.ensureExists(integration.id(), execution.entity());
        Claim claim = transaction.execute(status -> {
            tenants.lock(integration.tenantId());
            if (checkpoints.countRunning(integration.tenantId(), integration.id(), execution.entity()) >= maxRunning) {
                return Claim.TENANT_BUSY;
            }
            return checkpoints.claim(integration.id(), execution.entity(), execution.id(), now.plus(lease)) ? Claim.CLAIMED : Claim.ENTITY_BUSY;
        });
        if (claim != Claim.CLAIMED) {
            // the wait counts from when this run began waiting: its queuing, or its last re-queue after it ran a while
            long since = waitingSince != null ? waitingSince
                    : execution.startedAt() != null ? now.toInstant().toEpochMilli() : execution.createdAt().toInstant().toEpochMilli();
            if (now.toInstant().toEpochMilli() - since < maxWait.toMillis()) {
                // queued behind running syncs, not dropped: try again shortly, with the same priority
                if (claim == Claim.TENANT_BUSY) {
                    meters.counter("hub.sync.concurrency.deferred").increment();
                }
                // behind a run that waits on the queue itself: not before that run comes back
                Duration holderBack = claim == Claim.ENTITY_BUSY ? checkpoints.holderResumesAt(integration.id(), execution.entity())
                        .map(at -> Duration.between(now, at)).filter(d -> !d.isNegative()).orElse(Duration.ZERO) : Duration.ZERO;
                dispatcher.redeliverLater(execution, since, holderBack);
                return DEFERRED;
            }
            if (claim == Claim.TENANT_BUSY) {
                return "the tenant has had " + maxRunning + " syncs running for longer than this run may wait (" + maxWait + ")";
            }
            Checkpoint held = checkpoints.load(integration.id(), execution.entity());
            return "another sync of " + execution.entity() + " has been running (execution " + held.leaseExecutionId()
                    + ") for longer than this run may wait (" + maxWait + ")";
        }
        // started: changes announced from now on need a run of their own
        checkpoints.unqueue(integration.id(), execution.entity(), execution.id());
        // a full task may have widened this run while it was queued: its mode as it is now that nothing can join it
        SyncExecution started = executions.findById(execution.id()).orElse(execution);
        Checkpoint checkpoint = checkpoints.load(integration.id(), execution.entity());
        String passMode;
        String since;
        if (checkpoint.passInProgress() && (checkpoint.passMode().equals(started.mode()) || "full".equals(checkpoint.passMode()))) {
            passMode = checkpoint.passMode();
            since = checkpoint.passCursor();
            if (waitingFor == null) {
                LOG.info("Execution {} resumes the {} pass of {} from {}", execution.id(), passMode, execution.entity(), since);
            } else {
                // back from waiting on its queue: said once when it goes on (PageFetcher), not at every return
                LOG.debug("Execution {} back from waiting ({}), resumes the {} pass of {} from {}", execution.id(), waitingFor, passMode,
                        execution.entity(), since);
            }
        } else {
            passMode = started.mode();
            since = "full".equals(passMode) ? null : checkpoint.highWaterMark();
            checkpoints.startPass(integration.id(), execution.entity(), execution.id(), passMode, since);
        }
        executions.markRunning(execution.id(), "fetching");
        ConnectionContext context = new ConnectionContext(integration.tenantId(), integration.id(), integration.providerId(), credentials);
        Long maxRecords = integration.maxRecordsPerSync() == null ? null : integration.maxRecordsPerSync().longValue();
        SyncRun run = new SyncRun(started, integration, adapter, context, mapping, new ArrayList<>(mapping.sourceFields()),
                filters(integration, execution.entity()), passMode, since, maxRecords, now);
        run.throttledSince(waitingSince);
        run.waited(waitingFor, waitsInRow);
        exchange.setProperty(SyncRun.PROPERTY, run);
        // from here on the run's state is in SyncRun: drop the JMS message, which every split record would otherwise copy
        exchange.setMessage(new DefaultMessage(exchange));
        return null;
    }

    private static List<PullFilter> filters(Integration integration, String entity) {
        List<Map<String, Object>> specs = integration.settings().pullFilters().getOrDefault(entity, List.of());
        return specs.stream().map(s -> new PullFilter((String) s.get("field"), (String) s.get("op"), s.get("value"))).toList();
    }

    /**
     * The queued request outlived its execution row (an embedded store can lose its last commits in a
     * hard crash): the message carries enough to record the execution again and run it.
     */
    private SyncExecution recreate(SyncRequest r) {
        if (r.tenantId() == null || r.integrationId() == null || r.entity() == null || r.mode() == null || r.trigger() == null
                || integrations.findById(r.integrationId()).isEmpty()) {
            LOG.warn("Dropped sync request for unknown execution {}", r.executionId());
            return null;
        }
        SyncExecution execution = new SyncExecution(r.executionId(), r.tenantId(), r.integrationId(), r.taskId(), r.entity(), r.mode(),
                r.trigger(), SyncExecution.Status.PENDING, "queued", SyncExecution.Counts.ZERO, false, null, Timestamps.now(), null, null, null);
        executions.insert(execution);
        LOG.warn("Execution {} was missing from the store; recorded again from its queued request", r.executionId());
        return execution;
    }

    private SyncRequest request(String body) {
        try {
            JsonNode data = json.readTree(body).path("data");
            return data.path("executionId").isTextual() ? json.treeToValue(data, SyncRequest.class) : null;
        } catch (Exception e) {
            return null;
        }
    }
}
