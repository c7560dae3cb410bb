package sandbox.entra;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class EntraTokensTest {

    private static final String ISSUER = "http://localhost/sandbox/entra/" + EntraTokens.TENANT_ID + "/v2.0";
    private static final String GRAPH = "https://graph.microsoft.com";

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T10:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aTokenIsValidForItsTimeToLiveOnly() {
        MovingClock clock = new MovingClock();
        EntraTokens tokens = new EntraTokens(Duration.ofSeconds(120), clock);
        String token = tokens.issue(ISSUER, GRAPH);
        assertThat(tokens.validate(token, GRAPH)).get()
                .satisfies(c -> assertThat(c.getExpirationTime().toInstant()).isEqualTo(clock.now.plusSeconds(120)));
        clock.now = clock.now.plusSeconds(119);
        assertThat(tokens.validate(token, GRAPH)).isPresent();
        clock.now = clock.now.plusSeconds(1);
        assertThat(tokens.validate(token, GRAPH)).isEmpty();
    }

    @Test
    void tokensOfAnotherKeyTamperedOnesAndGarbageAreRefused() {
        Clock clock = Clock.systemUTC();
        EntraTokens tokens = new EntraTokens(Duration.ofSeconds(3599), clock);
        EntraTokens other = new EntraTokens(Duration.ofSeconds(3599), clock);
        assertThat(tokens.validate(other.issue(ISSUER, GRAPH), GRAPH)).isEmpty();
        String token = tokens.issue(ISSUER, GRAPH);
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"aud\":\"https://graph.microsoft.com\",\"exp\":4102444800}".getBytes()) + "." + parts[2];
        assertThat(tokens.validate(forged, GRAPH)).isEmpty();
        assertThat(tokens.validate("not-a-jwt", GRAPH)).isEmpty();
        assertThat(tokens.validate(null, GRAPH)).isEmpty();
        assertThat(tokens.validate(token, "https://org.crm.dynamics.com")).isEmpty();
    }

    @Test
    void theTimeToLiveDefaultsToEntras3599Seconds() {
        assertThat(new EntraSandboxProperties(null).accessTokenTtl()).isEqualTo(Duration.ofSeconds(3599));
        assertThat(new EntraSandboxProperties(Duration.ZERO).accessTokenTtl()).isEqualTo(Duration.ofSeconds(3599));
        assertThat(new EntraSandboxProperties(Duration.ofMinutes(5)).accessTokenTtl()).isEqualTo(Duration.ofMinutes(5));
    }
}
