package store;

import java.time.OffsetDateTime;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One step of a sync run's timeline. {@code step}: {@code phase} (the run started, resumed, moved to its deletions, ended),
 * {@code page} (a page fetched and written, with its counts and how long each took), {@code retry} (a provider call
 * failed and is tried again), {@code wait} (the run went back on its queue for provider budget: the hub's rate limit, the
 * provider's 429 and Retry-After, an open circuit, or a provider still down). {@code detail} says it in words, {@code data}
 * in fields; {@code seq} orders the steps.
 */
public record ExecutionStep(long seq, String executionId, OffsetDateTime at, String step, String detail, Map<String, Object> data) {

    public static final String PHASE = "phase";
    public static final String PAGE = "page";
    public static final String RETRY = "retry";
    public static final String WAIT = "wait";

    /** What a person reads in the step column: a phase step by its phase (started or resumed for a run's start), else its kind. */
    @JsonIgnore
    public String label() {
        if (!PHASE.equals(step)) {
            return step;
        }
        Object resumed = data.get("resumed");
        if (resumed instanceof Boolean b) {
            return b ? "resumed" : "started";
        }
        return String.valueOf(data.getOrDefault("phase", step));
    }
}
