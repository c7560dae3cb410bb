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

    /** Test hook: runs with each record's external id once it was read and before it is written (null: nothing). */
    private volatile java.util.function.Consumer<String> afterRead;

    /** For tests: a provider change landing between the read and the write, on the single path and in a batch alike. */
    void afterRead(java.util.function.Consumer<String> hook) {
        this.afterRead = hook;
    }

    @Override
    public void process(Exchange exchange) {
        WriteBackJob job = WriteBackJob.at(exchange, ID);
        java.util.function.Consumer<String> hook = afterRead;
        if (hook != null) {
            hook.accept(job.link().externalId());
        }
        job.result(ThreeWayMerge.compare(job.mapping().writableTargets(), job.base(), job.ours(),
                FieldValues.flatten(job.theirs().structuredData()), job.policy(), job.oursAt(),
                DateFormatTransform.instantOf(job.theirs().modifiedAtOrVersion())));
    }
}
