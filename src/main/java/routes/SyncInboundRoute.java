package routes;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import processors.sync.DeletedRecordSync;
import processors.sync.PageCollector;
import processors.sync.PageFetcher;
import processors.sync.RecordMapper;
import processors.sync.ShardUpsert;
import processors.sync.SyncCompletion;
import processors.sync.SyncRun;
import processors.sync.SyncRunLoader;
import processors.sync.SyncShutdown;
import routes.config.SyncErrorPolicy;

/**
 * Inbound sync: provider records become shards. Both inbound queues feed one pipeline that pages
 * through the provider, splits each page record by record (streaming: memory holds one page),
 * maps, and upserts the page in one transaction with its checkpoint. Queue consumers are
 * transacted: a run interrupted by a crash, or stopped at a page boundary by a shutdown, is redelivered
 * and resumes from its checkpoint.
 */
@Component
public class SyncInboundRoute extends RouteBuilder {

    private final SyncRunLoader loader;
    private final PageFetcher fetcher;
    private final RecordMapper mapper;
    private final ShardUpsert upsert;
    private final DeletedRecordSync deletions;
    private final SyncCompletion completion;
    private final SyncShutdown shutdown;

    public SyncInboundRoute(SyncRunLoader loader, PageFetcher fetcher, RecordMapper mapper, ShardUpsert upsert,
                            DeletedRecordSync deletions, SyncCompletion completion, SyncShutdown shutdown) {
        this.shutdown = shutdown;
        this.loader = loader;
        this.fetcher = fetcher;
        this.mapper = mapper;
        this.upsert = upsert;
        this.deletions = deletions;
        this.completion = completion;
    }

    @Override
    public void configure() {
        from("jms:queue:{{hub.queue.sync-inbound-scheduled}}?transacted=true&concurrentConsumers={{hub.sync.inbound-consumers}}")
                .routeId("sync-inbound-scheduled")
                .to("direct:sync-inbound").id("run-scheduled-sync");

        // the webhook queue also carries deliveries, which webhook-delivery consumes
        from("jms:queue:{{hub.queue.sync-inbound-webhook}}?transacted=true&concurrentConsumers={{hub.sync.inbound-consumers}}"
                + "&selector=RAW(" + WebhookRoutes.notDeliveries() + ")")
                .routeId("sync-inbound-webhook")
                .to("direct:sync-inbound").id("run-webhook-sync");

        from("direct:sync-inbound")
                .routeId("sync-inbound")
                .routeConfigurationId(SyncErrorPolicy.ID)
                .process(loader).id("load-run")
                .filter(exchangeProperty(SyncRun.PROPERTY).isNotNull()).id("has-run")
                    .loopDoWhile(method(SyncInboundRoute.class, "hasMore")).id("paginate")
                        .process(shutdown).id("stop-if-shutting-down")
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
