package processors.resolution;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;

import hub.Ids;
import hub.JsonText;
import processors.conflicts.FieldValues;
import processors.matching.BlockingKeys;
import processors.matching.MatchRules;
import processors.matching.MatchScore;
import processors.matching.RecordMatcher;
import processors.matching.RecordMatcher.PreparedRecord;
import processors.matching.Survivorship;
import processors.matching.Verdict;
import store.AuditLog;
import store.BlockingKeyStore;
import store.IntegrationStore;
import store.MatchDecision;
import store.MatchDecisionStore;
import store.MatchLinkStore;
import store.ShardStore;
import store.ShardStore.MatchCandidate;
import store.ShardStore.ShardWrite;
import store.Timestamps;

/**
 * Entity resolution inside the sync, in the page's transaction. A page's new records of a shard type with match rules
 * are matched before they are written: each is compared with the shards that share one of its blocking keys (and with
 * the page's records before it), and
 * <ul>
 *   <li>at or above the match threshold it joins the best one: one more link on that shard, its values merged by the
 *       rules' survivorship, a {@code merge} decision with the explanation;</li>
 *   <li>between review and match it gets a shard of its own and a pending {@code review} decision with the candidate;</li>
 *   <li>below, or without any blocking key (counted), it gets a shard of its own.</li>
 * </ul>
 * A shard holds at most one written-back record per integration, so a record is never joined to a shard that already
 * has one from its integration (two records of one CRM are two records there); derived records (a lead's company) may
 * join any shard. A record never joins a shard a person split it from or refused for it.
 */
@Component
public class RecordResolver {

    /** A record joining an existing shard. */
    public record Join(ShardWrite write, String shardId, MatchScore score) {
    }

    /** A record given its own shard while a person decides whether it is the candidate's entity. */
    public record Review(ShardWrite write, String candidateId, MatchScore score) {
    }

    /** What became of a page's new records of one entity; {@code pairsCompared}: the record-candidate pairs scored. */
    public record Resolution(List<ShardWrite> creates, List<Join> joins, List<Review> reviews, int unblocked, long pairsCompared,
                             Map<String, Set<String>> keys, MatchRules rules, Map<String, MatchCandidate> candidates) {

        static Resolution unmatched(List<ShardWrite> inserts) {
            return new Resolution(inserts, List.of(), List.of(), 0, 0, Map.of(), null, Map.of());
        }
    }

    /** A blocking key more shards hold than this tells none of them apart: it is not used to find candidates. */
    static final int HOT_KEY = 1000;

    /** Where a page's records come from. */
    public record Source(String tenantId, String integrationId, String providerId, String entity, boolean derived) {
    }

    private final TenantMatchRules rules;
    private final BlockingKeyStore blocking;
    private final ShardStore shards;
    private final MatchDecisionStore decisions;
    private final MatchLinkStore links;
    private final IntegrationStore integrations;
    private final AuditLog audit;
    private final RecordMatcher matcher;
    private final BlockingKeys blockingKeys;
    private final ObjectMapper json;
    /** Integration id to provider id: an integration never changes its provider. */
    private final Map<String, String> providers = new java.util.concurrent.ConcurrentHashMap<>();

    public RecordResolver(TenantMatchRules rules, BlockingKeyStore blocking, ShardStore shards, MatchDecisionStore decisions,
                          MatchLinkStore links, IntegrationStore integrations, AuditLog audit, RecordMatcher matcher,
                          BlockingKeys blockingKeys, ObjectMapper json) {
        this.rules = rules;
        this.blocking = blocking;
        this.shards = shards;
        this.decisions = decisions;
        this.links = links;
        this.integrations = integrations;
        this.audit = audit;
        this.matcher = matcher;
        this.blockingKeys = blockingKeys;
        this.json = json;
    }

    /** Decides, for new records of one shard type, which join a shard that exists; writes nothing. */
    public Resolution resolve(Source source, String shardType, List<ShardWrite> inserts) {
        if (inserts.isEmpty()) {
            return Resolution.unmatched(inserts);
        }
        Optional<TenantMatchRules.Effective> found = rules.find(source.tenantId(), shardType);
        if (found.isEmpty()) {
            return Resolution.unmatched(inserts);
        }
        MatchRules ruleSet = found.get().rules();
        Map<String, Map<String, Object>> data = new HashMap<>();
        // each record normalized once, for its keys and its scores
        Map<String, PreparedRecord> prepared = new HashMap<>();
        Map<String, Set<String>> keys = new LinkedHashMap<>();
        Set<String> pageKeys = new HashSet<>();
        for (ShardWrite w : inserts) {
            Map<String, Object> values = JsonText.readMap(json, w.dataJson());
            data.put(w.shardId(), values);
            PreparedRecord record = matcher.prepare(ruleSet, values);
            prepared.put(w.shardId(), record);
            Set<String> own = blockingKeys.keys(record);
            keys.put(w.shardId(), own);
            pageKeys.addAll(own);
        }
        // the whole page's candidates in one lookup: per record, the shards sharing the most keys with it
        Map<String, List<String>> byKey = blocking.shardsByKey(source.tenantId(), shardType, pageKeys, HOT_KEY);
        // shards already holding a record of this integration are no candidates (one record per integration): left out
        // before the nearest are chosen, so they neither crowd out the others nor get loaded
        Set<String> held = source.derived() ? Set.of() : shards.heldBy(source.integrationId(), allShards(byKey));
        Map<String, List<String>> stored = new HashMap<>();
        Set<String> candidateIds = new HashSet<>();
        for (ShardWrite w : inserts) {
            List<String> near = nearest(keys.get(w.shardId()), byKey, id -> !held.contains(id), rules.maxCandidates());
            stored.put(w.shardId(), near);
            candidateIds.addAll(near);
        }
        Map<String, MatchCandidate> candidates = candidateIds.isEmpty() ? Map.of() : shards.matchCandidates(source.tenantId(), candidateIds);
        Map<String, Set<String>> refused = links.retracted(source.integrationId(), source.entity(),
                inserts.stream().map(ShardWrite::externalId).toList());

        Map<String, List<String>> pageByKey = new HashMap<>();
        List<ShardWrite> creates = new ArrayList<>();
        List<Join> joins = new ArrayList<>();
        List<Review> reviews = new ArrayList<>();
        int unblocked = 0;
        long pairsCompared = 0;
        for (ShardWrite w : inserts) {
            Set<String> own = keys.get(w.shardId());
            if (own.isEmpty()) {
                creates.add(w);
                unblocked++;
                continue;
            }
            PreparedRecord incoming = prepared.get(w.shardId());
            Set<String> compared = new LinkedHashSet<>();
            String bestId = null;
            MatchScore best = null;
            compared.addAll(stored.get(w.shardId()));
            for (String key : own) {
                compared.addAll(pageByKey.getOrDefault(key, List.of()));
            }
            Set<String> refusedHere = refused.getOrDefault(w.externalId(), Set.of());
            for (String id : compared) {
                MatchCandidate candidate = candidates.get(id);
                if (candidate != null) {
                    if (!candidate.shardType().equals(shardType) || refusedHere.contains(id)
                            || !source.derived() && candidate.linkedIntegrations().contains(source.integrationId())) {
                        continue;
                    }
                } else if (data.containsKey(id)) {
                    // a record of this page, created before this one: from the same integration unless derived
                    if (!source.derived()) {
                        continue;
                    }
                } else {
                    continue;
                }
                PreparedRecord other = prepared.computeIfAbsent(id, k -> matcher.prepare(ruleSet,
                        JsonText.readMap(json, candidates.get(k).dataJson())));
                MatchScore score = matcher.score(incoming, other);
                pairsCompared++;
                if (best == null || score.total() > best.total()) {
                    best = score;
                    bestId = id;
                }
            }
            if (best != null && best.verdict() == Verdict.MATCH) {
                joins.add(new Join(w, bestId, best));
                continue;
            }
            creates.add(w);
            for (String key : own) {
                pageByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(w.shardId());
            }
            if (best != null && best.verdict() == Verdict.REVIEW) {
                reviews.add(new Review(w, bestId, best));
            }
        }
        return new Resolution(creates, joins, reviews, unblocked, pairsCompared, keys, ruleSet, candidates);
    }

    private static Set<String> allShards(Map<String, List<String>> byKey) {
        Set<String> all = new HashSet<>();
        byKey.values().forEach(all::addAll);
        return all;
    }

    /** The shards sharing the most of these keys, of the eligible ones, at most {@code limit}, ties by id. */
    static List<String> nearest(Set<String> keys, Map<String, List<String>> byKey, Predicate<String> eligible, int limit) {
        Map<String, Integer> shared = new HashMap<>();
        for (String key : keys) {
            for (String shard : byKey.getOrDefault(key, List.of())) {
                if (eligible.test(shard)) {
                    shared.merge(shard, 1, Integer::sum);
                }
            }
        }
        return shared.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(limit).map(Map.Entry::getKey).toList();
    }

    /**
     * Writes what {@link #resolve} decided, once the page's new shards are inserted: their blocking keys, the joins (link,
     * merged values, keys, decision) and the pending reviews.
     */
    public void apply(Source source, String shardType, String syncDirection, Resolution resolution) {
        if (resolution.rules() == null) {
            return;
        }
        Map<String, Set<String>> created = new LinkedHashMap<>();
        for (ShardWrite w : resolution.creates()) {
            created.put(w.shardId(), resolution.keys().get(w.shardId()));
        }
        blocking.addKeys(source.tenantId(), shardType, created);
        if (!resolution.joins().isEmpty()) {
            Set<String> targets = new HashSet<>();
            resolution.joins().forEach(j -> targets.add(j.shardId()));
            // the targets as they are now (a page's own new shards, or shards that exist), their keys and their sources
            Map<String, Map<String, Object>> current = new HashMap<>();
            Map<String, Long> versions = new HashMap<>();
            for (String id : targets) {
                MatchCandidate c = resolution.candidates().get(id);
                if (c != null) {
                    current.put(id, FieldValues.flatten(JsonText.readMap(json, c.dataJson())));
                    versions.put(id, c.version());
                } else {
                    resolution.creates().stream().filter(w -> w.shardId().equals(id)).findFirst().ifPresent(w -> {
                        current.put(id, FieldValues.flatten(JsonText.readMap(json, w.dataJson())));
                        versions.put(id, 1L);
                    });
                }
            }
            Map<String, Set<String>> held = blocking.keysOf(source.tenantId(), targets);
            Map<String, List<ShardStore.Link>> sources = shards.links(targets);
            Set<String> changed = new HashSet<>();
            for (Join join : resolution.joins()) {
                join(source, shardType, syncDirection, resolution, join, current, versions, held, sources, changed);
            }
            for (String id : changed) {
                shards.updateData(id, JsonText.write(json, FieldValues.nest(current.get(id))));
            }
        }
        for (Review review : resolution.reviews()) {
            MatchCandidate candidate = resolution.candidates().get(review.candidateId());
            decisions.insert(source.tenantId(), new MatchDecision(Ids.newId(), shardType, MatchDecision.Kind.REVIEW,
                    MatchDecision.Status.PENDING, review.candidateId(), review.write().shardId(), source.integrationId(), source.entity(),
                    review.write().externalId(), review.score().total(), JsonText.write(json, review.score()),
                    candidate == null ? 1L : candidate.version(), 1L,
                    Timestamps.now(), null, null));
        }
    }

    private void join(Source source, String shardType, String syncDirection, Resolution resolution, Join join,
                      Map<String, Map<String, Object>> current, Map<String, Long> versions, Map<String, Set<String>> held,
                      Map<String, List<ShardStore.Link>> sources, Set<String> changed) {
        ShardWrite w = join.write();
        String target = join.shardId();
        shards.attach(source.tenantId(), source.integrationId(), source.entity(), source.derived() ? ShardStore.DERIVED : syncDirection,
                target, w, !source.derived());
        Map<String, Object> now = current.get(target);
        FieldSurvivorship.Merge merge = FieldSurvivorship.merge(resolution.rules().survivorship(), resolution.rules().sourcePriority(),
                now, holders(sources.getOrDefault(target, List.of()), source.integrationId(), now),
                FieldValues.flatten(JsonText.readMap(json, w.dataJson())), source.providerId(), source.derived());
        if (merge.changed()) {
            current.put(target, merge.data());
            changed.add(target);
        }
        Set<String> has = held.computeIfAbsent(target, k -> new HashSet<>());
        Set<String> adding = new LinkedHashSet<>(resolution.keys().get(w.shardId()));
        adding.removeAll(has);
        blocking.addKeys(source.tenantId(), shardType, Map.of(target, adding));
        has.addAll(adding);
        String decisionId = Ids.newId();
        long version = versions.getOrDefault(target, 1L);
        decisions.insert(source.tenantId(), new MatchDecision(decisionId, shardType, MatchDecision.Kind.MERGE, MatchDecision.Status.APPLIED,
                target, null, source.integrationId(), source.entity(), w.externalId(), join.score().total(), JsonText.write(json, join.score()),
                version, null, Timestamps.now(), Timestamps.now(), "resolver"));
        links.record(source.tenantId(), new MatchLinkStore.Source(source.integrationId(), source.entity(), w.externalId()), target,
                MatchLinkStore.Kind.INFERRED, decisionId);
        waitForPerson(source, shardType, target, w.externalId(), merge.waiting(), version);
        audit.record(source.tenantId(), "resolver", "shard.merge", "shard", target,
                source.integrationId() + " " + source.entity() + " " + w.externalId() + " score " + join.score().total());
    }

    /**
     * A change of a record on a shard that other records hold too: the shard's values are merged by survivorship
     * instead of replaced. Returns the writes with the shard data to store (the links keep the record's own values).
     */
    public List<ShardWrite> mergeUpdates(Source source, String shardType, List<ShardWrite> updates) {
        if (updates.isEmpty()) {
            return updates;
        }
        Optional<MatchRules> found = rules.find(source.tenantId(), shardType).map(TenantMatchRules.Effective::rules);
        Map<String, Integer> counts = shards.linkCounts(updates.stream().map(ShardWrite::shardId).toList());
        List<String> shared = updates.stream().map(ShardWrite::shardId).filter(id -> counts.getOrDefault(id, 0) > 1).toList();
        if (shared.isEmpty()) {
            return updates;
        }
        Map<String, MatchCandidate> current = shards.matchCandidates(source.tenantId(), shared);
        List<ShardWrite> merged = new ArrayList<>(updates.size());
        for (ShardWrite w : updates) {
            MatchCandidate shard = current.get(w.shardId());
            if (shard == null) {
                merged.add(w);
                continue;
            }
            Map<String, Object> now = FieldValues.flatten(JsonText.readMap(json, shard.dataJson()));
            FieldSurvivorship.Merge merge = FieldSurvivorship.merge(found.map(MatchRules::survivorship).orElse(Survivorship.PREFER_EXTERNAL),
                    found.map(MatchRules::sourcePriority).orElse(Map.of()), now, holders(shards.links(w.shardId()), source.integrationId(), now),
                    FieldValues.flatten(JsonText.readMap(json, w.dataJson())), source.providerId(), source.derived());
            waitForPerson(source, shardType, w.shardId(), w.externalId(), merge.waiting(), shard.version());
            merged.add(new ShardWrite(w.shardId(), w.externalId(), w.externalVersion(), w.shardType(),
                    JsonText.write(json, FieldValues.nest(merge.data())),
                    w.contentHash(), w.relations(), w.snapshotJson()));
        }
        return merged;
    }

    /** Under manual_review: the differing values wait for a person, one pending decision per record and shard. */
    private void waitForPerson(Source source, String shardType, String shardId, String externalId, List<FieldSurvivorship.Difference> waiting,
                               long version) {
        if (waiting.isEmpty()) {
            return;
        }
        for (MatchDecision pending : decisions.pendingFor(source.integrationId(), source.entity(), externalId)) {
            if (pending.kind() == MatchDecision.Kind.FIELDS && pending.shardId().equals(shardId)) {
                decisions.settle(pending.id(), MatchDecision.Status.PENDING, MatchDecision.Status.UNDONE, "resolver");
            }
        }
        decisions.insert(source.tenantId(), new MatchDecision(Ids.newId(), shardType, MatchDecision.Kind.FIELDS, MatchDecision.Status.PENDING,
                shardId, null, source.integrationId(), source.entity(), externalId, null,
                JsonText.write(json, Map.of("strategy", "manual_review", "differences", waiting)), version, null, Timestamps.now(), null, null));
    }

    /** For each field, the providers whose last synced values (other than this integration's) hold the shard's current value. */
    private Map<String, Set<String>> holders(List<ShardStore.Link> sources, String integrationId, Map<String, Object> current) {
        Map<String, Set<String>> holders = new HashMap<>();
        for (ShardStore.Link link : sources) {
            if (link.integrationId().equals(integrationId) || link.snapshotJson() == null) {
                continue;
            }
            Optional<String> provider = Optional.ofNullable(providers.computeIfAbsent(link.integrationId(),
                    id -> integrations.providerOf(id).orElse(null)));
            if (provider.isEmpty()) {
                continue;
            }
            FieldValues.flatten(JsonText.readMap(json, link.snapshotJson())).forEach((field, value) -> {
                if (FieldValues.same(value, current.get(field))) {
                    holders.computeIfAbsent(field, k -> new HashSet<>()).add(provider.get());
                }
            });
        }
        return holders;
    }
}
