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
        String entity = job.entry().entity();
        String externalId = job.link().externalId();
        Map<String, Object> fields = job.mapping().reverse(FieldValues.nest(job.result().toProvider()));
        try {
            job.adapter().updateRecord(job.connection(), entity, externalId, fields, job.theirs().externalVersion());
            job.written();
        } catch (ProviderException e) {
            if (e.kind() == ProviderException.Kind.CONFLICT && job.round() < WriteBackJob.CONFLICT_ROUNDS) {
                LOG.info("Record {} {} changed at the provider while it was written back; comparing again", entity, externalId);
                job.compareAgain();
                return;
            }
            throw e;
        }
    }
}
