package processors.resolution;

import jakarta.jms.DeliveryMode;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import hub.ConflictingStateException;
import hub.Ids;
import hub.InvalidInputException;
import hub.NotFoundException;
import security.Caller;
import store.AuditLog;
import store.Cursor;
import store.Page;
import store.ResolutionRun;
import store.ResolutionRunStore;
import store.Timestamps;

/**
 * Batch entity resolution, as a tenant asks for it: a run over the tenant's shards of one type is recorded and put on
 * the {@code hub.queue.resolution-runs} queue, where {@link ResolutionRunner} works through it in the background (on
 * whichever instance takes the message; a crash leaves the message to be delivered again and the run resumes). One
 * run per tenant and shard type at a time.
 */
@Component
public class ResolutionRuns {

    private final ResolutionRunStore runs;
    private final TenantMatchRules rules;
    private final AuditLog audit;
    private final ProducerTemplate producer;
    private final String queue;

    public ResolutionRuns(ResolutionRunStore runs, TenantMatchRules rules, AuditLog audit, ProducerTemplate producer,
                          @Value("${hub.queue.resolution-runs}") String queue) {
        this.runs = runs;
        this.rules = rules;
        this.audit = audit;
        this.producer = producer;
        this.queue = queue;
    }

    /**
     * Starts a run over the tenant's shards of the type.
     *
     * @throws InvalidInputException      the type is unknown, or its shards are not matched (no rules, or switched off)
     * @throws ConflictingStateException a run of the type is queued or running (naming it)
     */
    public ResolutionRun start(Caller caller, String shardType) {
        if (shardType == null || shardType.isBlank()) {
            throw new InvalidInputException("shardType", "required: the shard type to resolve, such as c_contact");
        }
        if (!TenantMatchRules.knownType(shardType)) {
            throw new InvalidInputException("shardType", "unknown shard type '" + shardType + "'");
        }
        if (rules.disabled(caller.tenantId(), shardType) || rules.find(caller.tenantId(), shardType).isEmpty()) {
            throw new InvalidInputException("shardType", "the tenant's shards of type " + shardType
                    + " are not matched (no match rules, or switched off): PUT /api/tenant/match-rules/" + shardType + " first");
        }
        ResolutionRun run = new ResolutionRun(Ids.newId(), caller.tenantId(), shardType, ResolutionRun.Status.QUEUED,
                ResolutionRun.Phase.KEYS, null, 0, 0, 0, ResolutionRun.Counts.NONE, 0, null, caller.actor(), Timestamps.now(), null, null);
        if (!runs.insert(run)) {
            String active = runs.active(caller.tenantId(), shardType).map(a -> "resolution run " + a.id() + " of " + shardType + " is "
                    + a.status().value()).orElse("a resolution run of " + shardType + " has just started");
            throw new ConflictingStateException(active + "; one run per shard type at a time");
        }
        Exchange sent = producer.send("jms:queue:" + queue, exchange -> {
            exchange.getMessage().setBody(run.id());
            exchange.getMessage().setHeader("JMSDeliveryMode", DeliveryMode.PERSISTENT);
        });
        if (sent.getException() != null) {
            runs.fail(run.id(), "could not be queued: " + sent.getException().getMessage());
            throw new IllegalStateException("the resolution run could not be queued", sent.getException());
        }
        audit.record(caller.tenantId(), caller.actor(), "resolution_run.started", "resolution_run", run.id(), shardType);
        return runs.find(caller.tenantId(), run.id()).orElseThrow();
    }

    public ResolutionRun find(Caller caller, String id) {
        return runs.find(caller.tenantId(), id).orElseThrow(() -> NotFoundException.of("resolution run"));
    }

    /** The tenant's runs, newest first, after {@code before} (null: from the newest). */
    public Page<ResolutionRun> list(Caller caller, Cursor before, int limit) {
        return runs.list(caller.tenantId(), before, limit);
    }
}
