package processors.writeback;

import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

import messaging.RelayNudge;

/**
 * Has the outbox relayed soon after a shard write commits. The relay itself is the
 * {@code relay-outbox} route (rows in outbox order to {@code sync-outbound}, one JMS transaction per
 * batch inside the database transaction that marks the rows); the write-outbox-relay route runs it on
 * a timer as well, for rows another instance or a crash left behind.
 */
@Component
public class OutboxRelay extends RelayNudge {

    /** The relay route's endpoint. */
    public static final String ENDPOINT = "direct:relay-outbox";

    public OutboxRelay(ProducerTemplate producer) {
        super(producer, ENDPOINT, "write-outbox-relay-nudge");
    }
}
