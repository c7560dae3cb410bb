package routes;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import processors.sync.DeletedRecordSync;
import processors.sync.LeaseClaim;
import processors.sync.PageCollector;
import processors.sync.PageFetcher;
import processors.sync.PassStart;
import processors.sync.RecordMapper;
import processors.sync.RunCredentials;
import processors.sync.SyncCancellation;
import processors.sync.ShardUpsert;
import processors.sync.SyncCompletion;
import processors.sync.SyncDispatcher;
import processors.sync.SyncRun;
import processors.sync.SyncRunLoader;
import processors.sync.SyncShutdown;
import processors.webhooks.WebhookAcceptor;
import routes.config.QueuePolicy;
import routes.config.SyncErrorPolicy;

/**
 * Inbound sync: provider records become shards. Both inbound queues feed one pipeline that pages
 * through the provider, splits each page record by record (streaming: memory holds one page),
 * maps, and upserts the page in one transaction with its checkpoint. Queue consumers are
 * transacted: a run interrupted by a crash, or stopped at a page boundary by a shutdown, is redelivered
 * and resumes from its checkpoint. A run starts in steps: load-run (execution, integration, adapter, mapping),
 * open-connection (credentials), claim-lease (coalescing, the tenant's concurrency, the entity's lease; or back on
 * the queue to wait), start-pass. queue-sync-run puts runs on the inbound queues for {@link SyncDispatcher}.
 * Provider calls pass the rate limits and the integration's circuit in {@code ratelimits.ProviderGate} (Bucket4j,
 * Resilience4j) rather than Camel's throttle() and circuitBreaker(): the budgets are per tenant, integration and
 * provider, shared across instances in PostgreSQL, and a held-back run goes back on its queue with a delivery delay
 * instead of holding a thread (throttle() delays in-process, circuitBreaker() keeps one breaker per route step).
 */
@Component
public class SyncInboundRoute extends RouteBuilder {

    private final SyncRunLoader loader;
    private final RunCredentials credentials;
    private final LeaseClaim leaseClaim;
    private final PassStart passStart;
    private final PageFetcher fetcher;
    private final RecordMapper mapper;
    private final ShardUpsert upsert;
    private final DeletedRecordSync deletions;
    private final SyncCompletion completion;
    private final SyncShutdown shutdown;
    private final SyncCancellation cancellation;

    public SyncInboundRoute(SyncRunLoader loader, RunCredentials credentials, LeaseClaim leaseClaim, PassStart passStart,
                            PageFetcher fetcher, RecordMapper mapper, ShardUpsert upsert, DeletedRecordSync deletions,
                            SyncCompletion completion, SyncShutdown shutdown, SyncCancellation cancellation) {
        this.shutdown = shutdown;
        this.cancellation = cancellation;
        this.loader = loader;
        this.credentials = credentials;
        this.leaseClaim = leaseClaim;
        this.passStart = passStart;
        this.fetcher = fetcher;
        this.mapper = mapper;
        this.upsert = upsert;
        this.deletions = deletions;
        this.completion = completion;
    }

    @Override
    public void configure() {
        // webhook-triggered runs first (8), then what a person asked for (6), then the schedule (4): JMSPriority from
        // SyncDispatcher; a re-queue waits on the broker (its scheduled delivery time), not on a thread
        from(SyncDispatcher.QUEUE_ROUTE)
                .routeId("queue-sync-run")
                .routeConfigurationId(QueuePolicy.ID)
                .choice().id("queue-of-trigger")
                    .when(exchangeProperty(SyncDispatcher.TRIGGER).isEqualTo(SyncDispatcher.TRIGGER_WEBHOOK))
                        .to("jms:queue:{{hub.queue.sync-inbound-webhook}}?preserveMessageQos=true").id("put-on-webhook-queue")
                    .otherwise()
                        .to("jms:queue:{{hub.queue.sync-inbound-scheduled}}?preserveMessageQos=true").id("put-on-scheduled-queue")
                .end();

        from("jms:queue:{{hub.queue.sync-inbound-scheduled}}?transacted=true&concurrentConsumers={{hub.sync.inbound-consumers}}")
                .routeId("sync-inbound-scheduled")
                .routeConfigurationId(QueuePolicy.ID)
                .to("direct:sync-inbound").id("run-scheduled-sync");

        from("jms:queue:{{hub.queue.sync-inbound-webhook}}?transacted=true&concurrentConsumers={{hub.sync.inbound-consumers}}")
                .routeId("sync-inbound-webhook")
                .routeConfigurationId(QueuePolicy.ID)
                .choice().id("legacy-delivery")
                    // versions before webhook-deliveries had its own queue put accepted deliveries here: moved over in
                    // the same transaction (older instances, replayed dead letters)
                    .when(header("JMSType").isEqualTo(WebhookAcceptor.EVENT_TYPE))
                        .removeHeaders("*").id("drop-old-headers")
                        .to(WebhookAcceptor.QUEUE_ROUTE).id("move-to-deliveries-queue")
                    .otherwise()
                        .to("direct:sync-inbound").id("run-webhook-sync")
                .end();

        from("direct:sync-inbound")
                .routeId("sync-inbound")
                .routeConfigurationId(SyncErrorPolicy.ID)
                .process(loader).id("load-run")
                .process(credentials).id("open-connection")
                .process(leaseClaim).id("claim-lease")
                .process(passStart).id("start-pass")
                .filter(exchangeProperty(SyncRun.PROPERTY).isNotNull()).id("has-run")
                    .loopDoWhile(method(SyncInboundRoute.class, "hasMore")).id("paginate")
                        .process(shutdown).id("stop-if-shutting-down")
                        .process(cancellation).id("stop-if-cancelled")
                        .process(fetcher).id("fetch-page")
                        .split(body(), new PageCollector()).streaming().id("split-records")
                            .process(mapper).id("map-record")
                            .process("recordFilters").id("filter-record")
                        .end()
                        .process(upsert).id("upsert-shards")
                        .process("shardChanges").id("publish-shard-changes")
                    .end()
                    .process(deletions).id("sync-deletions")
                    .process(completion).id("complete-run")
                .end();
    }

    /** Loop condition: the run has another page to fetch. */
    public static boolean hasMore(org.apache.camel.Exchange exchange) {
        return exchange.getProperty(SyncRun.PROPERTY, SyncRun.class).hasMore();
    }
}
