package providers.google_drive;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.List;

import com.google.api.client.googleapis.json.GoogleJsonError;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpHeaders;
import com.google.api.client.http.HttpResponseException;
import org.apache.camel.RuntimeCamelException;
import org.junit.jupiter.api.Test;

import providers.ProviderException;

class GoogleDriveErrorsTest {

    private static GoogleJsonResponseException google(int status, String domain, String reason, String message) {
        GoogleJsonError.ErrorInfo item = new GoogleJsonError.ErrorInfo();
        item.setDomain(domain);
        item.setReason(reason);
        item.setMessage(message);
        GoogleJsonError error = new GoogleJsonError();
        error.setCode(status);
        error.setMessage(message);
        error.setErrors(List.of(item));
        return new GoogleJsonResponseException(new HttpResponseException.Builder(status, "x", new HttpHeaders()), error);
    }

    @Test
    void googlesAnswersAreClassifiedUnderCamelsWrapper() {
        ProviderException limited = GoogleDriveErrors.classify("list files",
                new RuntimeCamelException(google(403, "usageLimits", "userRateLimitExceeded", "User Rate Limit Exceeded")));
        assertThat(limited.kind()).isEqualTo(ProviderException.Kind.RATE_LIMITED);
        assertThat(limited.getMessage()).isEqualTo("Google Drive list files failed: HTTP 403 userRateLimitExceeded: User Rate Limit Exceeded");
        assertThat(GoogleDriveErrors.classify("x", google(429, "usageLimits", "rateLimitExceeded", "Too many requests")).kind())
                .isEqualTo(ProviderException.Kind.RATE_LIMITED);
        assertThat(GoogleDriveErrors.classify("x", google(403, "global", "insufficientFilePermissions", "no")).kind())
                .isEqualTo(ProviderException.Kind.PERMANENT);
        assertThat(GoogleDriveErrors.classify("x", google(401, "global", "authError", "Invalid Credentials")).kind())
                .isEqualTo(ProviderException.Kind.AUTH);
        assertThat(GoogleDriveErrors.classify("x", google(503, "global", "backendError", "Backend Error")).kind())
                .isEqualTo(ProviderException.Kind.TRANSIENT);
        assertThat(GoogleDriveErrors.classify("x", new RuntimeCamelException(new ConnectException("refused"))).kind())
                .isEqualTo(ProviderException.Kind.TRANSIENT);
        assertThat(GoogleDriveErrors.status(new RuntimeCamelException(google(404, "global", "notFound", "File not found: x.")))).isEqualTo(404);
    }

    @Test
    void drivesRootFollowsTheTokenEndpoint() {
        assertThat(GoogleDriveSessions.rootFor("https://oauth2.googleapis.com/token")).isEqualTo("https://www.googleapis.com/");
        assertThat(GoogleDriveSessions.rootFor("http://localhost:8080/sandbox/google/token")).isEqualTo("http://localhost:8080/sandbox/google/");
    }
}
