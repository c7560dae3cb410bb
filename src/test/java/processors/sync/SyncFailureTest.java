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
        NullPointerException npe = new NullPointerException("Cannot invoke \"java.util.Map.get(Object)\" because \"m\" is null");
        npe.setStackTrace(new StackTraceElement[] {
                new StackTraceElement("java.util.Objects", "requireNonNull", "Objects.java", 233),
                new StackTraceElement("processors.sync.ShardUpsert", "process", "ShardUpsert.java", 120),
                new StackTraceElement("org.apache.camel.processor.Pipeline", "process", "Pipeline.java", 80)});
        assertThat(SyncFailure.describe(npe))
                .isEqualTo("internal error (NullPointerException in ShardUpsert.java:120); the hub's log has the details");
        IllegalStateException library = new IllegalStateException("HttpClient@1a2b{STARTED} 127.0.0.1:6379");
        library.setStackTrace(new StackTraceElement[] {new StackTraceElement("org.eclipse.jetty.Client", "start", "Client.java", 9)});
        assertThat(SyncFailure.describe(new RuntimeException("wrapped: 127.0.0.1:6379", library)))
                .as("the innermost cause's class, where the hub met it, and no exception text")
                .startsWith("internal error (IllegalStateException in SyncFailureTest.java:")
                .doesNotContain("127.0.0.1", "6379", "wrapped");
        IllegalStateException first = new IllegalStateException("first");
        IllegalArgumentException second = new IllegalArgumentException("second");
        first.initCause(second);
        second.initCause(first);
        assertThat(SyncFailure.describe(first)).as("a chain of causes that loops back ends")
                .startsWith("internal error (IllegalArgumentException in SyncFailureTest.java:");
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
