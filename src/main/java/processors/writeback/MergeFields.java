package processors.writeback;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

import processors.conflicts.FieldValues;
import processors.conflicts.ThreeWayMerge;
import processors.mapping.DateFormatTransform;

/**
 * Compares the mapping's writable fields three ways (base, ours, theirs) with the entity's conflict
 * policy ({@link ThreeWayMerge}): what goes to the provider, what comes into the shard, the conflicts.
 */
@Component
public class MergeFields implements Processor {

    public static final String ID = "merge-fields";

    @Override
    public void process(Exchange exchange) {
        WriteBackJob job = WriteBackJob.at(exchange, ID);
        job.result(ThreeWayMerge.compare(job.mapping().writableTargets(), job.base(), job.ours(),
                FieldValues.flatten(job.theirs().structuredData()), job.policy(), job.oursAt(),
                DateFormatTransform.instantOf(job.theirs().modifiedAtOrVersion())));
    }
}
