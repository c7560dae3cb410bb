package processors.writeback;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.jms.JmsConstants;
import org.apache.camel.support.DefaultMessage;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import hub.Ids;
import hub.Traces;
import messaging.RelayNudge;
import providers.AdapterRegistry;
import store.Integration;
import store.IntegrationStore;
import store.OutboxEntry;
import store.OutboxStore;

/**
 * Takes the relay lock (one relay at a time across instances) and the next batch of pending outbox
 * rows, in outbox order, in the database transaction of the relay route; the body becomes one
 * {@code Castiel.Integration.WriteBackRequested} message per row (JMS group = integration and shard).
 * Nothing pending (or write-back paused by the operator): the batch ends here.
 *
 * <p>For an integration whose provider has a batch API ({@link providers.BatchWriteBack}, and
 * {@code hub.writeback.batch-size} above 1), its updates go as {@code Castiel.Integration.WriteBackBatchRequested}
 * messages of up to that many records of one entity, to {@code sync-outbound-batch}, and its creates and deletes as
 * single messages. A record of such an integration is written by one message at a time, so its order holds across
 * the two queues: a row whose record already has a row in this relay batch, or one relayed and not finished (being
 * written, or waiting for a retry), stays pending for a later relay, and so do the record's rows after it.
 */
@Component
public class LockPendingRows implements Processor {

    public static final String ID = "lock-pending-rows";
    /** The span of a shard write relayed to its queue, in the trace of the request that made the write. */
    public static final String SPAN = "write-back relay";
    /** Exchange property: the ids of the rows in the batch, in order. */
    public static final String ROWS = "writeBackRelayRows";

    private final OutboxStore outbox;
    private final ObjectMapper json;
    private final int batchSize;
    /** Write-back paused by the operator (a provider's maintenance window): changes wait in the outbox. */
    private volatile boolean paused;
    private final IntegrationStore integrations;
    private final AdapterRegistry adapters;
    private volatile int writeBackBatchSize;
    private final String batchQueue;
    private final Traces traces;

    public LockPendingRows(OutboxStore outbox, ObjectMapper json, @Value("${hub.writeback.relay-batch-size}") int batchSize,
                           @Value("${hub.writeback.paused}") boolean paused, IntegrationStore integrations, AdapterRegistry adapters,
                           @Value("${hub.writeback.batch-size:1}") int writeBackBatchSize,
                           @Value("${hub.queue.sync-outbound-batch:sync-outbound-batch}") String batchQueue,
                           Traces traces) {
        this.traces = traces;
        this.outbox = outbox;
        this.json = json;
        this.batchSize = batchSize;
        this.paused = paused;
        this.integrations = integrations;
        this.adapters = adapters;
        this.writeBackBatchSize = writeBackBatchSize;
        this.batchQueue = batchQueue;
    }

    /** For tests: hold the outbox (as {@code hub.writeback.paused}) so a batch of changes waits for one relay. */
    void paused(boolean paused) {
        this.paused = paused;
    }

    /** For tests: batches of this many records ({@code hub.writeback.batch-size}); 1 writes every record alone. */
    void writeBackBatchSize(int size) {
        this.writeBackBatchSize = size;
    }

    @Override
    public void process(Exchange exchange) {
        List<OutboxEntry> pending = paused ? List.of() : outbox.lockPending(batchSize);
        Relay relay = plan(exchange, pending);
        // a full batch whose rows all wait for their records ends the loop: the next nudge or the timer comes back for them
        exchange.setProperty(RelayNudge.FULL, pending.size() == batchSize && !relay.rows().isEmpty());
        exchange.setProperty(ROWS, relay.rows());
        if (relay.messages().isEmpty()) {
            exchange.setRouteStop(true);
            return;
        }
        exchange.getMessage().setBody(relay.messages());
    }

    /** The messages to send and the rows they carry (those marked relayed). */
    private record Relay(List<Message> messages, List<String> rows) {
    }

    private Relay plan(Exchange exchange, List<OutboxEntry> pending) {
        List<Message> messages = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        Map<String, Boolean> batches = new HashMap<>();
        List<OutboxEntry> batched = new ArrayList<>();
        for (OutboxEntry entry : pending) {
            if (batches.computeIfAbsent(entry.integrationId(), this::batches)) {
                batched.add(entry);
            }
        }
        Set<String> waiting = batched.isEmpty() ? new HashSet<>() : new HashSet<>(outbox.inFlight(batched.stream().map(OutboxEntry::shardId)
                .distinct().toList()));
        Set<String> seen = new HashSet<>();
        Map<String, List<OutboxEntry>> open = new LinkedHashMap<>();
        for (OutboxEntry entry : pending) {
            if (!batches.get(entry.integrationId())) {
                messages.add(single(exchange, entry));
                rows.add(entry.id());
                continue;
            }
            String record = entry.integrationId() + ":" + entry.shardId();
            if (waiting.contains(record) || !seen.add(record)) {
                waiting.add(record);
                continue;
            }
            rows.add(entry.id());
            if (!OutboxEntry.UPDATE.equals(entry.operation())) {
                messages.add(single(exchange, entry));
                continue;
            }
            List<OutboxEntry> batch = open.computeIfAbsent(entry.integrationId() + "\n" + entry.entity(), k -> new ArrayList<>());
            batch.add(entry);
            if (batch.size() == writeBackBatchSize) {
                messages.add(batch(exchange, batch));
                batch.clear();
            }
        }
        open.values().stream().filter(b -> !b.isEmpty()).forEach(b -> messages.add(batch(exchange, b)));
        return new Relay(messages, rows);
    }

    /** Whether the integration's updates are written back in batches. */
    private boolean batches(String integrationId) {
        if (writeBackBatchSize <= 1) {
            return false;
        }
        return integrations.findById(integrationId).map(Integration::providerId).flatMap(adapters::find)
                .flatMap(adapter -> adapter.batchWriteBack()).isPresent();
    }

    private Message single(Exchange exchange, OutboxEntry entry) {
        WriteBackRequest request = WriteBackRequest.of(entry);
        Message message = new DefaultMessage(exchange);
        message.setBody(request.event(json, entry));
        message.setHeader("JMSType", WriteBackRequest.EVENT_TYPE);
        message.setHeader("JMSXGroupID", request.group());
        continueTrace(exchange, message, entry.traceParent());
        return message;
    }

    /** No JMS group: its records are in no other message, so batches are written in parallel. */
    private Message batch(Exchange exchange, List<OutboxEntry> entries) {
        OutboxEntry first = entries.get(0);
        WriteBackBatchRequest request = new WriteBackBatchRequest(Ids.newId(), first.integrationId(), first.entity(),
                entries.stream().map(e -> WriteBackRequest.of(e).event(json, e)).toList());
        Message message = new DefaultMessage(exchange);
        message.setBody(request.event(json, first.createdAt()));
        message.setHeader("JMSType", WriteBackBatchRequest.EVENT_TYPE);
        message.setHeader(JmsConstants.JMS_DESTINATION_NAME, batchQueue);
        continueTrace(exchange, message, entries.stream().map(OutboxEntry::traceParent).filter(Objects::nonNull).findFirst().orElse(null));
        return message;
    }

    /** The message continues the trace of the request that wrote the row, through a span of the relay. */
    private void continueTrace(Exchange exchange, Message message, String traceParent) {
        traces.continueOn(message, SPAN, traceParent, exchange);
    }
}
