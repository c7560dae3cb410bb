package api;

import java.util.Set;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import security.Caller;
import store.Cursor;
import store.Page;
import store.RelationStore;
import store.Shard.Relation;

/**
 * The tenant's relations by state. {@code GET /api/tenant/relations?status=orphaned} lists relations whose target has
 * no live shard (its record not synced yet, deleted, or its shard deleted), with why; each mends itself when its target
 * arrives or returns. A shard's own relations, both ways, are on {@code GET /api/tenant/shards/{id}}.
 */
@RestController
@RequestMapping("/api/tenant/relations")
public class RelationController {

    private final RelationStore relations;

    public RelationController(RelationStore relations) {
        this.relations = relations;
    }

    @GetMapping
    public Page<RelationStore.Orphaned> list(Caller caller, @RequestParam(required = false) String status,
                                            @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
        if (status == null) {
            throw ApiException.badRequest("status", "required: orphaned (a shard's own relations are on /api/tenant/shards/{id})");
        }
        Validation.oneOf("status", status, Set.of(Relation.ORPHANED), null);
        return relations.orphaned(caller.tenantId(), Cursor.decode(cursor), Cursor.limit(limit, 100, 1000));
    }
}
