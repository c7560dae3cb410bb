package api;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import processors.resolution.MatchReview;
import security.Caller;
import store.Cursor;
import store.MatchDecision;
import store.MatchDecisionStore;
import store.Page;

/**
 * Entity-resolution decisions: the review queue ({@code ?status=pending}: possible matches and differing values waiting
 * for a person), and a person's answer. Every decision carries its explanation.
 */
@RestController
@RequestMapping("/api/tenant/matches")
public class MatchController {

    private final MatchDecisionStore decisions;
    private final MatchReview review;

    public MatchController(MatchDecisionStore decisions, MatchReview review) {
        this.decisions = decisions;
        this.review = review;
    }

    @GetMapping
    public Page<MatchDecision> list(Caller caller, @RequestParam(required = false) String status, @RequestParam(required = false) Integer limit,
                                    @RequestParam(required = false) String cursor) {
        MatchDecision.Status checked = status == null ? MatchDecision.Status.PENDING
                : Validation.status("status", status, MatchDecision.Status.class);
        return decisions.list(caller.tenantId(), checked, Cursor.decode(cursor), Cursor.limit(limit, 50, 500));
    }

    @GetMapping("/{id}")
    public MatchDecision get(Caller caller, @PathVariable String id) {
        return decisions.find(caller.tenantId(), id).orElseThrow(() -> ApiException.notFound("match"));
    }

    @PostMapping("/{id}/accept")
    public MatchDecision accept(Caller caller, @PathVariable String id) {
        return review.accept(caller, id);
    }

    @PostMapping("/{id}/reject")
    public MatchDecision reject(Caller caller, @PathVariable String id) {
        return review.reject(caller, id);
    }
}
