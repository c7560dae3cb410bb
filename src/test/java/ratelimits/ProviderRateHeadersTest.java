package ratelimits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import providers.dynamics365.DataverseRateHeaders;
import providers.hubspot.HubSpotRateHeaders;
import providers.salesforce.SalesforceRateHeaders;

class ProviderRateHeadersTest {

    /** Sun, 15 Jun 2025 15:06:40 GMT. */
    private static final Instant NOW = Instant.ofEpochSecond(1_750_000_000L);

    /** The readers as the hub finds them: one bean per provider with headers of its own. */
    private static final ProviderRateHeaders HEADERS = new ProviderRateHeaders(
            List.of(new SalesforceRateHeaders(), new HubSpotRateHeaders(), new DataverseRateHeaders()));

    private static RateSignal read(String provider, int status, String... namesAndValues) {
        Map<String, String> headers = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return HEADERS.read(provider, status, headers, NOW);
    }

    // ---- Salesforce ------------------------------------------------------------------------------

    @Test
    void salesforceApiUsage() {
        RateSignal signal = read("salesforce", 200, "Sforce-Limit-Info", "api-usage=18/5000");

        assertThat(signal.limit()).isEqualTo(5000L);
        assertThat(signal.remaining()).isEqualTo(4982L);
        assertThat(signal.resetAt()).isNull();
        assertThat(signal.refused()).isFalse();
        assertThat(signal.empty()).isFalse();
    }

    @Test
    void salesforceNewerFormReportsTheTighterEntry() {
        RateSignal usageTighter = read("salesforce", 200, "Sforce-Limit-Info", "api-usage=10018/100000; api-bursts=1/750");
        assertThat(usageTighter.limit()).isEqualTo(100000L);
        assertThat(usageTighter.remaining()).isEqualTo(89982L);

        RateSignal burstsTighter = read("salesforce", 200, "Sforce-Limit-Info", "api-usage=10018/100000; api-bursts=700/750");
        assertThat(burstsTighter.limit()).isEqualTo(750L);
        assertThat(burstsTighter.remaining()).isEqualTo(50L);
    }

    @Test
    void salesforcePerAppUsageWithAppName() {
        RateSignal signal = read("salesforce", 200, "Sforce-Limit-Info", "per-app-api-usage=17/250(appName=Foo)");

        assertThat(signal.limit()).isEqualTo(250L);
        assertThat(signal.remaining()).isEqualTo(233L);
    }

    @Test
    void salesforceOverTheLimitClampsRemainingAtZeroAndA403IsRefused() {
        RateSignal signal = read("salesforce", 403, "Sforce-Limit-Info", "api-usage=5012/5000");

        assertThat(signal.limit()).isEqualTo(5000L);
        assertThat(signal.remaining()).isZero();
        assertThat(signal.remainingFraction()).isEqualTo(0.0);
        assertThat(signal.refused()).isTrue();
    }

    @Test
    void salesforceMalformedEntriesAreIgnored() {
        RateSignal signal = read("salesforce", 200, "Sforce-Limit-Info",
                "junk; api-usage=abc/5000; api-bursts=10/0; api-x=5; api-y=-3/10; api-usage=18/5000");
        assertThat(signal.limit()).isEqualTo(5000L);
        assertThat(signal.remaining()).isEqualTo(4982L);

        assertThat(read("salesforce", 200, "Sforce-Limit-Info", "nonsense/garbage").empty()).isTrue();
    }

    // ---- X-RateLimit-* ---------------------------------------------------------------------------

    @Test
    void gitHubHeadersWithEpochReset() {
        RateSignal signal = read("github", 200,
                "x-ratelimit-limit", "5000",
                "x-ratelimit-remaining", "4999",
                "x-ratelimit-used", "1",
                "x-ratelimit-reset", "1750003600",
                "x-ratelimit-resource", "core");

        assertThat(signal.limit()).isEqualTo(5000L);
        assertThat(signal.remaining()).isEqualTo(4999L);
        assertThat(signal.resetAt()).isEqualTo(Instant.ofEpochSecond(1_750_003_600L));
        assertThat(signal.refused()).isFalse();
    }

    @Test
    void smallResetIsSecondsFromNow() {
        RateSignal signal = read("github", 200,
                "X-RateLimit-Limit", "30",
                "X-RateLimit-Remaining", "12",
                "X-RateLimit-Reset", "45");

        assertThat(signal.resetAt()).isEqualTo(NOW.plusSeconds(45));
    }

    @Test
    void resetAtTheThresholdIsEpochSeconds() {
        RateSignal signal = read("github", 200, "X-RateLimit-Reset", "1000000000");

        assertThat(signal.resetAt()).isEqualTo(Instant.ofEpochSecond(1_000_000_000L));
    }

    @Test
    void usedWithoutRemainingGivesRemaining() {
        RateSignal signal = read("github", 200, "X-RateLimit-Limit", "5000", "X-RateLimit-Used", "4990");

        assertThat(signal.remaining()).isEqualTo(10L);
    }

    @Test
    void zoomHeaders() {
        RateSignal signal = read("zoom", 200,
                "X-RateLimit-Category", "Light",
                "X-RateLimit-Type", "QPS",
                "X-RateLimit-Limit", "30",
                "X-RateLimit-Remaining", "29");

        assertThat(signal.limit()).isEqualTo(30L);
        assertThat(signal.remaining()).isEqualTo(29L);
        assertThat(signal.resetAt()).isNull();
    }

    @Test
    void unparseableNumbersAreIgnoredWithoutThrowing() {
        for (String provider : List.of("github", "hubspot", "dynamics365")) {
            RateSignal signal = read(provider, 200,
                    "X-RateLimit-Limit", "lots",
                    "X-RateLimit-Remaining", "-1",
                    "X-RateLimit-Reset", "99999999999999999999",
                    "X-HubSpot-RateLimit-Max", "1e3",
                    "X-HubSpot-RateLimit-Remaining", "",
                    "x-ms-ratelimit-burst-remaining-xrm-requests", "12.5");
            assertThat(signal.empty()).as(provider).isTrue();
        }

        RateSignal resetBeyondInstant = read("github", 200, "X-RateLimit-Reset", "9000000000000000000");
        assertThat(resetBeyondInstant.resetAt()).isNull();
    }

    // ---- HubSpot ---------------------------------------------------------------------------------

    @Test
    void hubSpotIntervalPairSetsResetFromInterval() {
        RateSignal signal = read("hubspot", 200,
                "X-HubSpot-RateLimit-Interval-Milliseconds", "10000",
                "X-HubSpot-RateLimit-Max", "100",
                "X-HubSpot-RateLimit-Remaining", "5",
                "X-HubSpot-RateLimit-Daily", "250000",
                "X-HubSpot-RateLimit-Daily-Remaining", "200000");

        assertThat(signal.limit()).isEqualTo(100L);
        assertThat(signal.remaining()).isEqualTo(5L);
        assertThat(signal.resetAt()).isEqualTo(NOW.plusMillis(10_000));
    }

    @Test
    void hubSpotDailyPairWinsWhenTighter() {
        RateSignal signal = read("hubspot", 200,
                "X-HubSpot-RateLimit-Interval-Milliseconds", "10000",
                "X-HubSpot-RateLimit-Max", "110",
                "X-HubSpot-RateLimit-Remaining", "100",
                "X-HubSpot-RateLimit-Daily", "250000",
                "X-HubSpot-RateLimit-Daily-Remaining", "1000");

        assertThat(signal.limit()).isEqualTo(250000L);
        assertThat(signal.remaining()).isEqualTo(1000L);
        assertThat(signal.resetAt()).isNull();
    }

    @Test
    void hubSpotSecondlyPairResetsInOneSecond() {
        RateSignal signal = read("hubspot", 200,
                "X-HubSpot-RateLimit-Max", "100",
                "X-HubSpot-RateLimit-Remaining", "90",
                "X-HubSpot-RateLimit-Secondly", "10",
                "X-HubSpot-RateLimit-Secondly-Remaining", "1");

        assertThat(signal.limit()).isEqualTo(10L);
        assertThat(signal.remaining()).isEqualTo(1L);
        assertThat(signal.resetAt()).isEqualTo(NOW.plusSeconds(1));
    }

    // ---- Dataverse -------------------------------------------------------------------------------

    @Test
    void dataverseExecutionTimeWinsWhenTighter() {
        RateSignal signal = read("dynamics365", 200,
                "x-ms-ratelimit-burst-remaining-xrm-requests", "5999",
                "x-ms-ratelimit-time-remaining-xrm-requests", "60000");

        assertThat(signal.limit()).isEqualTo(1_200_000L);
        assertThat(signal.remaining()).isEqualTo(60_000L);
        assertThat(signal.resetAt()).isNull();
    }

    @Test
    void dataverseBurstWinsWhenTighter() {
        RateSignal signal = read("dynamics365", 200,
                "x-ms-ratelimit-burst-remaining-xrm-requests", "30",
                "x-ms-ratelimit-time-remaining-xrm-requests", "1100000");

        assertThat(signal.limit()).isEqualTo(6000L);
        assertThat(signal.remaining()).isEqualTo(30L);
        assertThat(signal.resetAt()).isNull();
    }

    // ---- Across families -------------------------------------------------------------------------

    @Test
    void smallestFractionWinsAcrossFamilies() {
        RateSignal xRateLimitTighter = read("salesforce", 200,
                "Sforce-Limit-Info", "api-usage=18/5000",
                "X-RateLimit-Limit", "5000",
                "X-RateLimit-Remaining", "100");
        assertThat(xRateLimitTighter.limit()).isEqualTo(5000L);
        assertThat(xRateLimitTighter.remaining()).isEqualTo(100L);

        RateSignal dataverseTighter = read("dynamics365", 200,
                "X-RateLimit-Limit", "60",
                "X-RateLimit-Remaining", "59",
                "x-ms-ratelimit-burst-remaining-xrm-requests", "60");
        assertThat(dataverseTighter.limit()).isEqualTo(6000L);
        assertThat(dataverseTighter.remaining()).isEqualTo(60L);
    }

    @Test
    void familyWithoutFractionLosesToOneWithAFraction() {
        RateSignal signal = read("salesforce", 200,
                "X-RateLimit-Remaining", "3",
                "X-RateLimit-Reset", "60",
                "Sforce-Limit-Info", "api-usage=4000/5000");

        assertThat(signal.limit()).isEqualTo(5000L);
        assertThat(signal.remaining()).isEqualTo(1000L);
        assertThat(signal.resetAt()).isNull();
    }

    @Test
    void aProvidersOwnHeadersAreReadOnlyForItsResponses() {
        assertThat(read("github", 200, "Sforce-Limit-Info", "api-usage=18/5000").empty()).isTrue();
        assertThat(read("salesforce", 200, "X-HubSpot-RateLimit-Max", "100", "X-HubSpot-RateLimit-Remaining", "5").empty()).isTrue();
        assertThat(read("hubspot", 200, "X-HubSpot-RateLimit-Max", "100", "X-HubSpot-RateLimit-Remaining", "5").remaining()).isEqualTo(5L);
        assertThat(read(null, 200, "X-RateLimit-Limit", "60", "X-RateLimit-Remaining", "6").remaining()).isEqualTo(6L);
    }

    // ---- Retry-After -----------------------------------------------------------------------------

    @Test
    void retryAfterIntegerSeconds() {
        assertThat(read("github", 429, "Retry-After", "120").retryAfter()).isEqualTo(Duration.ofSeconds(120));
        assertThat(read("github", 429, "Retry-After", " 0 ").retryAfter()).isEqualTo(Duration.ZERO);
    }

    @Test
    void retryAfterDecimalSecondsRoundUpToWholeMillis() {
        assertThat(read("github", 429, "Retry-After", "1.5").retryAfter()).isEqualTo(Duration.ofMillis(1500));
        assertThat(read("github", 429, "Retry-After", "0.0001").retryAfter()).isEqualTo(Duration.ofMillis(1));
        assertThat(read("github", 429, "Retry-After", "2.0005").retryAfter()).isEqualTo(Duration.ofMillis(2001));
    }

    @Test
    void retryAfterHttpDateIsMeasuredFromNow() {
        assertThat(read("github", 503, "Retry-After", "Sun, 15 Jun 2025 15:08:10 GMT").retryAfter())
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(read("github", 503, "Retry-After", "Sun, 15 Jun 2025 14:50:00 GMT").retryAfter())
                .isEqualTo(Duration.ZERO);
    }

    @Test
    void retryAfterGarbageIsNull() {
        for (String garbage : new String[] {"soon", "-5", "", "1.", ".5", "1e3", "Sun, 32 Jun 2025 99:00:00 GMT"}) {
            assertThat(read("github", 429, "Retry-After", garbage).retryAfter()).as(garbage).isNull();
        }
    }

    // ---- Refusal ---------------------------------------------------------------------------------

    @Test
    void gitHub403WithRemainingZeroIsRefused() {
        RateSignal signal = read("github", 403,
                "x-ratelimit-limit", "5000",
                "x-ratelimit-remaining", "0",
                "x-ratelimit-used", "5000",
                "x-ratelimit-reset", "1750000300");

        assertThat(signal.refused()).isTrue();
        assertThat(signal.waitFor(NOW)).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void gitHub403WithBudgetLeftAndNoRetryAfterIsNotRefused() {
        RateSignal signal = read("github", 403,
                "x-ratelimit-limit", "5000",
                "x-ratelimit-remaining", "4321",
                "x-ratelimit-reset", "1750000300");

        assertThat(signal.refused()).isFalse();
        assertThat(signal.waitFor(NOW)).isNull();
    }

    @Test
    void gitHubSecondary403WithRetryAfterIsRefused() {
        RateSignal signal = read("github", 403,
                "x-ratelimit-limit", "5000",
                "x-ratelimit-remaining", "4321",
                "retry-after", "60");

        assertThat(signal.refused()).isTrue();
        assertThat(signal.waitFor(NOW)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void status429503And529AreRefusedOthersAreNot() {
        assertThat(read("github", 429).refused()).isTrue();
        assertThat(read("github", 503).refused()).isTrue();
        assertThat(read("github", 529).refused()).isTrue();
        assertThat(read("github", 529).empty()).isFalse();
        assertThat(read("github", 500).refused()).isFalse();
        assertThat(read("github", 403).refused()).isFalse();
        assertThat(read("github", 200).refused()).isFalse();
    }

    @Test
    void notionOverloadWithRetryAfter() {
        RateSignal signal = read("notion", 529, "Retry-After", "3");

        assertThat(signal.refused()).isTrue();
        assertThat(signal.waitFor(NOW)).isEqualTo(Duration.ofSeconds(3));
    }

    // ---- waitFor ---------------------------------------------------------------------------------

    @Test
    void waitForPrefersRetryAfterOverReset() {
        RateSignal signal = read("github", 429,
                "X-RateLimit-Limit", "100",
                "X-RateLimit-Remaining", "0",
                "X-RateLimit-Reset", "600",
                "Retry-After", "30");

        assertThat(signal.waitFor(NOW)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void waitForFallsBackToResetWhenRefused() {
        RateSignal signal = read("github", 429, "X-RateLimit-Limit", "100", "X-RateLimit-Remaining", "7", "X-RateLimit-Reset", "600");

        assertThat(signal.waitFor(NOW)).isEqualTo(Duration.ofSeconds(600));
    }

    @Test
    void waitForUsesResetWhenRemainingIsZeroEvenIfNotRefused() {
        RateSignal signal = read("github", 200, "X-RateLimit-Limit", "100", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "20");

        assertThat(signal.refused()).isFalse();
        assertThat(signal.waitFor(NOW)).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void waitForIsNeverNegative() {
        RateSignal signal = read("github", 429, "X-RateLimit-Reset", "1749999000");

        assertThat(signal.waitFor(NOW)).isEqualTo(Duration.ZERO);
    }

    @Test
    void waitForIsNullWhenNothingAsksToWait() {
        assertThat(read("github", 200, "X-RateLimit-Limit", "100", "X-RateLimit-Remaining", "7", "X-RateLimit-Reset", "600")
                .waitFor(NOW)).isNull();
        assertThat(read("github", 429).waitFor(NOW)).isNull();
        assertThat(read("github", 200).waitFor(NOW)).isNull();
    }

    // ---- Lookup and the record -------------------------------------------------------------------

    @Test
    void mapOverloadIgnoresHeaderNameCase() {
        RateSignal signal = read("salesforce", 429,
                "SFORCE-LIMIT-INFO", "api-usage=4999/5000",
                "x-ratelimit-RESET", "30",
                "retry-AFTER", "7");

        assertThat(signal.limit()).isEqualTo(5000L);
        assertThat(signal.remaining()).isEqualTo(1L);
        assertThat(signal.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(signal.refused()).isTrue();
    }

    @Test
    void functionOverloadReadsThroughTheLookup() {
        Map<String, String> canonical = Map.of("X-RateLimit-Limit", "60", "X-RateLimit-Remaining", "0");
        RateSignal signal = HEADERS.read("github", 403, canonical::get, NOW);

        assertThat(signal.limit()).isEqualTo(60L);
        assertThat(signal.remaining()).isZero();
        assertThat(signal.refused()).isTrue();
    }

    @Test
    void noHeadersIsEmpty() {
        RateSignal signal = read("github", 200);

        assertThat(signal.empty()).isTrue();
        assertThat(signal).isEqualTo(new RateSignal(null, null, null, null, false));
        assertThat(HEADERS.read("github", 200, (Map<String, String>) null, NOW).empty()).isTrue();
        assertThat(HEADERS.read("github", 200, name -> null, NOW).empty()).isTrue();
    }

    @Test
    void remainingFraction() {
        assertThat(new RateSignal(200L, 50L, null, null, false).remainingFraction()).isEqualTo(0.25);
        assertThat(new RateSignal(200L, 500L, null, null, false).remainingFraction()).isEqualTo(1.0);
        assertThat(new RateSignal(0L, 0L, null, null, false).remainingFraction()).isNull();
        assertThat(new RateSignal(null, 5L, null, null, false).remainingFraction()).isNull();
        assertThat(new RateSignal(5L, null, null, null, false).remainingFraction()).isNull();
    }

    @Test
    void emptyIsFalseWhenAnyPartIsKnown() {
        assertThat(new RateSignal(null, null, NOW, null, false).empty()).isFalse();
        assertThat(new RateSignal(null, null, null, Duration.ZERO, false).empty()).isFalse();
        assertThat(new RateSignal(null, 1L, null, null, false).empty()).isFalse();
        assertThat(new RateSignal(1L, null, null, null, false).empty()).isFalse();
    }
}
