package api;

import java.util.Set;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import hub.ShardTypes;
import security.Caller;
import store.BlockingKeyStore;
import store.BlockingKeyStore.ShardKeys;
import store.Cursor;
import store.Page;

/**
 * The blocking keys entity resolution holds for the tenant's shards of a type, read-only: a record is compared only with
 * shards sharing one of its keys, so two shards without a key in common were never candidates for each other.
 */
@RestController
@RequestMapping("/api/tenant/blocking-keys")
public class BlockingKeyController {

    private final BlockingKeyStore keys;

    public BlockingKeyController(BlockingKeyStore keys) {
        this.keys = keys;
    }

    /** Shards with keys, by id, each with its keys ({@code shardType} required). */
    @GetMapping
    public Page<ShardKeys> list(Caller caller, @RequestParam(required = false) String shardType, @RequestParam(required = false) Integer limit,
                                @RequestParam(required = false) String cursor) {
        String type = Validation.oneOf("shardType", Validation.requiredText("shardType", shardType, 40), Set.copyOf(ShardTypes.ALL), null);
        return keys.page(caller.tenantId(), type, Cursor.decode(cursor), Cursor.limit(limit, 100, 1000));
    }
}
