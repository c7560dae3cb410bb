package processors.writeback;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.springframework.stereotype.Component;

import processors.mapping.MappingException;
import providers.BatchWriteBack;
import providers.ProviderException;
import providers.ThrottledException;
import store.Integration;
import store.IntegrationStore;
import store.OutboxEntry;
import store.OutboxStore;
import store.Shard;
import store.ShardStore;

/**
 * Writes back a batch of updates ({@link WriteBackBatchRequest}: one integration's entity, each record once) through
 * the provider's batch API, with the steps of a single write-back for each record: every row is loaded, checked and
 * connected as its own request (the rows and the integration read once for the batch); then the provider's records are
 * read in one call and the shards and their links in one statement each, each record compared three ways
 * ({@link FetchRecord}, {@link MergeFields}), the changed ones written in calls of the provider's size, each on
 * condition of the version read, so a record changed since is refused alone; a refused record (412) is read and
 * compared again in the next round, as {@link WriteRecord} does; then the written records are re-read in one call and
 * the rows settled together in one transaction ({@link RereadRecord}, {@link SettleRecord#settle(List)}).
 *
 * <p>A row that fails (a refusal of its own, or a batch call that failed for all of its records) is handled as its
 * single request would be by the write-back error policy: an attempt counted, then re-queued on {@code sync-outbound}
 * as that request (where it goes on alone, after the backoff) or dead-lettered; the other rows go on. Anything else
 * (the database down, a bug) fails the batch message, which the broker redelivers: rows already settled (failed or
 * skipped ones, or a whole batch whose settling committed) are finished and skipped, the others compared again, so
 * nothing is written twice.
 */
@Component
public class WriteBatch implements Processor {

    public static final String ID = "write-batch";

    private final ObjectMapper json;
    private final LoadRequest load;
    private final CheckStillWanted check;
    private final ConnectIntegration connect;
    private final FetchRecord fetch;
    private final MergeFields merge;
    private final RereadRecord reread;
    private final SettleRecord settle;
    private final WaitThrottled waitThrottled;
    private final CountAttempt countAttempt;
    private final ProducerTemplate producer;
    private final OutboxRelay relay;
    private final ShardStore shards;
    private final OutboxStore outbox;
    private final IntegrationStore integrations;

    public WriteBatch(ObjectMapper json, LoadRequest load, CheckStillWanted check, ConnectIntegration connect, FetchRecord fetch,
                      MergeFields merge, RereadRecord reread, SettleRecord settle, WaitThrottled waitThrottled, CountAttempt countAttempt,
                      ProducerTemplate producer, OutboxRelay relay, ShardStore shards, OutboxStore outbox, IntegrationStore integrations) {
        this.outbox = outbox;
        this.integrations = integrations;
        this.json = json;
        this.load = load;
        this.check = check;
        this.connect = connect;
        this.fetch = fetch;
        this.merge = merge;
        this.reread = reread;
        this.settle = settle;
        this.waitThrottled = waitThrottled;
        this.countAttempt = countAttempt;
        this.producer = producer;
        this.relay = relay;
        this.shards = shards;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        WriteBackBatchRequest batch = WriteBackBatchRequest.read(json, exchange.getMessage().getBody(String.class));
        List<WriteBackRequest> requests = batch.requests().stream().map(r -> WriteBackRequest.read(json, r)).toList();
        // the rows and the integration read once for the batch
        Map<String, OutboxEntry> entries = outbox.find(requests.stream().map(WriteBackRequest::outboxId).filter(Objects::nonNull).toList());
        Integration integration = integrations.findById(batch.integrationId()).orElse(null);
        List<Exchange> compare = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            WriteBackRequest request = requests.get(i);
            Exchange row = row(exchange, batch.requests().get(i), request);
            if (prepare(row, request, request.outboxId() == null ? null : entries.get(request.outboxId()), integration)) {
                compare.add(row);
            }
        }
        List<Exchange> compared = new ArrayList<>();
        while (!compare.isEmpty()) {
            compare = round(compare, compared);
        }
        settle(compared);
        // records whose later rows waited for this batch can be relayed now
        relay.nudge();
    }

    /** One row as the exchange its single request would be: the request as body, its JMS group and type. */
    private static Exchange row(Exchange exchange, String event, WriteBackRequest request) {
        Exchange row = new DefaultExchange(exchange.getContext());
        row.getMessage().setBody(event);
        row.getMessage().setHeader("JMSType", WriteBackRequest.EVENT_TYPE);
        row.getMessage().setHeader("JMSXGroupID", request.group());
        return row;
    }

    /**
     * Load, check and connect, as sync-outbound does, on the row and integration as the batch read them; false when the row
     * is finished here (skipped, failed, or sent on alone).
     */
    private boolean prepare(Exchange row, WriteBackRequest request, OutboxEntry entry, Integration integration) throws Exception {
        try {
            load.load(row, request, entry);
            if (row.isRouteStop()) {
                return false;
            }
            check.check(row, integration);
            if (row.isRouteStop()) {
                return false;
            }
            connect.process(row);
            WriteBackJob job = WriteBackJob.of(row);
            job.stage(job.entry().operation());
            if (!OutboxEntry.UPDATE.equals(job.entry().operation()) || job.adapter().batchWriteBack().isEmpty()) {
                // not an update of a batching provider (an operator's replay): it goes on alone, now
                row.setProperty(CountAttempt.RETRY_IN_MS, 0L);
                producer.send(WriteBackFailure.REQUEUE, row);
                rethrow(row);
                return false;
            }
            return true;
        } catch (RuntimeException e) {
            fail(row, e);
            return false;
        }
    }

    /**
     * One round: the records read in one call (per {@link BatchWriteBack#maxReads()}), compared, the changed ones written;
     * returns the rows to compare again (refused with a 412), adds the others that are done to {@code compared}.
     */
    private List<Exchange> round(List<Exchange> rows, List<Exchange> compared) throws Exception {
        WriteBackJob first = WriteBackJob.of(rows.get(0));
        BatchWriteBack api = first.adapter().batchWriteBack().orElseThrow();
        // the shards and their links read for all rows at once
        List<String> shardIds = rows.stream().map(r -> WriteBackJob.of(r).entry().shardId()).toList();
        Map<String, List<ShardStore.Link>> links = shards.links(shardIds);
        Map<String, Shard> bare = shards.bare(first.entry().tenantId(), shardIds, false);
        Map<Exchange, ShardStore.Link> linkOf = new HashMap<>();
        Map<Exchange, String> ids = new HashMap<>();
        List<Exchange> linked = new ArrayList<>();
        for (Exchange row : rows) {
            OutboxEntry entry = WriteBackJob.at(row, FetchRecord.ID).entry();
            var link = links.getOrDefault(entry.shardId(), List.of()).stream()
                    .filter(l -> l.integrationId().equals(entry.integrationId()) && !l.derived()).findFirst();
            if (link.isEmpty()) {
                fail(row, new WriteBackFailure("update", "the provider record is not created yet", false));
                continue;
            }
            linkOf.put(row, link.get());
            ids.put(row, link.get().externalId());
            linked.add(row);
        }
        Map<String, Map<String, Object>> found = new HashMap<>();
        try {
            for (List<Exchange> chunk : chunks(linked, api.maxReads())) {
                found.putAll(api.fetchRecords(first.connection(), first.mapping().entity(), chunk.stream().map(ids::get).toList(),
                        first.mapping().sourceFields()));
            }
        } catch (RuntimeException e) {
            for (Exchange row : linked) {
                fail(row, e);
            }
            return List.of();
        }
        List<Exchange> toWrite = new ArrayList<>();
        for (Exchange row : linked) {
            WriteBackJob job = WriteBackJob.of(row);
            job.readAhead(ids.get(row), found.get(ids.get(row)));
            try {
                fetch.compare(row, linkOf.get(row), bare.get(job.entry().shardId()));
                if (row.isRouteStop()) {
                    continue;
                }
                merge.process(row);
                (job.result().toProvider().isEmpty() ? compared : toWrite).add(row);
            } catch (RuntimeException e) {
                fail(row, e);
            }
        }
        List<Exchange> again = new ArrayList<>();
        for (List<Exchange> chunk : chunks(toWrite, api.maxWrites())) {
            write(api, first, chunk, compared, again);
        }
        return again;
    }

    /** One conditional write call; each row written, compared again (412 within the rounds) or failed on its own. */
    private void write(BatchWriteBack api, WriteBackJob first, List<Exchange> chunk, List<Exchange> compared, List<Exchange> again)
            throws Exception {
        List<Exchange> rows = new ArrayList<>();
        List<BatchWriteBack.Write> writes = new ArrayList<>();
        for (Exchange row : chunk) {
            WriteBackJob job = WriteBackJob.at(row, WriteRecord.ID);
            try {
                writes.add(new BatchWriteBack.Write(job.link().externalId(), WriteRecord.fields(job), job.theirs().externalVersion()));
                rows.add(row);
            } catch (RuntimeException e) {
                fail(row, e);
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        List<BatchWriteBack.Outcome> outcomes;
        try {
            outcomes = api.updateRecords(first.connection(), first.entry().entity(), writes);
        } catch (RuntimeException e) {
            for (Exchange row : rows) {
                fail(row, e);
            }
            return;
        }
        for (int i = 0; i < rows.size(); i++) {
            Exchange row = rows.get(i);
            WriteBackJob job = WriteBackJob.of(row);
            BatchWriteBack.Outcome outcome = outcomes.get(i);
            if (outcome.written()) {
                job.written();
                compared.add(row);
            } else if (WriteRecord.comparesAgain(job, outcome.failure())) {
                again.add(row);
            } else {
                fail(row, outcome.failure());
            }
        }
    }

    /** The written records re-read in one call (per {@link BatchWriteBack#maxReads()}), then the rows settled in one transaction. */
    private void settle(List<Exchange> rows) throws Exception {
        List<Exchange> written = rows.stream().filter(r -> WriteBackJob.of(r).wasWritten()).toList();
        List<Exchange> settling = new ArrayList<>(rows);
        if (!written.isEmpty()) {
            WriteBackJob first = WriteBackJob.of(written.get(0));
            BatchWriteBack api = first.adapter().batchWriteBack().orElseThrow();
            try {
                Map<String, Map<String, Object>> found = new HashMap<>();
                for (List<Exchange> chunk : chunks(written, api.maxReads())) {
                    found.putAll(api.fetchRecords(first.connection(), first.mapping().entity(),
                            chunk.stream().map(r -> WriteBackJob.of(r).link().externalId()).toList(), first.mapping().sourceFields()));
                }
                for (Exchange row : written) {
                    String id = WriteBackJob.of(row).link().externalId();
                    WriteBackJob.of(row).readAhead(id, found.get(id));
                }
            } catch (RuntimeException e) {
                for (Exchange row : written) {
                    WriteBackJob.at(row, RereadRecord.ID);
                    fail(row, e);
                }
                settling.removeAll(written);
            }
        }
        List<WriteBackJob> settled = new ArrayList<>();
        for (Exchange row : settling) {
            try {
                reread.process(row);
                settled.add(WriteBackJob.at(row, SettleRecord.ID));
            } catch (RuntimeException e) {
                fail(row, e);
            }
        }
        // a failure here (the database) fails the batch message: redelivered, its rows are compared again, nothing is written twice
        settle.settle(settled);
    }

    /**
     * A row's failure, handled as the write-back error policy handles its single request: waited out (throttled) or
     * counted, then re-queued alone after the wait or dead-lettered. Other failures fail the batch message.
     */
    private void fail(Exchange row, RuntimeException e) throws Exception {
        boolean throttled = e instanceof ThrottledException;
        if (!throttled && !(e instanceof WriteBackFailure) && !(e instanceof ProviderException) && !(e instanceof MappingException)) {
            throw e;
        }
        row.setProperty(Exchange.EXCEPTION_CAUGHT, e);
        (throttled ? waitThrottled : countAttempt).process(row);
        producer.send(CountAttempt.retries(row) ? WriteBackFailure.REQUEUE : WriteBackFailure.DEAD_LETTER, row);
        rethrow(row);
    }

    private static void rethrow(Exchange row) throws Exception {
        if (row.getException() != null) {
            throw row.getException();
        }
    }

    private static <T> List<List<T>> chunks(List<T> items, int size) {
        List<List<T>> chunks = new ArrayList<>();
        for (int i = 0; i < items.size(); i += Math.max(1, size)) {
            chunks.add(items.subList(i, Math.min(items.size(), i + Math.max(1, size))));
        }
        return chunks;
    }
}
