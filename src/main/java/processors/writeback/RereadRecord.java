package processors.writeback;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import processors.mapping.MappedRecord;
import providers.ProviderException;

/**
 * Reads the record back after a write: what the provider holds now (it may normalise the values
 * written) becomes the new base. Nothing written: the record as fetched is it. A created record
 * that cannot be re-read is linked all the same (with the shard's values as base), or the next
 * attempt would create it again.
 */
@Component
public class RereadRecord implements Processor {

    public static final String ID = "reread-record";
    public static final String CREATED_ID = "reread-created";
    private static final Logger LOG = LoggerFactory.getLogger(RereadRecord.class);

    @Override
    public void process(Exchange exchange) {
        WriteBackJob job = WriteBackJob.of(exchange);
        if (job.createdId() != null) {
            WriteBackJob.at(exchange, CREATED_ID);
            try {
                job.after(FetchRecord.fetch(job, job.createdId()).orElse(null));
            } catch (ProviderException e) {
                LOG.info("Created {} {} but could not re-read it ({}); linked with the shard's values as base", job.entry().entity(),
                        job.createdId(), e.getMessage());
                job.after(null);
            }
            return;
        }
        WriteBackJob.at(exchange, ID);
        MappedRecord theirs = job.theirs();
        job.after(job.wasWritten() ? FetchRecord.fetch(job, job.link().externalId()).orElse(theirs) : theirs);
    }
}
