package processors.sync;

import java.time.Duration;
import java.time.OffsetDateTime;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import ratelimits.ProviderGate;
import store.Checkpoint;
import store.CheckpointStore;
import store.Integration;
import store.SyncExecution;
import store.TenantStore;
import store.Timestamps;

/**
 * claim-lease: a queued run that later triggers joined waits until they pause (coalescing); then the run takes its
 * entity's lease, within its tenant's limit of concurrent syncs. A run that cannot have it yet goes back on its queue
 * and tries again (deferred); one that has waited longer than the maximum wait is refused. Does nothing when no run
 * is starting ({@link SyncStart} absent).
 */
@Component
public class LeaseClaim implements Processor {

    private enum Claim { CLAIMED, ENTITY_BUSY, TENANT_BUSY }

    private final CheckpointStore checkpoints;
    private final SyncDispatcher dispatcher;
    private final ProviderGate gate;
    private final TenantStore tenants;
    private final TransactionTemplate transaction;
    private final MeterRegistry meters;
    private final SyncRefusal refusal;
    private final Duration lease;
    private final Duration maxWait;
    private final Duration coalesceQuiet;
    private final Duration coalesceMax;

    public LeaseClaim(CheckpointStore checkpoints, SyncDispatcher dispatcher, ProviderGate gate, TenantStore tenants,
                      TransactionTemplate transaction, MeterRegistry meters, SyncRefusal refusal,
                      @Value("${hub.sync.lease}") String lease, @Value("${hub.sync.max-wait}") String maxWait,
                      @Value("${hub.sync.coalesce-quiet}") String coalesceQuiet, @Value("${hub.sync.coalesce-max}") String coalesceMax) {
        this.checkpoints = checkpoints;
        this.dispatcher = dispatcher;
        this.gate = gate;
        this.tenants = tenants;
        this.transaction = transaction;
        this.meters = meters;
        this.refusal = refusal;
        this.lease = DurationStyle.detectAndParse(lease);
        this.maxWait = DurationStyle.detectAndParse(maxWait);
        this.coalesceQuiet = DurationStyle.detectAndParse(coalesceQuiet);
        this.coalesceMax = DurationStyle.detectAndParse(coalesceMax);
    }

    @Override
    public void process(Exchange exchange) {
        SyncStart start = exchange.getProperty(SyncStart.PROPERTY, SyncStart.class);
        if (start == null) {
            return;
        }
        SyncExecution execution = start.execution();
        Integration integration = start.integration();
        Long waitingSince = start.waitingSince();
        OffsetDateTime now = Timestamps.now();
        if (start.waitingFor() == null && execution.startedAt() == null) {
            // a queued run that later triggers have joined (a burst of changes is arriving): it starts once they pause
            Duration quietLeft = checkpoints.queuedTouchedAt(integration.id(), execution.entity(), execution.id())
                    .filter(touched -> touched.isAfter(execution.createdAt()))
                    .map(touched -> coalesceQuiet.minus(Duration.between(touched, now))).orElse(Duration.ZERO);
            long queuedSince = waitingSince != null ? waitingSince : execution.createdAt().toInstant().toEpochMilli();
            if (!quietLeft.isNegative() && !quietLeft.isZero() && now.toInstant().toEpochMilli() - queuedSince < coalesceMax.toMillis()) {
                dispatcher.redeliverLater(execution, queuedSince, quietLeft);
                exchange.removeProperty(SyncStart.PROPERTY);
                return;
            }
        }
        int maxRunning = gate.maxConcurrentSyncs(integration.tenantId());
        checkpoints.ensureExists(integration.id(), execution.entity());
        String token = java.util.UUID.randomUUID().toString();
        Claim claim = transaction.execute(status -> {
            tenants.lock(integration.tenantId());
            if (checkpoints.countRunning(integration.tenantId(), integration.id(), execution.entity()) >= maxRunning) {
                return Claim.TENANT_BUSY;
            }
            return checkpoints.claim(integration.id(), execution.entity(), execution.id(), token, now.plus(lease)) ? Claim.CLAIMED
                    : Claim.ENTITY_BUSY;
        });
        if (claim == Claim.CLAIMED) {
            start.claimedAt(now);
            start.leaseToken(token);
            return;
        }
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
            exchange.removeProperty(SyncStart.PROPERTY);
            return;
        }
        if (claim == Claim.TENANT_BUSY) {
            refusal.refuse(exchange, execution,
                    "the tenant has had " + maxRunning + " syncs running for longer than this run may wait (" + maxWait + ")");
            return;
        }
        Checkpoint held = checkpoints.load(integration.id(), execution.entity());
        refusal.refuse(exchange, execution, "another sync of " + execution.entity() + " has been running (execution "
                + held.leaseExecutionId() + ") for longer than this run may wait (" + maxWait + ")");
    }
}
