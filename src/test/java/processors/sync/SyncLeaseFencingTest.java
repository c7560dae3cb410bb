package processors.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import hub.EmbeddedHubTest;
import hub.Ids;
import providers.ThrottledException;
import store.CheckpointStore;
import store.CheckpointStore.LeaseLostException;
import store.IntegrationStore;
import store.SyncExecution;
import store.SyncExecutionStore;
import store.Timestamps;

/**
 * A run's queue message can be delivered twice at once: its instance is paused (SIGSTOP, a long GC pause) or loses
 * the broker, and the broker gives the message to another instance, which resumes the run from its checkpoint under
 * the same execution id. Each claim of the lease writes a new fencing token; the earlier delivery, waking up, is
 * refused at its next page (and its failure leaves the run to the later one), instead of writing beside it. Nor can it
 * let go of the lease or change the run's state on its way out: stopping as the hub shuts down, ending a cancelled run,
 * going back on the queue when throttled, or failing; the current holder's run goes on.
 */
class SyncLeaseFencingTest extends EmbeddedHubTest {

    @Autowired
    private CheckpointStore checkpoints;
    @Autowired
    private TransactionTemplate transaction;
    @Autowired
    private SyncExecutionStore executions;
    @Autowired
    private IntegrationStore integrations;
    @Autowired
    private SyncShutdown shutdown;
    @Autowired
    private SyncCancellation cancellation;
    @Autowired
    private SyncWaiting waiting;
    @Autowired
    private SyncFailure failure;
    @Autowired
    private CamelContext camel;

    @Test
    void aLaterDeliveryOfTheSameRunFencesTheEarlierOneAndAnotherRunFencesBoth() {
        String key = hub().newTenantKey(ADMIN_KEY);
        String integration = hub().connectedTestProvider(key, "fencing");
        OffsetDateTime inAMinute = OffsetDateTime.now().plusMinutes(1);

        assertThat(checkpoints.claim(integration, "Contact", "run-1", "delivery-1", inAMinute)).isTrue();
        check(integration, "run-1", "delivery-1");

        // the broker redelivers the run's message while the first delivery's instance is paused: it claims again
        assertThat(checkpoints.claim(integration, "Contact", "run-1", "delivery-2", inAMinute)).isTrue();
        check(integration, "run-1", "delivery-2");
        assertThatThrownBy(() -> check(integration, "run-1", "delivery-1")).isInstanceOfSatisfying(LeaseLostException.class,
                lost -> assertThat(lost.toAnotherDelivery()).as("the run goes on in the later delivery").isTrue());

        // run-1's last delivery stops renewing (its lease runs out); another run of the entity takes it over
        assertThat(checkpoints.claim(integration, "Contact", "run-1", "delivery-2", OffsetDateTime.now().minusSeconds(1))).isTrue();
        assertThat(checkpoints.claim(integration, "Contact", "run-2", "delivery-3", inAMinute)).as("run-1's lease has expired").isTrue();
        assertThatThrownBy(() -> check(integration, "run-1", "delivery-2")).isInstanceOfSatisfying(LeaseLostException.class,
                lost -> assertThat(lost.toAnotherDelivery()).as("run-1 lost its entity to another run").isFalse());
        check(integration, "run-2", "delivery-3");
    }

    @Test
    void aStaleCopyStoppingAsTheHubShutsDownLeavesTheLeaseAndTheRunToTheCurrentHolder() {
        Copies copies = runTakenOver("shutdown");

        shutdown.interrupt(copies.stale(), "at a page boundary");
        copies.assertCurrentHolderGoesOn();
        assertThat(executions.findById(copies.executionId()).orElseThrow().status()).as("still running, not made to wait")
                .isEqualTo(SyncExecution.Status.RUNNING);

        // the holder itself stopping does let go of the run, to resume after the restart
        shutdown.interrupt(copies.current(), "at a page boundary");
        assertThat(checkpoints.load(copies.integration(), "Contact").leaseExecutionId()).isNull();
        assertThat(executions.findById(copies.executionId()).orElseThrow().status()).isEqualTo(SyncExecution.Status.PENDING);
    }

    @Test
    void aStaleCopyEndingACancelledRunLeavesItToTheCurrentHolderWhichStopsAtItsNextPage() {
        Copies copies = runTakenOver("cancel");
        assertThat(executions.requestCancel(copies.executionId())).isTrue();

        cancellation.stop(copies.stale());
        copies.assertCurrentHolderGoesOn();
        assertThat(executions.findById(copies.executionId()).orElseThrow().finished()).as("not ended by the stale copy").isFalse();

        // the holder sees the cancel before its next page and ends the run
        assertThatThrownBy(() -> cancellation.process(copies.current())).isInstanceOf(SyncCancellation.CancelledAtPageBoundary.class);
        cancellation.stop(copies.current());
        assertThat(executions.findById(copies.executionId()).orElseThrow().status()).isEqualTo(SyncExecution.Status.CANCELLED);
        assertThat(checkpoints.load(copies.integration(), "Contact").leaseExecutionId()).isNull();
    }

    @Test
    void aStaleCopyThrottledNeitherParksTheRunNorQueuesItAgain() {
        Copies copies = runTakenOver("throttled");
        Exchange stale = copies.stale();
        stale.setProperty(Exchange.EXCEPTION_CAUGHT, new ThrottledException("the hub's rate limit for the provider", Duration.ofSeconds(30)));

        waiting.process(stale);
        copies.assertCurrentHolderGoesOn();
        assertThat(checkpoints.holderResumesAt(copies.integration(), "Contact")).as("the lease is not parked").isEmpty();
        assertThat(executions.requeues(copies.executionId())).as("not made to wait, nor queued again").isZero();
        assertThat(executions.findById(copies.executionId()).orElseThrow().status()).isEqualTo(SyncExecution.Status.RUNNING);
    }

    @Test
    void aStaleCopyFailingNeitherEndsTheRunNorLetsGoOfItsLease() {
        Copies copies = runTakenOver("failed");
        Exchange stale = copies.stale();
        stale.setProperty(Exchange.EXCEPTION_CAUGHT, new IllegalStateException("a step of the stale copy failed"));

        assertThat(failure.fail(stale, null)).isFalse();
        copies.assertCurrentHolderGoesOn();
        assertThat(executions.findById(copies.executionId()).orElseThrow().finished()).isFalse();
    }

    /** Two copies of one running execution of the integration's Contact: the stale one's claim was taken over by the current one. */
    private record Copies(String integration, String executionId, Exchange stale, Exchange current, Runnable holderGoesOn) {

        /** The current holder still holds the lease under its token and commits its next page's checkpoint. */
        void assertCurrentHolderGoesOn() {
            holderGoesOn.run();
        }
    }

    private Copies runTakenOver(String name) {
        String key = hub().newTenantKey(ADMIN_KEY);
        String integration = hub().connectedTestProvider(key, "fencing-" + name);
        var found = integrations.findById(integration).orElseThrow();
        SyncExecution execution = new SyncExecution(Ids.newId(), found.tenantId(), integration, null, "Contact", "full", "manual",
                SyncExecution.Status.PENDING, "queued", SyncExecution.Counts.ZERO, false, null, Timestamps.now(), null, null, null);
        executions.insert(execution);
        executions.markRunning(execution.id(), "fetching");
        OffsetDateTime inAMinute = OffsetDateTime.now().plusMinutes(1);
        assertThat(checkpoints.claim(integration, "Contact", execution.id(), "delivery-1", inAMinute)).isTrue();
        checkpoints.startPass(integration, "Contact", execution.id(), "full", null);
        // the first delivery's instance is paused; the broker gives the run's message to another, which claims it again
        assertThat(checkpoints.claim(integration, "Contact", execution.id(), "delivery-2", inAMinute)).isTrue();
        SyncExecution running = executions.findById(execution.id()).orElseThrow();
        Runnable holderGoesOn = () -> {
            assertThat(checkpoints.load(integration, "Contact").leaseExecutionId()).isEqualTo(execution.id());
            check(integration, execution.id(), "delivery-2");
            transaction.executeWithoutResult(tx -> {
                checkpoints.checkHolder(integration, "Contact", execution.id(), "delivery-2");
                checkpoints.advance(integration, "Contact", execution.id(), "page-after", OffsetDateTime.now().plusMinutes(1));
            });
            assertThat(checkpoints.load(integration, "Contact").passCursor()).isEqualTo("page-after");
        };
        return new Copies(integration, execution.id(), copy(running, found, "delivery-1"), copy(running, found, "delivery-2"), holderGoesOn);
    }

    private Exchange copy(SyncExecution execution, store.Integration integration, String token) {
        SyncRun run = new SyncRun(execution, integration, null, null, null, List.of(), List.of(), "full", null, null, Timestamps.now());
        run.leaseToken(token);
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(SyncRun.PROPERTY, run);
        return exchange;
    }

    private void check(String integration, String execution, String token) {
        transaction.executeWithoutResult(tx -> checkpoints.checkHolder(integration, "Contact", execution, token));
    }
}
