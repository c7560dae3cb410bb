package routes;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import messaging.DeadLetters;
import processors.writeback.OutboxRelay;
import processors.writeback.WriteBack;

/**
 * Write-back. write-outbox-relay: shard changes recorded in the outbox move to sync-outbound in
 * order. sync-outbound: one record at a time per JMS group (integration and shard), records in
 * parallel; each message is compared, written and settled by {@link WriteBack}. dead-letter-recorder:
 * whatever reaches sync-deadletter (given up by a route, or parked by the broker) is recorded for
 * the admin API.
 */
@Component
public class WriteBackRoutes extends RouteBuilder {

    private final OutboxRelay relay;
    private final WriteBack writeBack;
    private final DeadLetters deadLetters;

    public WriteBackRoutes(OutboxRelay relay, WriteBack writeBack, DeadLetters deadLetters) {
        this.relay = relay;
        this.writeBack = writeBack;
        this.deadLetters = deadLetters;
    }

    @Override
    public void configure() {
        from("timer:write-outbox-relay?period={{hub.writeback.relay-interval-ms}}&delay=1000")
                .routeId("write-outbox-relay")
                .bean(relay, "relay").id("relay-outbox-to-queue");

        from("jms:queue:{{hub.queue.sync-outbound}}?transacted=true&concurrentConsumers={{hub.writeback.consumers}}")
                .routeId("sync-outbound")
                .process(writeBack).id("write-back-record");

        from("jms:queue:{{hub.queue.sync-deadletter}}?transacted=true")
                .routeId("dead-letter-recorder")
                .process(e -> deadLetters.record(e.getMessage().getBody(String.class), e.getMessage().getHeaders()))
                .id("record-dead-letter");
    }
}
