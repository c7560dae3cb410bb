package processors.resolution;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import hub.ConflictingStateException;
import hub.NotFoundException;
import processors.writeback.ShardWrites;
import security.Caller;
import store.MatchDecision;
import store.MatchDecisionStore;
import store.MatchLinkStore;
import store.Shard;
import store.ShardStore;

/**
 * A person's answer to a pending decision. Accepting a possible match merges the record's own shard into the candidate;
 * accepting waiting field values puts them on the shard (and writes them back like any shard change). Rejecting a match
 * remembers it, so the record is never proposed for that shard again. Either is refused (409, with the current state)
 * when the shards changed since the decision was proposed: the person decided on what they saw.
 */
@Component
public class MatchReview {

    private final MatchDecisionStore decisions;
    private final MatchLinkStore links;
    private final ShardStore shards;
    private final ShardMerges merges;
    private final ShardWrites writes;
    private final TransactionTemplate transaction;
    private final ObjectMapper json;

    public MatchReview(MatchDecisionStore decisions, MatchLinkStore links, ShardStore shards, ShardMerges merges, ShardWrites writes,
                       TransactionTemplate transaction, ObjectMapper json) {
        this.decisions = decisions;
        this.links = links;
        this.shards = shards;
        this.merges = merges;
        this.writes = writes;
        this.transaction = transaction;
        this.json = json;
    }

    public MatchDecision accept(Caller caller, String id) {
        MatchDecision decision = pending(caller, id);
        if (decision.kind() == MatchDecision.Kind.FIELDS) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (JsonNode difference : read(decision.explanation()).path("differences")) {
                values.put(difference.get("field").asText(), json.convertValue(difference.get("incoming"), Object.class));
            }
            // a shard changed since is refused by the write (409 naming its version)
            writes.update(caller, decision.shardId(), values, decision.shardVersion());
            settle(decision, MatchDecision.Status.ACCEPTED, caller);
        } else {
            transaction.executeWithoutResult(status -> {
                Shard candidate = current(caller, decision.shardId(), decision.shardVersion(), "the candidate");
                Shard own = current(caller, decision.otherShardId(), decision.otherVersion(), "the record's own shard");
                merges.mergeInto(caller.tenantId(), caller.actor(), own, candidate, decision.id(), MatchLinkStore.Kind.ASSERTED, null);
                settle(decision, MatchDecision.Status.ACCEPTED, caller);
            });
        }
        return decisions.find(caller.tenantId(), id).orElseThrow();
    }

    public MatchDecision reject(Caller caller, String id) {
        MatchDecision decision = pending(caller, id);
        transaction.executeWithoutResult(status -> {
            settle(decision, MatchDecision.Status.REJECTED, caller);
            if (decision.kind() == MatchDecision.Kind.REVIEW) {
                links.record(caller.tenantId(), new MatchLinkStore.Source(decision.integrationId(), decision.entity(), decision.externalId()),
                        decision.shardId(), MatchLinkStore.Kind.RETRACTED, decision.id());
            }
        });
        return decisions.find(caller.tenantId(), id).orElseThrow();
    }

    private MatchDecision pending(Caller caller, String id) {
        MatchDecision decision = decisions.find(caller.tenantId(), id).orElseThrow(() -> NotFoundException.of("match"));
        if (decision.status() != MatchDecision.Status.PENDING) {
            throw new ConflictingStateException("the match is " + decision.status().value() + ", not pending");
        }
        if (!List.of(MatchDecision.Kind.REVIEW, MatchDecision.Kind.FIELDS).contains(decision.kind())) {
            throw new ConflictingStateException("a " + decision.kind().value() + " decision is not for review");
        }
        return decision;
    }

    private Shard current(Caller caller, String shardId, Long version, String what) {
        Shard shard = shards.lock(caller.tenantId(), shardId).orElseThrow(() -> NotFoundException.of("shard"));
        if (shard.deleted()) {
            throw new ConflictingStateException(what + " (shard " + shardId + ") is deleted since the match was proposed");
        }
        if (version != null && shard.version() != version) {
            throw new ConflictingStateException(what + " (shard " + shardId + ") is at version " + shard.version() + ", not "
                    + version + " as when the match was proposed: it changed since; read both shards and decide again");
        }
        return shard;
    }

    private void settle(MatchDecision decision, MatchDecision.Status to, Caller caller) {
        if (!decisions.settle(decision.id(), MatchDecision.Status.PENDING, to, caller.actor())) {
            throw new ConflictingStateException("the match was decided meanwhile");
        }
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a stored explanation does not read: " + e.getOriginalMessage());
        }
    }
}
