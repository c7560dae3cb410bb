package ratelimits;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Reads what a provider's HTTP response says about the provider's rate budget.
 *
 * <p>Header families handled (see PROVIDERS.md section 2):
 * <ul>
 *   <li>Salesforce: {@code Sforce-Limit-Info} ({@code api-usage=18/5000}, {@code api-bursts=1/750},
 *       {@code per-app-api-usage=17/250(appName=Foo)}).</li>
 *   <li>GitHub, Zoom and many others: {@code X-RateLimit-Limit}, {@code -Remaining}, {@code -Used},
 *       {@code -Reset} (epoch seconds, or seconds from now when small).</li>
 *   <li>HubSpot: {@code X-HubSpot-RateLimit-Max}/{@code -Remaining} (+ {@code -Interval-Milliseconds}),
 *       {@code -Secondly}/{@code -Secondly-Remaining}, {@code -Daily}/{@code -Daily-Remaining}.</li>
 *   <li>Dataverse: {@code x-ms-ratelimit-burst-remaining-xrm-requests},
 *       {@code x-ms-ratelimit-time-remaining-xrm-requests}.</li>
 *   <li>{@code Retry-After} (seconds or HTTP-date): Notion, Slack, Microsoft Graph, Gong, Dataverse, GitHub, Zoom.</li>
 * </ul>
 *
 * <p>When several budgets are reported, the one with the smallest remaining fraction wins. A response is
 * "refused" on 429, 529 (Notion service_overload), 503, and on a rate-limit 403 (GitHub: remaining 0 or a
 * Retry-After). Bad header values never throw; they are treated as absent.
 */
public final class ProviderRateHeaders {

    /** Reset values at or above this are epoch seconds; below it, seconds from now. */
    private static final long EPOCH_SECONDS_THRESHOLD = 1_000_000_000L;

    // Dataverse service-protection limits per user per server, per 5-minute sliding window.
    // Documented-but-unverified (PROVIDERS.md marks them [U]): 6,000 requests and
    // 20 minutes (1,200,000 ms) of combined execution time.
    private static final long DATAVERSE_BURST_LIMIT = 6_000L;
    private static final long DATAVERSE_TIME_LIMIT_MS = 1_200_000L;

    private ProviderRateHeaders() {
    }

    /** Reads the response's rate-limit headers. header: case-insensitive lookup of one header value (null when absent). */
    public static RateSignal read(int status, Function<String, String> header, Instant now) {
        Function<String, String> lookup = header == null ? name -> null : header;

        List<Budget> budgets = new ArrayList<>();
        addIfPresent(budgets, salesforce(lookup));
        addIfPresent(budgets, xRateLimit(lookup, now));
        addIfPresent(budgets, hubSpot(lookup, now));
        addIfPresent(budgets, dataverse(lookup));

        Budget chosen = tightest(budgets);
        Duration retryAfter = retryAfter(lookup.apply("Retry-After"), now);
        boolean refused = refused(status, budgets, retryAfter);

        if (chosen == null) {
            return new RateSignal(null, null, null, retryAfter, refused);
        }
        return new RateSignal(chosen.limit, chosen.remaining, chosen.resetAt, retryAfter, refused);
    }

    /** Convenience: the same from a map whose keys may be in any case. */
    public static RateSignal read(int status, Map<String, String> headers, Instant now) {
        Map<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach((name, value) -> {
                if (name != null) {
                    byName.put(name, value);
                }
            });
        }
        return read(status, byName::get, now);
    }

    /** One reported budget: any part may be null. */
    private record Budget(Long limit, Long remaining, Instant resetAt) {

        Double fraction() {
            return new RateSignal(limit, remaining, resetAt, null, false).remainingFraction();
        }

        boolean isEmpty() {
            return limit == null && remaining == null && resetAt == null;
        }
    }

    // ---- Salesforce ------------------------------------------------------------------------------

    /** Sforce-Limit-Info: "name=used/limit" entries separated by ';', an entry may end in "(appName=…)". */
    private static Budget salesforce(Function<String, String> header) {
        String info = header.apply("Sforce-Limit-Info");
        if (info == null) {
            return null;
        }
        List<Budget> entries = new ArrayList<>();
        for (String entry : info.split(";")) {
            addIfPresent(entries, salesforceEntry(entry));
        }
        return tightest(entries);
    }

    private static Budget salesforceEntry(String entry) {
        int equals = entry.indexOf('=');
        if (equals < 0) {
            return null;
        }
        String usage = entry.substring(equals + 1);
        int paren = usage.indexOf('(');
        if (paren >= 0) {
            usage = usage.substring(0, paren);
        }
        int slash = usage.indexOf('/');
        if (slash < 0) {
            return null;
        }
        Long used = parseCount(usage.substring(0, slash));
        Long limit = parseCount(usage.substring(slash + 1));
        if (used == null || limit == null || limit <= 0) {
            return null;
        }
        return new Budget(limit, Math.max(0L, limit - used), null);
    }

    // ---- X-RateLimit-* (GitHub, Zoom, …) ---------------------------------------------------------

    private static Budget xRateLimit(Function<String, String> header, Instant now) {
        Long limit = parseCount(header.apply("X-RateLimit-Limit"));
        Long remaining = parseCount(header.apply("X-RateLimit-Remaining"));
        Long used = parseCount(header.apply("X-RateLimit-Used"));
        if (remaining == null && limit != null && used != null) {
            remaining = Math.max(0L, limit - used);
        }
        Instant resetAt = resetAt(parseCount(header.apply("X-RateLimit-Reset")), now);
        return new Budget(limit, remaining, resetAt);
    }

    /** A reset value >= 1e9 is epoch seconds; a smaller one is seconds from now. */
    private static Instant resetAt(Long reset, Instant now) {
        if (reset == null) {
            return null;
        }
        try {
            return reset >= EPOCH_SECONDS_THRESHOLD ? Instant.ofEpochSecond(reset) : now.plusSeconds(reset);
        } catch (DateTimeException | ArithmeticException e) {
            return null;
        }
    }

    // ---- HubSpot ---------------------------------------------------------------------------------

    private static Budget hubSpot(Function<String, String> header, Instant now) {
        List<Budget> pairs = new ArrayList<>();

        Long intervalMs = parseCount(header.apply("X-HubSpot-RateLimit-Interval-Milliseconds"));
        Long remaining = parseCount(header.apply("X-HubSpot-RateLimit-Remaining"));
        Instant intervalReset = remaining != null && intervalMs != null ? plusMillis(now, intervalMs) : null;
        addIfPresent(pairs, new Budget(parseCount(header.apply("X-HubSpot-RateLimit-Max")), remaining, intervalReset));

        Long secondlyRemaining = parseCount(header.apply("X-HubSpot-RateLimit-Secondly-Remaining"));
        Instant secondlyReset = secondlyRemaining != null ? now.plusSeconds(1) : null;
        addIfPresent(pairs, new Budget(parseCount(header.apply("X-HubSpot-RateLimit-Secondly")),
                secondlyRemaining, secondlyReset));

        addIfPresent(pairs, new Budget(parseCount(header.apply("X-HubSpot-RateLimit-Daily")),
                parseCount(header.apply("X-HubSpot-RateLimit-Daily-Remaining")), null));

        return tightest(pairs);
    }

    private static Instant plusMillis(Instant now, long millis) {
        try {
            return now.plusMillis(millis);
        } catch (DateTimeException | ArithmeticException e) {
            return null;
        }
    }

    // ---- Dataverse -------------------------------------------------------------------------------

    private static Budget dataverse(Function<String, String> header) {
        List<Budget> budgets = new ArrayList<>();
        Long burstRemaining = parseCount(header.apply("x-ms-ratelimit-burst-remaining-xrm-requests"));
        if (burstRemaining != null) {
            budgets.add(new Budget(DATAVERSE_BURST_LIMIT, burstRemaining, null));
        }
        Long timeRemainingMs = parseCount(header.apply("x-ms-ratelimit-time-remaining-xrm-requests"));
        if (timeRemainingMs != null) {
            budgets.add(new Budget(DATAVERSE_TIME_LIMIT_MS, timeRemainingMs, null));
        }
        return tightest(budgets);
    }

    // ---- Retry-After and refusal -----------------------------------------------------------------

    /** Integer or decimal seconds (rounded up to whole ms), or an RFC 1123 HTTP-date; garbage gives null. */
    private static Duration retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.trim();
        if (isDecimalNumber(trimmed)) {
            try {
                long millis = new BigDecimal(trimmed).movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact();
                return Duration.ofMillis(millis);
            } catch (ArithmeticException e) {
                return null;
            }
        }
        try {
            Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(now, at);
            return wait.isNegative() ? Duration.ZERO : wait;
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static boolean refused(int status, List<Budget> budgets, Duration retryAfter) {
        if (status == 429 || status == 503 || status == 529) {
            return true;
        }
        if (status == 403) {
            boolean exhausted = budgets.stream().anyMatch(b -> b.remaining != null && b.remaining == 0L);
            return exhausted || retryAfter != null;
        }
        return false;
    }

    // ---- Helpers ---------------------------------------------------------------------------------

    private static void addIfPresent(List<Budget> budgets, Budget budget) {
        if (budget != null && !budget.isEmpty()) {
            budgets.add(budget);
        }
    }

    /** The budget with the smallest remaining fraction; one without a fraction loses. Ties keep the first. */
    private static Budget tightest(List<Budget> budgets) {
        Budget best = null;
        Double bestFraction = null;
        for (Budget budget : budgets) {
            Double fraction = budget.fraction();
            if (best == null || (fraction != null && (bestFraction == null || fraction < bestFraction))) {
                best = budget;
                bestFraction = fraction;
            }
        }
        return best;
    }

    /** A non-negative whole number, or null when absent or unparseable. */
    private static Long parseCount(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        if (trimmed.isEmpty() || !allDigits(trimmed)) {
            return null;
        }
        try {
            return Long.parseLong(trimmed);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean allDigits(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Digits with at most one '.', digits on both sides when present (e.g. "120", "1.5"). */
    private static boolean isDecimalNumber(String text) {
        int dot = text.indexOf('.');
        if (dot < 0) {
            return !text.isEmpty() && allDigits(text);
        }
        String whole = text.substring(0, dot);
        String fraction = text.substring(dot + 1);
        return !whole.isEmpty() && !fraction.isEmpty() && allDigits(whole) && allDigits(fraction);
    }
}
