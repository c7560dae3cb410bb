package routes;

import java.util.List;

import jakarta.jms.ConnectionFactory;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

import messaging.DeadLetters;
import messaging.QueueHeaders;
import processors.writeback.WriteBackFailure;
import processors.writeback.CheckStillWanted;
import processors.writeback.ConnectIntegration;
import processors.writeback.CountAttempt;
import processors.writeback.CreateRecord;
import processors.writeback.DeleteRecord;
import processors.writeback.FetchRecord;
import processors.writeback.LinkCreatedRecord;
import processors.writeback.LoadRequest;
import processors.writeback.LockPendingRows;
import processors.writeback.MarkRelayed;
import processors.writeback.MergeFields;
import processors.writeback.OutboxRelay;
import processors.writeback.RereadRecord;
import processors.writeback.ReserveCalls;
import processors.writeback.SettleFailed;
import processors.writeback.SettleRecord;
import processors.writeback.WriteBackJob;
import processors.writeback.WriteBackRequest;
import processors.writeback.WriteBatch;
import processors.writeback.WriteRecord;
import routes.config.QueuePolicy;
import routes.config.WriteBackErrorPolicy;

/**
 * Write-back: shard changes recorded in Castiel reach the provider.
 *
 * <p>write-outbox-relay (timer, and a nudge from each shard write through {@link OutboxRelay}) runs
 * relay-outbox: batches of pending outbox rows, in outbox order, until a batch is not full. Each
 * batch (relay-outbox-batch) runs in a database transaction that takes the relay lock (one relay
 * across instances), locks the rows, sends their messages and then marks them relayed; the messages
 * are sent by queue-outbox-batch in one JMS transaction of its own, split in order: all of a batch
 * reach the broker or none does, and they are committed before the rows are marked. A crash between
 * the two commits relays the rows again; the write-back finds them finished and does nothing twice. The
 * relay routes are {@link OutboxRelayRoutes}, which the event outbox runs too.
 *
 * <p>sync-outbound: one record at a time per JMS group (integration and shard), records in parallel;
 * each request is loaded, checked, its provider calls reserved, then created, deleted, or (update)
 * fetched, compared three ways and written with the provider's optimistic concurrency (a 412
 * compares again), re-read and settled. Failures follow {@link WriteBackErrorPolicy}: re-queued with
 * a delivery delay, or dead-lettered. Dead letters are recorded by {@link DeadLetterRoutes}.
 *
 * <p>sync-outbound-batch: for providers with batch APIs ({@link providers.BatchWriteBack}), the relay sends an
 * integration's updates as batches (one record once per batch, and one message at a time per record); {@link WriteBatch}
 * takes each row through the same steps, with one provider call to read the batch, one per write call (conditional
 * per record) and one to re-read it. A row that fails is re-queued on sync-outbound alone, or dead-lettered.
 */
@Component
public class WriteBackRoutes extends RouteBuilder {

    private static final String TO_OUTBOUND = "jms:queue:{{hub.queue.sync-outbound}}?explicitQosEnabled=true&deliveryPersistent=true"
            + "&priority=" + WriteBackRequest.PRIORITY;

    private final LoadRequest load;
    private final CheckStillWanted check;
    private final ConnectIntegration connect;
    private final ReserveCalls reserve;
    private final CreateRecord create;
    private final DeleteRecord delete;
    private final FetchRecord fetch;
    private final MergeFields merge;
    private final WriteRecord write;
    private final RereadRecord reread;
    private final LinkCreatedRecord linkCreated;
    private final SettleRecord settle;
    private final SettleFailed settleFailed;
    private final LockPendingRows lockPending;
    private final MarkRelayed markRelayed;
    private final WriteBatch writeBatch;
    private final PlatformTransactionManager transactionManager;
    private final ConnectionFactory connectionFactory;

    public WriteBackRoutes(LoadRequest load, CheckStillWanted check, ConnectIntegration connect, ReserveCalls reserve, CreateRecord create,
                           DeleteRecord delete, FetchRecord fetch, MergeFields merge, WriteRecord write, RereadRecord reread,
                           LinkCreatedRecord linkCreated, SettleRecord settle, SettleFailed settleFailed, LockPendingRows lockPending,
                           MarkRelayed markRelayed, WriteBatch writeBatch, PlatformTransactionManager transactionManager,
                           ConnectionFactory connectionFactory) {
        this.writeBatch = writeBatch;
        this.load = load;
        this.check = check;
        this.connect = connect;
        this.reserve = reserve;
        this.create = create;
        this.delete = delete;
        this.fetch = fetch;
        this.merge = merge;
        this.write = write;
        this.reread = reread;
        this.linkCreated = linkCreated;
        this.settle = settle;
        this.settleFailed = settleFailed;
        this.lockPending = lockPending;
        this.markRelayed = markRelayed;
        this.transactionManager = transactionManager;
        this.connectionFactory = connectionFactory;
    }

    @Override
    public void configure() {
        new OutboxRelayRoutes(new OutboxRelayRoutes.Names("write-outbox-relay", "relay-outbox-to-queue", "relay-outbox", "relay-batches",
                "relay-batch", "queue-outbox-batch", "queue-batch", "split-batch", "queue-write-back"),
                "timer:write-outbox-relay?period={{hub.writeback.relay-interval-ms}}&delay=0", OutboxRelay.ENDPOINT,
                new OutboxRelayRoutes.Step(lockPending, LockPendingRows.ID), List.of(new OutboxRelayRoutes.Step(markRelayed, MarkRelayed.ID)),
                TO_OUTBOUND).define(this, transactionManager, connectionFactory);

        from("jms:queue:{{hub.queue.sync-outbound}}?transacted=true&concurrentConsumers={{hub.writeback.consumers}}")
                .routeId("sync-outbound")
                .routeConfigurationId(WriteBackErrorPolicy.ID)
                .process(load).id(LoadRequest.ID)
                .process(check).id(CheckStillWanted.ID)
                .process(connect).id(ConnectIntegration.ID)
                .process(reserve).id(ReserveCalls.ID)
                .choice().id("operation")
                    .when(WriteBackJob::creates)
                        .process(create).id(CreateRecord.ID)
                        .process(reread).id(RereadRecord.CREATED_ID)
                        .process(linkCreated).id(LinkCreatedRecord.ID)
                    .when(WriteBackJob::deletes)
                        .process(delete).id(DeleteRecord.ID)
                    .otherwise()
                        .loopDoWhile(WriteBackJob::compareAgain).id("compare-rounds")
                            .process(fetch).id(FetchRecord.ID)
                            .process(merge).id(MergeFields.ID)
                            .process(write).id(WriteRecord.ID)
                        .end()
                        .process(reread).id(RereadRecord.ID)
                        .process(settle).id(SettleRecord.ID)
                .end();

        // batches of updates for providers with batch APIs: the rows' failures take the error policy's paths below, one by one
        from("jms:queue:{{hub.queue.sync-outbound-batch}}?transacted=true&concurrentConsumers={{hub.writeback.consumers}}")
                .routeId("sync-outbound-batch")
                .routeConfigurationId(QueuePolicy.ID)
                .process(writeBatch).id(WriteBatch.ID);

        // failure paths of the write-back error policy: in the consumer's JMS transaction, on the original message
        from(WriteBackFailure.REQUEUE)
                .routeId("write-back-requeue")
                .routeConfigurationId(QueuePolicy.ID)
                .setHeader(QueueHeaders.DELIVER_AT, method(WriteBackRoutes.class, "deliverAt")).id("delay-write-back")
                .to(TO_OUTBOUND).id("requeue-write-back");

        from(WriteBackFailure.DEAD_LETTER)
                .routeId("write-back-dead-letter")
                .routeConfigurationId(QueuePolicy.ID)
                .process(settleFailed).id(SettleFailed.ID)
                .setHeader("JMSPriority", constant(DeadLetters.PRIORITY)).id("dead-letter-priority")
                .to(DeadLetters.SEND).id("send-dead-letter");
    }

    /** When a re-queued request is delivered again: now plus the wait its error policy chose. */
    public static long deliverAt(Exchange exchange) {
        return System.currentTimeMillis() + exchange.getProperty(CountAttempt.RETRY_IN_MS, Long.class);
    }
}
