package processors.resolution;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import com.fasterxml.jackson.databind.ObjectMapper;

import hub.ConflictingStateException;
import hub.Ids;
import hub.ShutdownSignal;
import hub.JsonText;
import processors.matching.BlockingKeys;
import processors.matching.MatchRules;
import processors.matching.MatchScore;
import processors.matching.RecordMatcher;
import processors.matching.RecordMatcher.PreparedRecord;
import processors.matching.Verdict;
import store.BlockingKeyStore;
import store.MatchDecision;
import store.MatchDecisionStore;
import store.MatchLinkStore;
import store.ResolutionRun;
import store.ResolutionRunStore;
import store.Shard;
import store.ShardStore;
import store.ShardStore.MatchCandidate;
import store.Timestamps;

/**
 * The steps of the resolution-runs route: a run goes through the tenant's shards of its type in id order, a page at a
 * time, each page in one transaction with the run's cursor and counts (so a crash loses at most the page in flight,
 * and the redelivered run resumes after the last committed one).
 * <ol>
 *   <li>keys: each shard's blocking keys under the rules in force, written where they differ from the stored ones;</li>
 *   <li>matching: each shard is scored against the shards before it (by id) that share its keys, the nearest
 *       {@code hub.matching.max-candidates}, so each pair is compared once. At or above the match threshold it is merged
 *       into the best one (as {@link ShardMerges} merges: links, relations and keys move, values by survivorship, the
 *       shard is marked deleted, an applied {@code merge} decision with the explanation); in the review band a pending
 *       {@code review} decision waits for a person. Two shards holding records of one integration are never merged
 *       (a shard holds one record per integration), nor two shards a person split apart or refused to merge.</li>
 * </ol>
 */
@Component
public class ResolutionRunner {

    /** Exchange property: the run being worked on (null: nothing to do for this message). */
    public static final String RUN = "resolutionRun";
    /** Exchange property: whether the run has another page. */
    public static final String MORE = "resolutionRunMore";
    private static final String ACTOR = "resolution-run";
    private static final int TRIES = 3;
    private static final Logger LOG = LoggerFactory.getLogger(ResolutionRunner.class);

    private final ResolutionRunStore runs;
    private final ShardStore shards;
    private final BlockingKeyStore blocking;
    private final TenantMatchRules rules;
    private final BlockingKeys blockingKeys;
    private final RecordMatcher matcher;
    private final ShardMerges merges;
    private final MatchDecisionStore decisions;
    private final MatchLinkStore links;
    private final TransactionTemplate transaction;
    private final ObjectMapper json;
    private final ShutdownSignal shutdown;
    private final int pageSize;

    public ResolutionRunner(ResolutionRunStore runs, ShardStore shards, BlockingKeyStore blocking, TenantMatchRules rules,
                            BlockingKeys blockingKeys, RecordMatcher matcher, ShardMerges merges, MatchDecisionStore decisions,
                            MatchLinkStore links, TransactionTemplate transaction, ObjectMapper json, ShutdownSignal shutdown,
                            @Value("${hub.resolution.page-size}") int pageSize) {
        this.runs = runs;
        this.shards = shards;
        this.blocking = blocking;
        this.rules = rules;
        this.blockingKeys = blockingKeys;
        this.matcher = matcher;
        this.merges = merges;
        this.decisions = decisions;
        this.links = links;
        this.transaction = transaction;
        this.json = json;
        this.shutdown = shutdown;
        if (pageSize < 1 || pageSize > 5000) {
            throw new IllegalArgumentException("hub.resolution.page-size must be from 1 to 5000, not " + pageSize);
        }
        this.pageSize = pageSize;
    }

    /** The queued message (a run id): takes the run up, or leaves nothing to do when it is finished or gone. */
    public void begin(Exchange exchange) {
        String id = exchange.getMessage().getBody(String.class);
        Optional<ResolutionRun> found = runs.find(id);
        if (found.isEmpty() || !found.get().active()) {
            LOG.info("Resolution run {} is {}: nothing to do", id, found.map(r -> r.status().value()).orElse("gone"));
            exchange.setProperty(MORE, false);
            return;
        }
        ResolutionRun run = found.get();
        if (rules.find(run.tenantId(), run.shardType()).isEmpty()) {
            runs.fail(id, "the tenant's shards of type " + run.shardType() + " are not matched any more (match rules switched off)");
            exchange.setProperty(MORE, false);
            return;
        }
        runs.start(id, shards.countOfType(run.tenantId(), run.shardType()));
        if (run.attempts() > 0) {
            LOG.info("Resolution run {} of {} resumes in phase {} after shard {}", id, run.shardType(), run.phase().value(), run.cursorShardId());
        }
        exchange.setProperty(RUN, id);
        exchange.setProperty(MORE, true);
    }

    /**
     * One page of the run's current phase. When the hub is stopping, the run stops here with its message rolled back (the
     * broker delivers it again after the restart); a page that fails three times fails the run, with the error.
     */
    public void page(Exchange exchange) {
        String id = exchange.getProperty(RUN, String.class);
        if (shutdown.isStopping()) {
            LOG.info("Resolution run {} stops at a page boundary as the hub shuts down; it resumes after the restart", id);
            exchange.setProperty(MORE, false);
            exchange.setRollbackOnly(true);
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                exchange.setProperty(MORE, transaction.execute(status -> page(runs.find(id).orElseThrow())));
                return;
            } catch (TransientDataAccessException e) {
                if (attempt == TRIES) {
                    fail(exchange, id, e);
                    return;
                }
                LOG.info("Resolution run {}: a page met a concurrent change ({}); trying it again", id, e.getMessage());
            } catch (RuntimeException e) {
                fail(exchange, id, e);
                return;
            }
        }
    }

    /** The run fails with what a tenant may read: a database error is named as such, its statement stays in the log. */
    private void fail(Exchange exchange, String id, RuntimeException e) {
        LOG.warn("Resolution run {} failed", id, e);
        String error = e instanceof org.springframework.dao.DataAccessException
                ? "a database error stopped the run (" + e.getClass().getSimpleName() + "); the hub's log has the details"
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        runs.fail(id, error);
        exchange.setProperty(MORE, false);
    }

    /** The page after the run's cursor, in the caller's transaction; false when the run is complete. */
    private boolean page(ResolutionRun run) {
        MatchRules ruleSet = rules.find(run.tenantId(), run.shardType()).map(TenantMatchRules.Effective::rules)
                .orElseThrow(() -> new IllegalStateException("the shard type's match rules were switched off during the run"));
        List<MatchCandidate> page = shards.matchCandidatesOfType(run.tenantId(), run.shardType(), run.cursorShardId(), pageSize);
        if (run.phase() == ResolutionRun.Phase.KEYS) {
            if (page.isEmpty()) {
                runs.startMatching(run.id());
                return true;
            }
            index(run, ruleSet, page);
            return true;
        }
        if (page.isEmpty()) {
            runs.complete(run.id());
            LOG.info("Resolution run {} of {} completed", run.id(), run.shardType());
            return false;
        }
        runs.matched(run.id(), page.get(page.size() - 1).id(), page.size(), match(run, ruleSet, page));
        return true;
    }

    /**
     * Writes the page's blocking keys where they differ from the stored ones: a shard's keys are its values' and those of
     * each record on it as last synced (a merged shard is found by any of its records' emails or names, as in the sync).
     */
    private void index(ResolutionRun run, MatchRules ruleSet, List<MatchCandidate> page) {
        List<String> ids = page.stream().map(MatchCandidate::id).toList();
        Map<String, Set<String>> stored = blocking.keysOf(run.tenantId(), ids);
        Map<String, List<ShardStore.Link>> sources = shards.links(ids);
        Map<String, Set<String>> changed = new HashMap<>();
        long unblocked = 0;
        for (MatchCandidate shard : page) {
            Set<String> keys = new HashSet<>(blockingKeys.keys(ruleSet, JsonText.readMap(json, shard.dataJson())));
            for (ShardStore.Link link : sources.getOrDefault(shard.id(), List.of())) {
                if (link.snapshotJson() != null && sources.get(shard.id()).size() > 1) {
                    keys.addAll(blockingKeys.keys(ruleSet, JsonText.readMap(json, link.snapshotJson())));
                }
            }
            if (keys.isEmpty()) {
                unblocked++;
            }
            if (!keys.equals(stored.getOrDefault(shard.id(), Set.of()))) {
                changed.put(shard.id(), keys);
            }
        }
        // shards without keys yet only get them; the others have theirs replaced
        Map<String, Set<String>> fresh = new HashMap<>();
        for (String id : List.copyOf(changed.keySet())) {
            if (!stored.containsKey(id)) {
                fresh.put(id, changed.remove(id));
            }
        }
        blocking.addKeys(run.tenantId(), run.shardType(), fresh);
        if (!changed.isEmpty()) {
            blocking.replaceKeys(run.tenantId(), run.shardType(), changed);
        }
        runs.indexed(run.id(), page.get(page.size() - 1).id(), page.size(), unblocked);
    }

    /** Scores each shard of the page against the shards before it sharing its keys; merges or proposes what it finds. */
    private ResolutionRun.Counts match(ResolutionRun run, MatchRules ruleSet, List<MatchCandidate> page) {
        List<String> pageIds = page.stream().map(MatchCandidate::id).toList();
        Map<String, Set<String>> keys = blocking.keysOf(run.tenantId(), pageIds);
        Set<String> allKeys = new HashSet<>();
        keys.values().forEach(allKeys::addAll);
        Map<String, List<String>> byKey = blocking.shardsByKey(run.tenantId(), run.shardType(), allKeys, RecordResolver.HOT_KEY);
        Map<String, List<String>> nearest = new HashMap<>();
        Set<String> candidateIds = new HashSet<>();
        for (MatchCandidate shard : page) {
            List<String> near = RecordResolver.nearest(keys.getOrDefault(shard.id(), Set.of()), byKey,
                    other -> other.compareTo(shard.id()) < 0, rules.maxCandidates());
            nearest.put(shard.id(), near);
            candidateIds.addAll(near);
        }
        pageIds.forEach(candidateIds::remove);
        Map<String, MatchCandidate> known = new HashMap<>(shards.matchCandidates(run.tenantId(), candidateIds));
        page.forEach(shard -> known.put(shard.id(), shard));
        Map<String, Set<String>> refused = links.refusals(run.tenantId());

        Map<String, PreparedRecord> prepared = new HashMap<>();
        // merged-away shard -> the shard it joined; their keys move together at the end of the page
        Map<String, String> mergedInto = new HashMap<>();
        long compared = 0;
        long merged = 0;
        long inReview = 0;
        for (MatchCandidate shard : page) {
            if (mergedInto.containsKey(shard.id())) {
                continue;
            }
            PreparedRecord incoming = prepared(prepared, ruleSet, shard);
            String bestId = null;
            MatchScore best = null;
            Set<String> seen = new HashSet<>();
            for (String near : nearest.get(shard.id())) {
                String id = survivor(mergedInto, near);
                MatchCandidate other = known.get(id);
                if (other == null || !seen.add(id) || id.equals(shard.id()) || refuses(refused, shard.id(), id)
                        || shareAnIntegration(shard, other)) {
                    continue;
                }
                MatchScore score = matcher.score(incoming, prepared(prepared, ruleSet, other));
                compared++;
                if (best == null || score.total() > best.total()) {
                    best = score;
                    bestId = id;
                }
            }
            if (best == null || best.verdict() == Verdict.NO_MATCH) {
                continue;
            }
            if (best.verdict() == Verdict.MATCH && merge(run, shard, known.get(bestId), best, mergedInto)) {
                known.get(bestId).linkedIntegrations().addAll(shard.linkedIntegrations());
                merged++;
            } else if (best.verdict() == Verdict.REVIEW && propose(run, shard, known.get(bestId), best)) {
                inReview++;
            }
        }
        blocking.moveKeys(run.tenantId(), mergedInto);
        return new ResolutionRun.Counts(compared, merged, inReview, 0);
    }

    private PreparedRecord prepared(Map<String, PreparedRecord> prepared, MatchRules ruleSet, MatchCandidate shard) {
        return prepared.computeIfAbsent(shard.id(), id -> matcher.prepare(ruleSet, JsonText.readMap(json, shard.dataJson())));
    }

    private static String survivor(Map<String, String> mergedInto, String id) {
        String at = id;
        while (mergedInto.containsKey(at)) {
            at = mergedInto.get(at);
        }
        return at;
    }

    private static boolean refuses(Map<String, Set<String>> refused, String a, String b) {
        return refused.getOrDefault(a, Set.of()).contains(b) || refused.getOrDefault(b, Set.of()).contains(a);
    }

    private static boolean shareAnIntegration(MatchCandidate a, MatchCandidate b) {
        for (String integration : a.linkedIntegrations()) {
            if (b.linkedIntegrations().contains(integration)) {
                return true;
            }
        }
        return false;
    }

    /** Merges the shard into the one it matched, both locked as they are now; false when either changed in a way that forbids it. */
    private boolean merge(ResolutionRun run, MatchCandidate shard, MatchCandidate into, MatchScore score, Map<String, String> mergedInto) {
        Optional<Shard> survivor = shards.lock(run.tenantId(), into.id());
        Optional<Shard> leaving = shards.lock(run.tenantId(), shard.id());
        if (survivor.isEmpty() || leaving.isEmpty() || survivor.get().deleted() || leaving.get().deleted()) {
            return false;
        }
        String decisionId = Ids.newId();
        ShardStore.Link source;
        try {
            source = source(shard.id(), merges.mergeInto(run.tenantId(), ACTOR, leaving.get(), survivor.get(), decisionId,
                    MatchLinkStore.Kind.INFERRED, mergedInto));
        } catch (ConflictingStateException e) {
            // a sync gave the survivor a record of the same integration since the page was read
            return false;
        }
        decisions.insert(run.tenantId(), new MatchDecision(decisionId, run.shardType(), MatchDecision.Kind.MERGE, MatchDecision.Status.APPLIED,
                into.id(), shard.id(), source.integrationId(), source.entity(), source.externalId(), score.total(),
                JsonText.write(json, score), survivor.get().version(), leaving.get().version(), Timestamps.now(), Timestamps.now(),
                ACTOR + " " + run.id()));
        return true;
    }

    /** A pending review of the pair, unless one is pending already (a run again over the same shards proposes nothing twice). */
    private boolean propose(ResolutionRun run, MatchCandidate shard, MatchCandidate candidate, MatchScore score) {
        if (decisions.reviewPending(candidate.id(), shard.id())) {
            return false;
        }
        ShardStore.Link source = source(shard.id(), shards.links(shard.id()));
        decisions.insert(run.tenantId(), new MatchDecision(Ids.newId(), run.shardType(), MatchDecision.Kind.REVIEW,
                MatchDecision.Status.PENDING, candidate.id(), shard.id(), source.integrationId(), source.entity(), source.externalId(),
                score.total(), JsonText.write(json, score), candidate.version(), shard.version(), Timestamps.now(), null, null));
        return true;
    }

    /**
     * The record a decision about the shard names, of its links: the first written-back one, else the first; a shard made
     * in the hub itself (no link) is named by its own id.
     */
    private static ShardStore.Link source(String shardId, List<ShardStore.Link> links) {
        List<ShardStore.Link> all = new ArrayList<>(links);
        all.sort((a, b) -> Boolean.compare(a.derived(), b.derived()));
        return all.isEmpty() ? new ShardStore.Link("", "shard", shardId, null, null, null, null) : all.get(0);
    }
}
