package processors.resolution;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import com.fasterxml.jackson.databind.ObjectMapper;

import hub.ConflictingStateException;
import hub.Ids;
import hub.JsonText;
import hub.NotFoundException;
import processors.conflicts.FieldValues;
import processors.matching.BlockingKeys;
import processors.matching.MatchRules;
import processors.matching.Survivorship;
import security.Caller;
import store.AuditLog;
import store.BlockingKeyStore;
import store.IntegrationStore;
import store.MatchDecision;
import store.MatchDecisionStore;
import store.MatchLinkStore;
import store.Shard;
import store.ShardStore;
import store.Timestamps;

/**
 * Merging one shard into another (a person accepted a possible match, or a resolution run found one) and splitting a
 * source back out of a shard (unmerge). Neither deletes a source's data: a merged-away shard is marked deleted with its
 * links moved to the survivor, and an unmerge restores the source's own values (its link's last synced values) and
 * relations on a shard of its own. Both are decisions, audited, and remembered as links: an unmerged source is
 * never joined to that shard again.
 */
@Component
public class ShardMerges {

    /** What identifies the source of an unmerge: the provider record. */
    public record SourceRecord(String integrationId, String entity, String externalId) {
    }

    private final ShardStore shards;
    private final BlockingKeyStore blocking;
    private final MatchDecisionStore decisions;
    private final MatchLinkStore links;
    private final IntegrationStore integrations;
    private final TenantMatchRules rules;
    private final BlockingKeys blockingKeys;
    private final AuditLog audit;
    private final TransactionTemplate transaction;
    private final ObjectMapper json;

    public ShardMerges(ShardStore shards, BlockingKeyStore blocking, MatchDecisionStore decisions, MatchLinkStore links,
                       IntegrationStore integrations, TenantMatchRules rules, BlockingKeys blockingKeys, AuditLog audit,
                       TransactionTemplate transaction, ObjectMapper json) {
        this.shards = shards;
        this.blocking = blocking;
        this.decisions = decisions;
        this.links = links;
        this.integrations = integrations;
        this.rules = rules;
        this.blockingKeys = blockingKeys;
        this.audit = audit;
        this.transaction = transaction;
        this.json = json;
    }

    /**
     * Merges {@code from} into {@code into}, in the caller's transaction, both locked: links and relations move, values
     * merge by the rules' survivorship (the merged-away shard's sources arriving), blocking keys join, and {@code from}
     * is marked deleted. The moved records' links are {@code kind}: asserted when a person decided, inferred when a
     * resolution run did. The keys move now, or with the caller's other merges ({@code keys} collects them).
     *
     * @return the links that moved (the merged-away shard's records)
     *
     * @throws ConflictingStateException when the survivor already holds a written-back record of an integration the other
     *                                   shard also has one of (one record per integration and shard)
     */
    List<ShardStore.Link> mergeInto(String tenantId, String actor, Shard from, Shard into, String decisionId, MatchLinkStore.Kind kind,
                   Map<String, String> keys) {
        List<ShardStore.Link> moving = shards.links(from.id());
        Set<String> held = new HashSet<>();
        shards.links(into.id()).stream().filter(l -> !l.derived()).forEach(l -> held.add(l.integrationId()));
        for (ShardStore.Link link : moving) {
            if (!link.derived() && held.contains(link.integrationId())) {
                throw new ConflictingStateException("shard " + into.id() + " already holds a record of integration " + link.integrationId()
                        + ", and so does shard " + from.id() + "; a shard holds one record per integration");
            }
        }
        Optional<MatchRules> ruleSet = rules.find(tenantId, into.shardType()).map(TenantMatchRules.Effective::rules);
        Map<String, Object> data = FieldValues.flatten(JsonText.readMap(json, into.structuredData()));
        Map<String, Object> incoming = FieldValues.flatten(JsonText.readMap(json, from.structuredData()));
        String provider = moving.stream().filter(l -> !l.derived()).findFirst()
                .flatMap(l -> integrations.providerOf(l.integrationId())).orElse(null);
        boolean derivedOnly = moving.stream().allMatch(ShardStore.Link::derived) && !moving.isEmpty();
        FieldSurvivorship.Merge merge = FieldSurvivorship.merge(ruleSet.map(MatchRules::survivorship).orElse(Survivorship.PREFER_INTERNAL),
                ruleSet.map(MatchRules::sourcePriority).orElse(Map.of()), data, Map.of(), incoming, provider, derivedOnly);
        for (ShardStore.Link link : moving) {
            shards.moveLink(link.integrationId(), link.entity(), link.externalId(), into.id());
            links.record(tenantId, new MatchLinkStore.Source(link.integrationId(), link.entity(), link.externalId()), into.id(),
                    kind, decisionId);
        }
        shards.moveRelations(from.id(), into.id(), null);
        shards.updateData(into.id(), JsonText.write(json, FieldValues.nest(merge.data())));
        shards.markDeleted(from.id());
        if (keys == null) {
            blocking.moveKeys(tenantId, Map.of(from.id(), into.id()));
        } else {
            keys.put(from.id(), into.id());
        }
        audit.record(tenantId, actor, "shard.merge", "shard", into.id(), "merged shard " + from.id() + " (decision " + decisionId + ")");
        return moving;
    }

    /**
     * Splits a source record out of a shard onto a shard of its own, with its own values and relations; the shard keeps
     * the others and gives back values only that source brought. The source is never joined to the shard again.
     *
     * @return the new shard
     */
    public Shard unmerge(Caller caller, String shardId, SourceRecord source) {
        String newId = Ids.newId();
        transaction.executeWithoutResult(status -> {
            Shard shard = shards.lock(caller.tenantId(), shardId).orElseThrow(() -> NotFoundException.of("shard"));
            List<ShardStore.Link> all = shards.links(shardId);
            ShardStore.Link link = all.stream().filter(l -> l.integrationId().equals(source.integrationId())
                            && l.entity().equals(source.entity()) && l.externalId().equals(source.externalId())).findFirst()
                    .orElseThrow(() -> NotFoundException.of("source on this shard"));
            if (all.size() == 1) {
                throw new ConflictingStateException("the shard has no other source: " + source.entity() + " " + source.externalId()
                        + " is all of it, so there is nothing to split");
            }
            Map<String, Object> own = link.snapshotJson() == null ? FieldValues.flatten(JsonText.readMap(json, shard.structuredData()))
                    : FieldValues.flatten(JsonText.readMap(json, link.snapshotJson()));
            shards.insertLocal(caller.tenantId(), newId, shard.shardType(), JsonText.write(json, FieldValues.nest(own)));
            shards.moveLink(link.integrationId(), link.entity(), link.externalId(), newId);
            if (!link.derived()) {
                shards.moveRelations(shardId, newId, link.integrationId());
            }
            Map<String, Object> rest = remaining(shard, all, link, own);
            shards.updateData(shardId, JsonText.write(json, FieldValues.nest(rest)));
            reindex(caller.tenantId(), shard.shardType(), shardId, rest);
            reindex(caller.tenantId(), shard.shardType(), newId, own);

            String decisionId = Ids.newId();
            for (MatchDecision d : decisions.forShard(caller.tenantId(), shardId, 1000)) {
                boolean aboutSource = d.integrationId().equals(link.integrationId()) && d.entity().equals(link.entity())
                        && d.externalId().equals(link.externalId());
                if (aboutSource && d.kind() == MatchDecision.Kind.MERGE && d.status() == MatchDecision.Status.APPLIED) {
                    decisions.settle(d.id(), MatchDecision.Status.APPLIED, MatchDecision.Status.UNDONE, caller.actor());
                } else if (aboutSource && d.status() == MatchDecision.Status.PENDING) {
                    decisions.settle(d.id(), MatchDecision.Status.PENDING, MatchDecision.Status.UNDONE, caller.actor());
                }
            }
            decisions.insert(caller.tenantId(), new MatchDecision(decisionId, shard.shardType(), MatchDecision.Kind.UNMERGE,
                    MatchDecision.Status.APPLIED, shardId, newId, link.integrationId(), link.entity(), link.externalId(), null,
                    JsonText.write(json, Map.of("restored", own)), shard.version(), 1L, Timestamps.now(), Timestamps.now(), caller.actor()));
            links.record(caller.tenantId(), new MatchLinkStore.Source(link.integrationId(), link.entity(), link.externalId()), shardId,
                    MatchLinkStore.Kind.RETRACTED, decisionId);
            audit.record(caller.tenantId(), caller.actor(), "shard.unmerge", "shard", shardId,
                    link.entity() + " " + link.externalId() + " split out to shard " + newId);
        });
        return shards.find(caller.tenantId(), newId).orElseThrow();
    }

    /**
     * The shard's values without what only the leaving source brought: a field whose value is the leaving source's takes
     * another source's value where one has it, and is dropped where none has the field.
     */
    private Map<String, Object> remaining(Shard shard, List<ShardStore.Link> all, ShardStore.Link leaving, Map<String, Object> own) {
        Map<String, Object> data = FieldValues.flatten(JsonText.readMap(json, shard.structuredData()));
        Map<String, Map<String, Object>> others = new LinkedHashMap<>();
        for (ShardStore.Link l : all) {
            if (l != leaving && l.snapshotJson() != null) {
                others.put(l.integrationId() + "/" + l.externalId(), FieldValues.flatten(JsonText.readMap(json, l.snapshotJson())));
            }
        }
        Map<String, Object> rest = new LinkedHashMap<>(data);
        own.forEach((field, value) -> {
            if (!FieldValues.same(data.get(field), value)) {
                return;
            }
            boolean someoneHasIt = false;
            for (Map<String, Object> other : others.values()) {
                if (FieldValues.same(other.get(field), value)) {
                    return;
                }
                if (other.get(field) != null) {
                    rest.put(field, other.get(field));
                    someoneHasIt = true;
                    break;
                }
            }
            if (!someoneHasIt) {
                rest.remove(field);
            }
        });
        return rest;
    }

    private void reindex(String tenantId, String shardType, String shardId, Map<String, Object> flat) {
        rules.find(tenantId, shardType).ifPresent(effective -> blocking.replaceKeys(tenantId, shardType, shardId,
                blockingKeys.keys(effective.rules(), FieldValues.nest(flat))));
    }
}
