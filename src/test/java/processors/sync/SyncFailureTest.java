package processors.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import providers.ThrottledException;
import providers.TransientProviderException;

/** The reason a failed run records, which tenants read: never a library's exception text. */
class SyncFailureTest {

    @Test
    void aNullPointerOrLibraryExceptionIsAnInternalErrorWithoutItsText() {
        assertThat(SyncFailure.describe(new NullPointerException("Cannot invoke \"java.util.Map.get(Object)\" because \"m\" is null")))
                .isEqualTo(SyncFailure.INTERNAL_ERROR);
        assertThat(SyncFailure.describe(new IllegalStateException("HttpClient@1a2b{STARTED} 127.0.0.1:6379"))).isEqualTo(SyncFailure.INTERNAL_ERROR);
    }

    @Test
    void providerErrorsAndTheHubsOwnReasonsAreKept() {
        assertThat(SyncFailure.describe(new TransientProviderException("Salesforce query Account failed: the provider could not be reached", 0, null)))
                .isEqualTo("transient provider error: Salesforce query Account failed: the provider could not be reached");
        assertThat(SyncFailure.describe(new RuntimeException(new TransientProviderException("Salesforce login failed: the provider did not answer in time", 0,
                null)))).isEqualTo("transient provider error: Salesforce login failed: the provider did not answer in time");
        assertThat(SyncFailure.describe(new ThrottledException("throttled for longer than the maximum wait (1h)", Duration.ofSeconds(1))))
                .endsWith("provider error: throttled for longer than the maximum wait (1h)");
    }
}
