package providers.dynamics365;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import providers.ProviderException.Kind;

/** Dataverse's answers as the hub's error kinds, with Dataverse's code and message and nothing else. */
class DataverseErrorsTest {

    private static DataverseHttp.Answer answer(int status, String body, Map<String, Object> headers) {
        return new DataverseHttp.Answer(status, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    private static DataverseHttp.Answer error(int status, String code, String message) {
        return answer(status, "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}", Map.of());
    }

    @Test
    void statusesMapToTheFourKindsAndConflict() {
        assertThat(DataverseErrors.refused("get accounts", error(404, "0x80040217", "Entity 'account' With Id = x Does Not Exist")).kind())
                .isEqualTo(Kind.PERMANENT);
        assertThat(DataverseErrors.refused("update accounts", error(412, "0x80060882", "The version of the existing record doesn't"
                + " match the RowVersion property provided.")).kind()).isEqualTo(Kind.CONFLICT);
        assertThat(DataverseErrors.refused("fetch accounts", answer(401, "", Map.of())).kind()).isEqualTo(Kind.AUTH);
        assertThat(DataverseErrors.refused("fetch accounts", error(503, "0x0", "Service unavailable")).kind()).isEqualTo(Kind.TRANSIENT);
        var throttled = DataverseErrors.refused("fetch accounts", answer(429,
                "{\"error\":{\"code\":\"0x80072322\",\"message\":\"Number of requests exceeded the limit of 6000 over time window of 300 seconds.\"}}",
                Map.of("Retry-After", "36")));
        assertThat(throttled.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(throttled.retryAfter()).isEqualTo(Duration.ofSeconds(36));
        assertThat(throttled.getMessage()).isEqualTo("Dynamics 365 fetch accounts failed (HTTP 429): 0x80072322 Number of requests"
                + " exceeded the limit of 6000 over time window of 300 seconds.");
        assertThat(DataverseErrors.refused("fetch accounts", answer(429, "", Map.of())).retryAfter()).isNull();
    }

    @Test
    void onlyPlainTextFromTheAnswerIsRepeated() {
        assertThat(DataverseErrors.reason(answer(500, "<html>stack trace at com.example.Foo</html>", Map.of())))
                .isEqualTo(DataverseErrors.NOT_DATAVERSE);
        assertThat(DataverseErrors.reason(error(500, "0x0", "java.lang.NullPointerException at sandbox.x.Y"))).isEqualTo("0x0");
    }

    @Test
    void anExpiredDeltaTokenIsARefusedMarker() {
        assertThat(DataverseErrors.deltaRefused(error(400, "0x80044352", "Version stamp associated with the client has expired."))).isTrue();
        assertThat(DataverseErrors.deltaRefused(answer(410, null, Map.of()))).isTrue();
        assertThat(DataverseErrors.deltaRefused(error(400, "0x0", "Could not find a property named 'foo' on type 'account'."))).isFalse();
        assertThat(DataverseErrors.deltaRefused(error(503, "0x80044352", "busy"))).isFalse();
    }
}
