package sandbox.teams_workflows;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import sandbox.kit.CallAdmission;

/**
 * One Teams Workflows flow ("Post to a channel when a webhook request is received"): its id and signature, the runs its
 * webhook started (each card, and whether posting it to the channel worked), its pace (requests a second, 429 above),
 * and answers a test queued to come first (a 500, a 400 ...).
 */
final class TeamsWorkflow {

    static final String RATE = "per-second";
    /** A Teams message (its card included) over this many bytes is not posted: the run fails. */
    static final int MAX_MESSAGE_BYTES = 28 * 1024;

    /** One request of the webhook: its card, the status answered, and how the run ended (posted, or why not). */
    record Run(JsonNode card, int status, boolean posted, String failure, Instant at) {
    }

    /** An answer queued by setup: {@code times} requests answer {@code status} (with {@code retryAfter} seconds on 429/503). */
    record Queued(int status, int times, Long retryAfter) {
    }

    final String id;
    final String name;
    final String sig;
    final CallAdmission calls;
    private final Clock clock;
    private final List<Run> runs = new ArrayList<>();
    private Queued queued;

    TeamsWorkflow(String id, String name, String sig, int perSecond, Clock clock) {
        this.id = id;
        this.name = name;
        this.sig = sig;
        this.clock = clock;
        this.calls = new CallAdmission(clock, 0).window(RATE, perSecond, Duration.ofSeconds(1));
    }

    synchronized void record(JsonNode card, int status, boolean posted, String failure) {
        runs.add(new Run(card, status, posted, failure, clock.instant()));
    }

    synchronized List<Run> runs() {
        return List.copyOf(runs);
    }

    synchronized void queue(Queued answer) {
        queued = answer.times() <= 0 ? null : answer;
    }

    /** The next queued answer, used up; null when none is queued. */
    synchronized Queued takeQueued() {
        if (queued == null) {
            return null;
        }
        Queued now = queued;
        queued = now.times() <= 1 ? null : new Queued(now.status(), now.times() - 1, now.retryAfter());
        return now;
    }
}
