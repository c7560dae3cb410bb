package api;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import processors.writeback.ConflictResolution;
import security.Caller;
import store.Conflict;
import store.ConflictStore;
import store.Cursor;
import store.Page;

/** Field conflicts between Castiel and providers: listed, and resolved by keeping one side or choosing values. */
@RestController
@RequestMapping("/api/tenant/conflicts")
public class ConflictController {

    private final ConflictStore conflicts;
    private final ConflictResolution resolution;

    public ConflictController(ConflictStore conflicts, ConflictResolution resolution) {
        this.conflicts = conflicts;
        this.resolution = resolution;
    }

    @GetMapping
    public Page<Conflict> list(Caller caller, @RequestParam(required = false) String status, @RequestParam(required = false) String shardId,
                               @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
        Conflict.Status checked = Validation.status("status", status, Conflict.Status.class);
        return conflicts.list(caller.tenantId(), checked, shardId, Cursor.decode(cursor), Cursor.limit(limit, 50, 500));
    }

    @GetMapping("/{id}")
    public Conflict get(Caller caller, @PathVariable String id) {
        return conflicts.find(caller.tenantId(), id).orElseThrow(() -> ApiException.notFound("conflict"));
    }

    @PostMapping("/{id}/resolve")
    public Conflict resolve(Caller caller, @PathVariable String id, @RequestBody(required = false) ConflictResolution.Request request) {
        return resolution.resolve(caller, id, request);
    }
}
