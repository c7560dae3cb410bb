package processors.writeback;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import processors.conflicts.FieldValues;
import providers.ProviderException;

/**
 * Writes what the comparison gives to the provider, conditional on the version read (the provider's
 * optimistic concurrency). A 412 means the record changed since it was read: another round compares
 * again on the record as it now is, up to {@link WriteBackJob#CONFLICT_ROUNDS}; then the conflict
 * fails the attempt like any transient error.
 */
@Component
public class WriteRecord implements Processor {

    public static final String ID = "write-record";
    private static final Logger LOG = LoggerFactory.getLogger(WriteRecord.class);

    @Override
    public void process(Exchange exchange) {
        WriteBackJob job = WriteBackJob.at(exchange, ID);
        if (job.result().toProvider().isEmpty()) {
            return;
        }
        try {
            job.adapter().updateRecord(job.connection(), job.entry().entity(), job.link().externalId(), fields(job),
                    job.theirs().externalVersion());
            job.written();
        } catch (ProviderException e) {
            if (!comparesAgain(job, e)) {
                throw e;
            }
        }
    }

    /** What the comparison sends to the provider, in the provider's field names. */
    static Map<String, Object> fields(WriteBackJob job) {
        return job.mapping().reverse(FieldValues.nest(job.result().toProvider()));
    }

    /** A refused write: a 412 within the rounds has the record compared again (true); anything else fails the attempt. */
    static boolean comparesAgain(WriteBackJob job, ProviderException e) {
        if (e.kind() == ProviderException.Kind.CONFLICT && job.round() < WriteBackJob.CONFLICT_ROUNDS) {
            LOG.info("Record {} {} changed at the provider while it was written back; comparing again", job.entry().entity(),
                    job.link().externalId());
            job.compareAgain();
            return true;
        }
        return false;
    }
}
