package processors.writeback;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultMessage;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import messaging.RelayNudge;
import store.OutboxEntry;
import store.OutboxStore;

/**
 * Takes the relay lock (one relay at a time across instances) and the next batch of pending outbox
 * rows, in outbox order, in the database transaction of the relay route; the body becomes one
 * {@code Castiel.Integration.WriteBackRequested} message per row (JMS group = integration and shard).
 * Nothing pending (or write-back paused by the operator): the batch ends here.
 */
@Component
public class LockPendingRows implements Processor {

    public static final String ID = "lock-pending-rows";
    /** Exchange property: the ids of the rows in the batch, in order. */
    public static final String ROWS = "writeBackRelayRows";

    private final OutboxStore outbox;
    private final ObjectMapper json;
    private final int batchSize;
    /** Write-back paused by the operator (a provider's maintenance window): changes wait in the outbox. */
    private final boolean paused;

    public LockPendingRows(OutboxStore outbox, ObjectMapper json, @Value("${hub.writeback.relay-batch-size}") int batchSize,
                           @Value("${hub.writeback.paused}") boolean paused) {
        this.outbox = outbox;
        this.json = json;
        this.batchSize = batchSize;
        this.paused = paused;
    }

    @Override
    public void process(Exchange exchange) {
        List<OutboxEntry> pending = paused ? List.of() : outbox.lockPending(batchSize);
        exchange.setProperty(RelayNudge.FULL, pending.size() == batchSize);
        exchange.setProperty(ROWS, pending.stream().map(OutboxEntry::id).toList());
        if (pending.isEmpty()) {
            exchange.setRouteStop(true);
            return;
        }
        exchange.getMessage().setBody(pending.stream().map(e -> message(exchange, e)).toList());
    }

    private Message message(Exchange exchange, OutboxEntry entry) {
        WriteBackRequest request = WriteBackRequest.of(entry);
        Message message = new DefaultMessage(exchange);
        message.setBody(request.event(json, entry));
        message.setHeader("JMSType", WriteBackRequest.EVENT_TYPE);
        message.setHeader("JMSXGroupID", request.group());
        return message;
    }
}
