package api;

import java.time.Duration;
import java.time.OffsetDateTime;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.databind.JsonNode;

import hub.InvalidInputException;
import processors.resolution.ResolutionRuns;
import security.Caller;
import store.Cursor;
import store.Page;
import store.ResolutionRun;

/**
 * Batch entity resolution of the caller's tenant's shards that exist already (after match rules change or an integration
 * is added): {@code POST {"shardType": "c_contact"}} starts a run in the background (202), {@code GET} shows its progress
 * and counts, the list the tenant's runs, newest first.
 */
@RestController
@RequestMapping("/api/tenant/resolution-runs")
public class ResolutionRunController {

    /** A run as the API shows it. {@code attempts} above one: the run resumed after a crash or a stop. */
    public record View(String id, String shardType, String status, String phase, Progress progress, ResolutionRun.Counts counts,
                       int attempts, String error, String requestedBy, OffsetDateTime createdAt, OffsetDateTime startedAt,
                       OffsetDateTime finishedAt, Long durationMs) {

        static View of(ResolutionRun r) {
            Long duration = r.startedAt() == null || r.finishedAt() == null ? null : Duration.between(r.startedAt(), r.finishedAt()).toMillis();
            return new View(r.id(), r.shardType(), r.status().value(), r.phase().value(),
                    new Progress(r.shardsTotal(), r.shardsIndexed(), r.shardsMatched()), r.counts(), r.attempts(), r.error(), r.requestedBy(),
                    r.createdAt(), r.startedAt(), r.finishedAt(), duration);
        }
    }

    /** How far the run is: shards to go through, whose keys are indexed, which were matched. */
    public record Progress(long shardsTotal, long shardsIndexed, long shardsMatched) {
    }

    private final ResolutionRuns runs;

    public ResolutionRunController(ResolutionRuns runs) {
        this.runs = runs;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.ACCEPTED)
    public View start(Caller caller, @RequestBody(required = false) JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidInputException(null, "expected {\"shardType\": ...}");
        }
        JsonNode type = body.get("shardType");
        if (type != null && !type.isTextual()) {
            throw new InvalidInputException("shardType", "a shard type name, such as c_contact");
        }
        return View.of(runs.start(caller, type == null ? null : type.asText()));
    }

    @GetMapping
    public Page<View> list(Caller caller, @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
        Page<ResolutionRun> page = runs.list(caller, Cursor.decode(cursor), Cursor.limit(limit, 20, 200));
        return new Page<>(page.items().stream().map(View::of).toList(), page.nextCursor());
    }

    @GetMapping("/{id}")
    public View get(Caller caller, @PathVariable String id) {
        return View.of(runs.find(caller, id));
    }
}
