package processors.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.ObjectMapper;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.Traces;
import store.CheckpointStore;
import store.SyncExecution;
import store.SyncExecutionStore;
import store.SyncTaskStore;

/**
 * Changes a provider announces about one entity, arriving at once on many threads (a webhook burst), make one queued
 * run while none has started: every change joins it. The runs are queued to a route that only counts them; each round
 * of changes arriving together must make exactly one, which then starts, so the next round needs a run of its own.
 */
class ChangeRunCoalescingTest extends EmbeddedHubTest {

    private static final int THREADS = 8;
    private static final int ROUNDS = 100;

    @Autowired
    private SyncExecutionStore executions;
    @Autowired
    private SyncTaskStore tasks;
    @Autowired
    private CheckpointStore checkpoints;
    @Autowired
    private ObjectMapper json;
    @Autowired
    private Traces traces;

    @Test
    void changesArrivingTogetherMakeOneQueuedRunEachTime() throws Exception {
        HubClient.Tenant owner = hub().newTenant(ADMIN_KEY);
        String integration = hub().connectedTestProvider(owner.key(), "coalescing");
        String tenant = owner.id();
        AtomicInteger queued = new AtomicInteger();
        try (CamelContext queue = new DefaultCamelContext()) {
            queue.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(SyncDispatcher.QUEUE_ROUTE).process(exchange -> queued.incrementAndGet());
                }
            });
            queue.start();
            ProducerTemplate producer = queue.createProducerTemplate();
            SyncDispatcher dispatcher = new SyncDispatcher(executions, tasks, checkpoints, producer, json,
                    "sync-inbound-scheduled", "sync-inbound-webhook", "1s", traces);

            ExecutorService changes = Executors.newFixedThreadPool(THREADS);
            try {
                for (int round = 1; round <= ROUNDS; round++) {
                    CyclicBarrier together = new CyclicBarrier(THREADS);
                    List<Future<String>> sent = new ArrayList<>();
                    for (int t = 0; t < THREADS; t++) {
                        sent.add(changes.submit(() -> {
                            together.await();
                            return dispatcher.dispatchForChange(tenant, integration, "Contact").executionId();
                        }));
                    }
                    Set<String> runs = new HashSet<>();
                    for (Future<String> f : sent) {
                        runs.add(f.get());
                    }
                    assertThat(runs).as("runs the changes of round %d went to", round).hasSize(1);
                    assertThat(queued).as("runs put on the queue by round %d", round).hasValue(round);
                    String run = runs.iterator().next();
                    assertThat(executions.list(tenant, integration, SyncExecution.Status.PENDING, null, 10).items())
                            .extracting(SyncExecution::id).containsExactly(run);
                    // the run starts: the next changes need a run of their own
                    checkpoints.unqueue(integration, "Contact", run);
                    executions.markRunning(run, "fetching");
                }
            } finally {
                changes.shutdown();
            }
        }
    }

    @Test
    void aChangeJoinsTheQueuedRunOnlyWhileItIsPending() throws Exception {
        HubClient.Tenant owner = hub().newTenant(ADMIN_KEY);
        String integration = hub().connectedTestProvider(owner.key(), "joining");
        assertThat(checkpoints.joinPending(integration, "Contact")).as("no run queued").isEmpty();
        try (CamelContext queue = new DefaultCamelContext()) {
            queue.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(SyncDispatcher.QUEUE_ROUTE).log("queued");
                }
            });
            queue.start();
            SyncDispatcher dispatcher = new SyncDispatcher(executions, tasks, checkpoints, queue.createProducerTemplate(), json,
                    "sync-inbound-scheduled", "sync-inbound-webhook", "1s", traces);
            SyncDispatcher.ChangeRun first = dispatcher.dispatchForChange(owner.id(), integration, "Contact");
            assertThat(first.coalesced()).isFalse();

            assertThat(checkpoints.joinPending(integration, "Contact")).contains(first.executionId());
            assertThat(checkpoints.queuedTouchedAt(integration, "Contact", first.executionId())).as("the join is noted").isPresent();
            assertThat(dispatcher.dispatchForChange(owner.id(), integration, "Contact"))
                    .isEqualTo(new SyncDispatcher.ChangeRun(first.executionId(), true));
            assertThat(executions.list(owner.id(), integration, null, null, 10).items()).extracting(SyncExecution::id)
                    .as("the joining changes stored no run").containsExactly(first.executionId());

            // the queued run starts, but is still the queued one a moment: a change no longer joins it
            executions.markRunning(first.executionId(), "fetching");
            assertThat(checkpoints.joinPending(integration, "Contact")).isEmpty();
            SyncDispatcher.ChangeRun next = dispatcher.dispatchForChange(owner.id(), integration, "Contact");
            assertThat(next.coalesced()).isFalse();
            assertThat(next.executionId()).isNotEqualTo(first.executionId());
        }
    }
}
