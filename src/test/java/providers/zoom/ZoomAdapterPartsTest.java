package providers.zoom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import providers.AuthProviderException;
import providers.PermanentProviderException;
import providers.ProviderException;
import providers.RateBudget;
import providers.RateLimitedProviderException;

/** The Zoom adapter's pure parts: transcripts as text, meeting UUIDs in paths, Zoom's errors and rate-limit headers. */
class ZoomAdapterPartsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aWebVttTranscriptReadsAsItsCuesLines() {
        String vtt = "WEBVTT\r\n\r\nNOTE made by Zoom\r\n\r\n1\r\n00:00:01.000 --> 00:00:04.000\r\nJordan Lee: Thanks for joining.\r\n\r\n"
                + "2\r\n00:00:05.000 --> 00:00:09.000 align:start\r\n<v Jane Doe>Jane Doe: Pricing &amp; <b>terms</b> next.</v>\r\n"
                + "Second line.\r\n\r\n00:00:10.000 --> 00:00:11.000\r\nNo cue number here.\r\n";
        assertThat(ZoomTranscripts.text(vtt)).isEqualTo("Jordan Lee: Thanks for joining.\nJane Doe: Pricing & terms next.\nSecond line.\n"
                + "No cue number here.");
        assertThat(ZoomTranscripts.text("WEBVTT\n")).isEmpty();
        assertThat(ZoomTranscripts.text(null)).isNull();
    }

    @Test
    void meetingUuidsAreEncodedOnceOrTwiceAsZoomRequires() {
        assertThat(ZoomAdapter.meetingPath("BOKXuZlnTw2kA4zR3Q0xWg==")).isEqualTo("BOKXuZlnTw2kA4zR3Q0xWg%3D%3D");
        assertThat(ZoomAdapter.meetingPath("a+b/c==")).isEqualTo("a%2Bb%2Fc%3D%3D");
        assertThat(ZoomAdapter.meetingPath("/ajXp112QmuoKj4854875==")).isEqualTo("%252FajXp112QmuoKj4854875%253D%253D");
        assertThat(ZoomAdapter.meetingPath("ab//cd==")).isEqualTo("ab%252F%252Fcd%253D%253D");
        assertThatThrownBy(() -> ZoomAdapter.meetingPath("")).isInstanceOf(PermanentProviderException.class);
    }

    @Test
    void zoomsAnswersBecomeTheHubsErrorKindsWithoutTheirOtherText() throws Exception {
        Instant now = Instant.parse("2026-06-01T12:00:00Z");
        ProviderException expired = ZoomErrors.fromAnswer("list recordings", 401,
                JSON.readTree("{\"code\":124,\"message\":\"Access token is expired.\"}"), h -> null, now);
        assertThat(expired).isInstanceOf(AuthProviderException.class)
                .hasMessage("Zoom list recordings failed (HTTP 401): code 124: Access token is expired.");
        ProviderException daily = ZoomErrors.fromAnswer("list recordings", 429,
                JSON.readTree("{\"code\":429,\"message\":\"You have reached the maximum daily rate limit for this API.\"}"),
                Map.of("Retry-After", "2026-06-02T00:00:00Z")::get, now);
        assertThat(daily).isInstanceOf(RateLimitedProviderException.class);
        assertThat(((RateLimitedProviderException) daily).retryAfter()).isEqualTo(Duration.ofHours(12));
        ProviderException perSecond = ZoomErrors.fromAnswer("list recordings", 429, null, Map.of("Retry-After", "1")::get, now);
        assertThat(((RateLimitedProviderException) perSecond).retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(ZoomErrors.fromAnswer("token request", 400, JSON.readTree("{\"reason\":\"secret abc\",\"error\":\"invalid_grant\"}"),
                h -> null, now).getMessage()).isEqualTo("Zoom token request failed (HTTP 400): invalid_grant");
        assertThat(ZoomErrors.fromAnswer("x", 502, null, h -> null, now).kind()).isEqualTo(ProviderException.Kind.TRANSIENT);
        assertThat(ZoomErrors.fromAnswer("x", 404, JSON.readTree("{\"code\":3301,\"message\":\"This recording does not exist.\"}"), h -> null,
                now)).isInstanceOf(PermanentProviderException.class);
    }

    @Test
    void aSpentDailyLimitTellsTheGateWhenItComesBack() {
        Instant now = Instant.parse("2026-06-01T12:00:00Z");
        RateBudget daily = new ZoomRateLimitHeaders().read(Map.of("X-RateLimit-Type", "Daily-limit", "X-RateLimit-Limit", "6000",
                "Retry-After", "2026-06-02T00:00:00Z")::get, now);
        assertThat(daily).isEqualTo(new RateBudget(6000L, 0L, Instant.parse("2026-06-02T00:00:00Z")));
        assertThat(new ZoomRateLimitHeaders().read(Map.of("Retry-After", "1")::get, now)).as("seconds: the common reader's").isNull();
        assertThat(new ZoomRateLimitHeaders().read(h -> null, now)).isNull();
    }
}
