package api;

import java.util.Set;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import hub.ApiException;
import hub.ShardTypes;
import security.Caller;
import store.Cursor;
import store.Page;
import store.Shard;
import store.ShardStore;

/** The tenant's shards, with where each came from. */
@RestController
@RequestMapping("/api/tenant/shards")
public class ShardController {


    private final ShardStore shards;

    public ShardController(ShardStore shards) {
        this.shards = shards;
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
}
