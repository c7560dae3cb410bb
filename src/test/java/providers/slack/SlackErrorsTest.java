package providers.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import providers.ProviderException;

/** Slack's ok:false codes and statuses as the hub's failure kinds. */
class SlackErrorsTest {

    @Test
    void tokenErrorsAreAuthFailures() {
        for (String code : new String[] {"invalid_auth", "token_revoked", "account_inactive", "not_authed", "token_expired"}) {
            ProviderException e = SlackErrors.of("conversations.history", code, "C1", null);
            assertThat(e.kind()).as(code).isEqualTo(ProviderException.Kind.AUTH);
            assertThat(e.getMessage()).contains(code);
        }
    }

    @Test
    void rateLimitsAreRetriedAfterSlacksWait() {
        assertThat(SlackErrors.of("users.info", "ratelimited", null, null).kind()).isEqualTo(ProviderException.Kind.RATE_LIMITED);
        ProviderException limited = SlackErrors.rateLimited("conversations.history", "30");
        assertThat(limited.kind()).isEqualTo(ProviderException.Kind.RATE_LIMITED);
        assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(SlackErrors.rateLimited("conversations.history", "soon").retryAfter()).isNull();
    }

    @Test
    void channelErrorsArePermanentAndNameTheChannel() {
        ProviderException notFound = SlackErrors.of("conversations.history", "channel_not_found", "#sales", null);
        assertThat(notFound.kind()).isEqualTo(ProviderException.Kind.PERMANENT);
        assertThat(notFound.getMessage()).contains("'#sales'").contains("channel_not_found");
        assertThat(SlackErrors.of("conversations.history", "not_in_channel", "C0123", null).getMessage())
                .contains("'C0123'").contains("invite the app");
        assertThat(SlackErrors.of("conversations.history", "missing_scope", null, "channels:history").getMessage())
                .contains("channels:history");
    }

    @Test
    void slacksOwnTroubleIsTransient() {
        assertThat(SlackErrors.of("auth.test", "internal_error", null, null).kind()).isEqualTo(ProviderException.Kind.TRANSIENT);
        assertThat(SlackErrors.http("auth.test", 503).kind()).isEqualTo(ProviderException.Kind.TRANSIENT);
        assertThat(SlackErrors.http("auth.test", 404).kind()).isEqualTo(ProviderException.Kind.PERMANENT);
        assertThat(SlackErrors.of("chat.postMessage", "msg_too_long", null, null).kind()).isEqualTo(ProviderException.Kind.PERMANENT);
    }
}
