package processors.writeback;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import processors.mapping.MappingException;
import providers.ProviderException;
import store.Integration;
import store.OutboxEntry;
import store.OutboxStore;

/**
 * A failed write-back counts as an attempt on its outbox row. Transient failures go back on the queue
 * after the integration's backoff ({@code writeBack.retry}: a broker delivery delay, no thread waits)
 * until {@code maxAttempts}; permanent ones (validation, auth, no mapping, record gone) and exhausted
 * ones go to the dead letter. Sets {@link #RETRY_IN_MS} or {@link #GIVE_UP} for the error policy.
 */
@Component
public class CountAttempt implements Processor {

    public static final String ID = "count-attempt";
    /** Exchange property: re-queue the request after this many milliseconds. */
    public static final String RETRY_IN_MS = "writeBackRetryInMs";
    /** Exchange property: the request has failed for good, with this reason; the stage and step are on the job. */
    public static final String GIVE_UP = "writeBackGiveUp";
    /** Exchange property: attempts counted on the row when it was given up. */
    public static final String ATTEMPTS = "writeBackAttempts";
    private static final Logger LOG = LoggerFactory.getLogger(CountAttempt.class);

    private final OutboxStore outbox;

    public CountAttempt(OutboxStore outbox) {
        this.outbox = outbox;
    }

    @Override
    public void process(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        WriteBackJob job = WriteBackJob.of(exchange);
        String stage = e instanceof WriteBackFailure f ? f.stage() : e instanceof MappingException ? "map" : job == null ? "load" : job.stage();
        boolean permanent = e instanceof WriteBackFailure f ? f.permanent()
                : e instanceof ProviderException p ? p.kind() == ProviderException.Kind.PERMANENT || p.kind() == ProviderException.Kind.AUTH
                : true;
        failed(exchange, job, stage, String.valueOf(e.getMessage()), permanent);
    }

    /** Counts the attempt and decides: retry later, or give up. */
    void failed(Exchange exchange, WriteBackJob job, String stage, String reason, boolean permanent) {
        Message message = exchange.getMessage();
        message.removeHeaders("*", "JMSXGroupID", "JMSType");
        if (job == null) {
            exchange.setProperty(GIVE_UP, stage + ": " + reason);
            exchange.setProperty(ATTEMPTS, 1);
            return;
        }
        job.stage(stage);
        OutboxEntry entry = job.entry();
        int attempts = outbox.recordAttempt(entry.id(), stage + ": " + reason);
        Integration.Retry retry = job.integration() == null ? Integration.Retry.DEFAULT : job.integration().settings().writeBack().retry();
        if (!permanent && attempts < retry.maxAttempts()) {
            long delay = retry.delayAfter(attempts);
            LOG.info("Write-back {} of {} {} failed at {} (attempt {} of {}), retrying in {} ms: {}", entry.id(), entry.entity(),
                    entry.shardId(), job.step(), attempts, retry.maxAttempts(), delay, reason);
            exchange.setProperty(RETRY_IN_MS, delay);
            return;
        }
        exchange.setProperty(GIVE_UP, reason);
        exchange.setProperty(ATTEMPTS, attempts);
    }

    /** Route predicate: the request goes back on its queue. */
    public static boolean retries(Exchange exchange) {
        return exchange.getProperty(RETRY_IN_MS) != null;
    }
}
