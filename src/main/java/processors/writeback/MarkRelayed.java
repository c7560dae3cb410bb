package processors.writeback;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

import store.OutboxStore;

/** Marks the batch's rows relayed, in the database transaction that locked them, after their messages were committed. */
@Component
public class MarkRelayed implements Processor {

    public static final String ID = "mark-relayed";

    private final OutboxStore outbox;

    public MarkRelayed(OutboxStore outbox) {
        this.outbox = outbox;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) {
        outbox.markRelayed(exchange.getProperty(LockPendingRows.ROWS, List.class));
    }
}
