package sandbox.kit;

import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * Whether a workspace lets an API call in, and how slowly: its rate windows, an optional daily allowance, the calls
 * each refused (violations, so tests can assert there were none), and the latency added to every call it lets in, as
 * a provider across the internet would take.
 *
 * <p>A window is declared once by name ({@code "requests"}, HubSpot's {@code "TEN_SECONDLY_ROLLING"}, a Slack tier)
 * with its limit and length (limit 0: off) and is kept per caller: a workspace-wide limit uses one caller
 * ({@link #admit(String...)}), a per-user one (Dataverse) or per-token one (GitHub) names the caller. A call names the
 * windows it counts against; they are tried in that order after the daily allowance, and the first that refuses
 * decides (the ones before it have counted the call). A call let in counts against the daily allowance and then waits
 * out the latency; a refused call does not wait.
 */
public final class CallAdmission {

    /** What one call got: let in or refused (by which window, or the daily allowance), and the windows as they stand. */
    public record Admission(String refusedBy, long retryAfterSeconds, Map<String, RateWindow.Decision> windows,
            int dailyLimit, long dailyRemaining) {

        public boolean allowed() {
            return refusedBy == null;
        }

        /** The decision of a window the call counted against; null when the window is off or was not reached. */
        public RateWindow.Decision window(String name) {
            return windows.get(name);
        }
    }

    /** A window's settings, kept for callers to come, and each caller's window. */
    private static final class Window {
        int limit;
        Duration length;
        final Map<String, RateWindow> byCaller = new ConcurrentHashMap<>();

        Window(int limit, Duration length) {
            this.limit = limit;
            this.length = length;
        }
    }

    private static final String WORKSPACE = "";

    private final Clock clock;
    private final int configuredLatencyMs;
    private final LongConsumer sleeper;
    private final Map<String, Window> windows = new LinkedHashMap<>();
    private String dailyName;
    private DailyQuota daily;
    private volatile Integer latencyOverride;

    /** No windows yet; every call let in waits {@code latencyMs}. */
    public CallAdmission(Clock clock, int latencyMs) {
        this(clock, latencyMs, CallAdmission::sleep);
    }

    /** With the waiting done by {@code sleeper} (milliseconds), for tests of the latency. */
    public CallAdmission(Clock clock, int latencyMs, LongConsumer sleeper) {
        this.clock = clock;
        this.configuredLatencyMs = Math.max(0, latencyMs);
        this.sleeper = sleeper;
    }

    /** Declares a window of {@code limit} calls (0: off) per {@code length}, per caller. */
    public synchronized CallAdmission window(String name, int limit, Duration length) {
        new RateWindow(clock).configure(limit, length); // refuses what a window would refuse
        windows.put(name, new Window(limit, length));
        return this;
    }

    /** Declares the daily allowance, checked before every window and counted by every call let in. */
    public synchronized CallAdmission daily(String name, int limit) {
        this.dailyName = name;
        this.daily = new DailyQuota(clock, limit);
        return this;
    }

    /** Admits a call of the workspace as a whole against the named windows (none: the daily allowance and latency only). */
    public Admission admit(String... windowNames) {
        return admitFor(WORKSPACE, windowNames);
    }

    /** Admits a call of one caller (a user, a token) against its own windows of those names. */
    public Admission admitFor(String caller, String... windowNames) {
        Admission admission = decide(caller, windowNames);
        if (admission.allowed()) {
            delay();
        }
        return admission;
    }

    private synchronized Admission decide(String caller, String... windowNames) {
        int dailyLimit = daily == null ? 0 : daily.limit();
        if (daily != null) {
            long retryAfter = daily.refusal();
            if (retryAfter > 0) {
                return new Admission(dailyName, retryAfter, Map.of(), dailyLimit, 0);
            }
        }
        Map<String, RateWindow.Decision> decisions = new LinkedHashMap<>();
        for (String name : windowNames) {
            RateWindow.Decision decision = window(name, caller).acquire();
            if (decision == null) {
                continue;
            }
            decisions.put(name, decision);
            if (!decision.allowed()) {
                return new Admission(name, decision.retryAfterSeconds(), Collections.unmodifiableMap(decisions),
                        dailyLimit, daily == null ? 0 : daily.remaining());
            }
        }
        long remaining = 0;
        if (daily != null) {
            daily.count();
            remaining = daily.remaining();
        }
        return new Admission(null, 0, Collections.unmodifiableMap(decisions), dailyLimit, remaining);
    }

    /** The workspace-wide window of that name (made on first use), to read or to configure directly. */
    public RateWindow window(String name) {
        return window(name, WORKSPACE);
    }

    /** One caller's window of that name, made on first use with the window's settings. */
    public synchronized RateWindow window(String name, String caller) {
        Window window = declared(name);
        return window.byCaller.computeIfAbsent(caller, c -> {
            RateWindow made = new RateWindow(clock);
            made.configure(window.limit, window.length);
            return made;
        });
    }

    /** Changes a window for every caller now and to come; null keeps the limit or the length as it is. */
    public synchronized void configure(String name, Integer limit, Duration length) {
        Window window = declared(name);
        int newLimit = limit == null ? window.limit : limit;
        Duration newLength = length == null ? window.length : length;
        new RateWindow(clock).configure(newLimit, newLength);
        window.limit = newLimit;
        window.length = newLength;
        window.byCaller.values().forEach(w -> w.configure(newLimit, newLength));
    }

    /** The window's limit (0: off) for callers to come. */
    public synchronized int limit(String name) {
        return declared(name).limit;
    }

    public synchronized Duration length(String name) {
        return declared(name).length;
    }

    /** Calls let in within the current windows of that name, all callers together. */
    public synchronized int used(String name) {
        return declared(name).byCaller.values().stream().mapToInt(RateWindow::used).sum();
    }

    /** Calls a window of that name refused, all callers together. */
    public synchronized long violations(String name) {
        if (name.equals(dailyName)) {
            return daily.violations();
        }
        return declared(name).byCaller.values().stream().mapToLong(RateWindow::violations).sum();
    }

    /** Calls refused by any window or the daily allowance. */
    public synchronized long violations() {
        long sum = daily == null ? 0 : daily.violations();
        for (String name : windows.keySet()) {
            sum += violations(name);
        }
        return sum;
    }

    /** The daily allowance, or null when there is none. */
    public synchronized DailyQuota daily() {
        return daily;
    }

    /** The latency added to every call let in: the workspace's own, or the configured one. */
    public int latencyMs() {
        Integer own = latencyOverride;
        return own != null ? own : configuredLatencyMs;
    }

    public int configuredLatencyMs() {
        return configuredLatencyMs;
    }

    /** The workspace's own latency (null: the configured one applies). */
    public Integer latencyOverride() {
        return latencyOverride;
    }

    public void overrideLatency(Integer latencyMs) {
        if (latencyMs != null && latencyMs < 0) {
            throw new IllegalArgumentException("latency must not be negative: " + latencyMs);
        }
        this.latencyOverride = latencyMs;
    }

    /** Waits out the latency (what {@link #admitFor} does for each call it lets in). */
    public void delay() {
        int latency = latencyMs();
        if (latency > 0) {
            sleeper.accept(latency);
        }
    }

    private Window declared(String name) {
        Window window = windows.get(name);
        if (window == null) {
            throw new IllegalArgumentException("no rate window " + name + " declared; declared: " + windows.keySet());
        }
        return window;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
