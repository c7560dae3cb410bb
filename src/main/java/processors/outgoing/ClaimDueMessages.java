package processors.outgoing;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import store.OutgoingMessage;
import store.OutgoingWebhookStore;
import store.Timestamps;

/**
 * Claims due messages for this instance's free senders: endpoints with due messages, the longest waiting first, each
 * getting at most its free share ({@link DeliverySlots}); each endpoint's claim is a short transaction that skips rows
 * another instance is claiming and leases the rest ({@code hub.webhooks-out.lease}). The body becomes the claimed
 * messages (empty when nothing is due or no sender is free).
 */
@Component
public class ClaimDueMessages implements Processor {

    public static final String ID = "claim-due-messages";
    /** Endpoints looked at in one pass. */
    private static final int ENDPOINTS_PER_PASS = 200;

    private final OutgoingWebhookStore store;
    private final DeliverySlots slots;
    private final TransactionTemplate transaction;
    private final Duration lease;

    public ClaimDueMessages(OutgoingWebhookStore store, DeliverySlots slots, TransactionTemplate transaction,
                            @Value("${hub.webhooks-out.lease}") String lease) {
        this.store = store;
        this.slots = slots;
        this.transaction = transaction;
        this.lease = DurationStyle.detectAndParse(lease);
    }

    /** Claims up to {@code limit} due messages of the endpoint, in the caller's transaction or one of their own. */
    public List<OutgoingMessage> claim(String endpointId, int limit) {
        OffsetDateTime now = Timestamps.now();
        return transaction.execute(s -> store.claim(endpointId, limit, now, now.plus(lease)));
    }

    @Override
    public void process(Exchange exchange) {
        List<OutgoingMessage> claimed = new ArrayList<>();
        exchange.getMessage().setBody(claimed);
        if (slots.free() == 0) {
            return;
        }
        for (OutgoingWebhookStore.DueEndpoint due : store.dueEndpoints(Timestamps.now(), ENDPOINTS_PER_PASS)) {
            int reserved = slots.reserve(due.endpointId(), Integer.MAX_VALUE);
            if (reserved == 0) {
                continue;
            }
            List<OutgoingMessage> got = List.of();
            try {
                got = claim(due.endpointId(), reserved);
            } finally {
                slots.release(due.endpointId(), reserved - got.size());
            }
            claimed.addAll(got);
            if (slots.free() == 0) {
                break;
            }
        }
    }
}
