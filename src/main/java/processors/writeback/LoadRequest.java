package processors.writeback;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import messaging.DeadLetters;
import store.OutboxEntry;
import store.OutboxStore;

/**
 * Reads the write-back request and loads its outbox row. A row already finished ends the exchange
 * (a message relayed twice, or a retry that another delivery overtook), unless the message is an
 * operator's replay of a failed row: that row is opened again.
 */
@Component
public class LoadRequest implements Processor {

    public static final String ID = "load-request";
    private static final Logger LOG = LoggerFactory.getLogger(LoadRequest.class);

    private final OutboxStore outbox;
    private final ObjectMapper json;

    public LoadRequest(OutboxStore outbox, ObjectMapper json) {
        this.outbox = outbox;
        this.json = json;
    }

    @Override
    public void process(Exchange exchange) {
        WriteBackRequest request = WriteBackRequest.read(json, exchange.getMessage().getBody(String.class));
        load(exchange, request, request.outboxId() == null ? null : outbox.find(request.outboxId()).orElse(null));
    }

    /** The job of the request and its row as read (a batch reads the rows of all of its requests at once; null: none). */
    void load(Exchange exchange, WriteBackRequest request, OutboxEntry found) {
        if (found == null) {
            LOG.warn("Write-back message for unknown outbox row {} dropped", request.outboxId());
            exchange.setRouteStop(true);
            return;
        }
        if (found.finished()) {
            boolean replay = exchange.getMessage().getHeader(DeadLetters.REPLAY_OF) != null && found.status() == OutboxEntry.Status.FAILED;
            if (!replay) {
                exchange.setRouteStop(true);
                return;
            }
            outbox.reopen(found.id());
            found = outbox.find(found.id()).orElseThrow();
        }
        exchange.setProperty(WriteBackJob.PROPERTY, new WriteBackJob(request, found));
        WriteBackJob.at(exchange, ID);
    }
}
