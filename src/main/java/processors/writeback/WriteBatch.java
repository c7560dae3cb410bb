package processors.writeback;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import jakarta.annotation.PreDestroy;

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
 * <p>The calls of one step (the write calls of a round, or the reads when a batch needs more than one) are made
 * concurrently, up to {@code hub.writeback.batch-calls-in-flight} at a time, each through the provider gate as one
 * call; their answers are handled on the consumer's thread (in its JMS transaction) once all of them are in, call by
 * call in order. A record is in one call of a step at most: a batch holds each record once (the relay sees to it);
 * should one hold a record twice, its later rows go in a later pass of the batch, after the earlier one settled, or,
 * when the earlier one was not finished (re-queued to be retried), back to the relay, which sends them after it.
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
    /** Provider calls of one batch step made at once ({@code hub.writeback.batch-calls-in-flight}). */
    private final int callsInFlight;
    private final ExecutorService callers;
    /** Test hook: runs on the thread of each write call of a batch, before the call is made (null: nothing). */
    private volatile Runnable beforeWriteCall;

    public WriteBatch(ObjectMapper json, LoadRequest load, CheckStillWanted check, ConnectIntegration connect, FetchRecord fetch,
                      MergeFields merge, RereadRecord reread, SettleRecord settle, WaitThrottled waitThrottled, CountAttempt countAttempt,
                      ProducerTemplate producer, OutboxRelay relay, ShardStore shards, OutboxStore outbox, IntegrationStore integrations,
                      @Value("${hub.writeback.batch-calls-in-flight:4}") int callsInFlight) {
        if (callsInFlight < 1) {
            throw new IllegalArgumentException("hub.writeback.batch-calls-in-flight must be at least 1, got " + callsInFlight);
        }
        this.callsInFlight = callsInFlight;
        AtomicInteger threads = new AtomicInteger();
        this.callers = Executors.newCachedThreadPool(task -> {
            Thread t = new Thread(task, "write-back-batch-call-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
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

    /** For tests: sees the write calls of a batch as they are made, on their threads. */
    void beforeWriteCall(Runnable hook) {
        this.beforeWriteCall = hook;
    }

    @PreDestroy
    void stop() {
        callers.shutdownNow();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        WriteBackBatchRequest batch = WriteBackBatchRequest.read(json, exchange.getMessage().getBody(String.class));
        List<WriteBackRequest> requests = batch.requests().stream().map(r -> WriteBackRequest.read(json, r)).toList();
        // the rows and the integration read once for the batch
        Map<String, OutboxEntry> entries = outbox.find(requests.stream().map(WriteBackRequest::outboxId).filter(Objects::nonNull).toList());
        Integration integration = integrations.findById(batch.integrationId()).orElse(null);
        List<List<Integer>> passes = passes(requests);
        // records whose row was not finished by an earlier pass (re-queued to be retried alone)
        Set<String> unfinished = new HashSet<>();
        for (int p = 0; p < passes.size(); p++) {
            List<Exchange> compare = new ArrayList<>();
            List<String> later = new ArrayList<>();
            for (int i : passes.get(p)) {
                WriteBackRequest request = requests.get(i);
                if (unfinished.contains(request.group())) {
                    later.add(request.outboxId());
                    continue;
                }
                Exchange row = row(exchange, batch.requests().get(i), request);
                if (prepare(row, request, request.outboxId() == null ? null : entries.get(request.outboxId()), integration)) {
                    compare.add(row);
                }
            }
            // the relay sends them after the record's earlier row, as it does any record's later rows
            outbox.returnToPending(later);
            List<Exchange> compared = new ArrayList<>();
            while (!compare.isEmpty()) {
                compare = round(compare, compared);
            }
            settle(compared);
            if (p + 1 < passes.size()) {
                List<String> ids = passes.get(p).stream().map(i -> requests.get(i).outboxId()).filter(Objects::nonNull).toList();
                outbox.find(ids).values().stream().filter(e -> !e.finished())
                        .forEach(e -> unfinished.add(WriteBackRequest.of(e).group()));
            }
        }
        // records whose later rows waited for this batch can be relayed now
        relay.nudge();
    }

    /**
     * The batch's requests (by index) in passes that each hold a record once: the first of each record's rows in the
     * first pass, its second in the second, and so on, so a record's changes are compared, written and settled in order.
     * A batch from the relay holds each record once: one pass.
     */
    static List<List<Integer>> passes(List<WriteBackRequest> requests) {
        Map<String, Integer> seen = new HashMap<>();
        List<List<Integer>> passes = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            int pass = seen.merge(requests.get(i).group(), 1, Integer::sum) - 1;
            if (pass == passes.size()) {
                passes.add(new ArrayList<>());
            }
            passes.get(pass).add(i);
        }
        return passes;
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
        List<Supplier<Map<String, Map<String, Object>>>> reads = chunks(linked, api.maxReads()).stream()
                .<Supplier<Map<String, Map<String, Object>>>>map(chunk -> () -> api.fetchRecords(first.connection(),
                        first.mapping().entity(), chunk.stream().map(ids::get).toList(), first.mapping().sourceFields()))
                .toList();
        for (Answer<Map<String, Map<String, Object>>> read : concurrently(reads)) {
            if (read.failure() != null) {
                for (Exchange row : linked) {
                    fail(row, read.failure());
                }
                return List.of();
            }
            found.putAll(read.value());
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
        write(api, first, toWrite, compared, again);
        return again;
    }

    /**
     * The round's conditional writes, in calls of the provider's size made concurrently; each row written, compared again
     * (412 within the rounds) or failed on its own.
     */
    private void write(BatchWriteBack api, WriteBackJob first, List<Exchange> toWrite, List<Exchange> compared, List<Exchange> again)
            throws Exception {
        Map<Exchange, BatchWriteBack.Write> writes = new LinkedHashMap<>();
        for (Exchange row : toWrite) {
            WriteBackJob job = WriteBackJob.at(row, WriteRecord.ID);
            try {
                writes.put(row, new BatchWriteBack.Write(job.link().externalId(), WriteRecord.fields(job), job.theirs().externalVersion()));
            } catch (RuntimeException e) {
                fail(row, e);
            }
        }
        List<List<Exchange>> calls = chunks(new ArrayList<>(writes.keySet()), api.maxWrites());
        Runnable hook = beforeWriteCall;
        List<Answer<List<BatchWriteBack.Outcome>>> answers = concurrently(calls.stream()
                .<Supplier<List<BatchWriteBack.Outcome>>>map(rows -> () -> {
                    if (hook != null) {
                        hook.run();
                    }
                    return api.updateRecords(first.connection(), first.entry().entity(), rows.stream().map(writes::get).toList());
                })
                .toList());
        for (int c = 0; c < calls.size(); c++) {
            outcomes(calls.get(c), answers.get(c), compared, again);
        }
    }

    /** The answer of one write call, row by row. */
    private void outcomes(List<Exchange> rows, Answer<List<BatchWriteBack.Outcome>> answer, List<Exchange> compared, List<Exchange> again)
            throws Exception {
        if (answer.failure() != null) {
            for (Exchange row : rows) {
                fail(row, answer.failure());
            }
            return;
        }
        List<BatchWriteBack.Outcome> outcomes = answer.value();
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
            Map<String, Map<String, Object>> found = new HashMap<>();
            RuntimeException failure = null;
            for (Answer<Map<String, Map<String, Object>>> read : concurrently(chunks(written, api.maxReads()).stream()
                    .<Supplier<Map<String, Map<String, Object>>>>map(chunk -> () -> api.fetchRecords(first.connection(),
                            first.mapping().entity(), chunk.stream().map(r -> WriteBackJob.of(r).link().externalId()).toList(),
                            first.mapping().sourceFields()))
                    .toList())) {
                if (read.failure() != null) {
                    failure = read.failure();
                    break;
                }
                found.putAll(read.value());
            }
            if (failure == null) {
                for (Exchange row : written) {
                    String id = WriteBackJob.of(row).link().externalId();
                    WriteBackJob.of(row).readAhead(id, found.get(id));
                }
            } else {
                for (Exchange row : written) {
                    WriteBackJob.at(row, RereadRecord.ID);
                    fail(row, failure);
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

    /** What one provider call of a step gave: its value, or the failure it threw. */
    private record Answer<T>(T value, RuntimeException failure) {
    }

    /**
     * Makes these provider calls concurrently, at most {@link #callsInFlight} at a time (one alone is made on this thread),
     * and waits for all of them: their answers in the order of the calls. An {@link Error} of a call is thrown here.
     */
    private <T> List<Answer<T>> concurrently(List<Supplier<T>> calls) throws InterruptedException {
        if (calls.size() == 1) {
            return List.of(answer(calls.get(0)));
        }
        Semaphore slots = new Semaphore(callsInFlight);
        Map<String, String> logContext = MDC.getCopyOfContextMap();
        List<CompletableFuture<Answer<T>>> pending = new ArrayList<>();
        try {
            for (Supplier<T> call : calls) {
                slots.acquire();
                pending.add(CompletableFuture.supplyAsync(() -> {
                    if (logContext != null) {
                        MDC.setContextMap(logContext);
                    }
                    try {
                        return answer(call);
                    } finally {
                        MDC.clear();
                        slots.release();
                    }
                }, callers));
            }
        } finally {
            // nothing of this batch is left in flight when it goes on or fails
            pending.forEach(p -> p.handle((a, e) -> a).join());
        }
        List<Answer<T>> answers = new ArrayList<>();
        for (CompletableFuture<Answer<T>> p : pending) {
            try {
                answers.add(p.join());
            } catch (CompletionException e) {
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw e;
            }
        }
        return answers;
    }

    private static <T> Answer<T> answer(Supplier<T> call) {
        try {
            return new Answer<>(call.get(), null);
        } catch (RuntimeException e) {
            return new Answer<>(null, e);
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
