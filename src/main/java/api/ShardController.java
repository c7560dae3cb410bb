package api;

import java.util.Map;
import java.util.Set;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import hub.ShardTypes;
import processors.resolution.ShardMerges;
import processors.writeback.ShardWrites;
import security.Caller;
import store.Cursor;
import store.MatchDecisionStore;
import store.OutboxEntry;
import store.OutboxStore;
import store.Page;
import store.Shard;
import store.ShardStore;

/**
 * The tenant's shards, with where each came from. Changes made here are written back to the
 * providers of the integrations that write the entity back ({@code GET .../{id}/writes} shows how
 * each went).
 */
@RestController
@RequestMapping("/api/tenant/shards")
public class ShardController {

    record ShardPatch(Map<String, Object> structuredData, Long expectedVersion) {
    }

    record ShardCreate(String integrationId, String shardType, String entity, Map<String, Object> structuredData) {
    }

    /** The source record to split out of a shard. */
    record UnmergeRequest(String integrationId, String entity, String externalId) {
    }

    private final ShardStore shards;
    private final ShardWrites writes;
    private final OutboxStore outbox;
    private final MatchDecisionStore decisions;
    private final ShardMerges merges;

    public ShardController(ShardStore shards, ShardWrites writes, OutboxStore outbox, MatchDecisionStore decisions, ShardMerges merges) {
        this.shards = shards;
        this.decisions = decisions;
        this.merges = merges;
        this.writes = writes;
        this.outbox = outbox;
    }

    @GetMapping
    public Page<Shard> list(Caller caller, @RequestParam(required = false) String type, @RequestParam(required = false) Integer limit,
                            @RequestParam(required = false) String cursor) {
        String shardType = Validation.oneOf("type", type, Set.copyOf(ShardTypes.ALL), null);
        return shards.list(caller.tenantId(), shardType, Cursor.decode(cursor), Cursor.limit(limit, 100, 1000));
    }

    @GetMapping("/{id}")
    public Shard get(Caller caller, @PathVariable String id) {
        return shards.find(caller.tenantId(), id).orElseThrow(() -> ApiException.notFound("shard"));
    }

    @PatchMapping("/{id}")
    public Shard update(Caller caller, @PathVariable String id, @RequestBody ShardPatch patch) {
        return writes.update(caller, id, patch.structuredData(), patch.expectedVersion());
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public Shard create(Caller caller, @RequestBody ShardCreate request) {
        return writes.create(caller, request.integrationId(), request.shardType(), request.entity(), request.structuredData());
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(Caller caller, @PathVariable String id) {
        writes.delete(caller, id);
    }

    /** The shard's write-backs, oldest first: operation, fields, status, attempts and outcome. */
    /** The entity-resolution decisions about the shard (merges, possible matches, unmerges), newest first, with explanations. */
    @GetMapping("/{id}/matches")
    public Map<String, Object> matches(Caller caller, @PathVariable String id) {
        shards.find(caller.tenantId(), id).orElseThrow(() -> ApiException.notFound("shard"));
        return Map.of("items", decisions.forShard(caller.tenantId(), id, 200));
    }

    /** Splits a source record out of the shard onto a shard of its own (201 with it); never joined to this shard again. */
    @PostMapping("/{id}/unmerge")
    @ResponseStatus(HttpStatus.CREATED)
    public Shard unmerge(Caller caller, @PathVariable String id, @RequestBody(required = false) UnmergeRequest request) {
        if (request == null) {
            throw ApiException.badRequest("integrationId", "required: the source to split out (integrationId, entity, externalId)");
        }
        return merges.unmerge(caller, id, new ShardMerges.SourceRecord(Validation.requiredText("integrationId", request.integrationId(), 36),
                Validation.requiredText("entity", request.entity(), 100), Validation.requiredText("externalId", request.externalId(), 255)));
    }

    @GetMapping("/{id}/writes")
    public Map<String, Object> writes(Caller caller, @PathVariable String id) {
        shards.find(caller.tenantId(), id).orElseThrow(() -> ApiException.notFound("shard"));
        return Map.of("items", outbox.forShard(caller.tenantId(), id).stream().map(ShardController::view).toList());
    }

    private static Map<String, Object> view(OutboxEntry e) {
        Map<String, Object> view = new java.util.LinkedHashMap<>();
        view.put("id", e.id());
        view.put("integrationId", e.integrationId());
        view.put("entity", e.entity());
        view.put("operation", e.operation());
        view.put("fields", e.changedFields());
        view.put("status", e.status());
        view.put("attempts", e.attempts());
        view.put("outcome", e.outcome());
        view.put("createdAt", e.createdAt());
        view.put("relayedAt", e.relayedAt());
        view.put("finishedAt", e.finishedAt());
        return view;
    }
}
