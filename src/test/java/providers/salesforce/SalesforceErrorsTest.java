package providers.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.RestError;
import org.junit.jupiter.api.Test;

import providers.ProviderException;

/** What a tenant reads when Salesforce calls fail: a fixed text by kind, Salesforce's own error codes, never an exception's text. */
class SalesforceErrorsTest {

    /** What Jetty's HttpClient says of a refused connection: its toString is a dump of the client and the internal address. */
    private static final String JETTY_DUMP = "java.net.ConnectException: Connection refused: HttpClient@5f1e2b1c{STARTED} "
            + "HttpConnectionOverHTTP@7a8b[l:/127.0.0.1:51234 <-> r:/10.0.0.5:5432] at org.eclipse.jetty.io.SelectorManager";

    @Test
    void aConnectionFailureIsUnreachableWithoutTheDump() {
        SalesforceException camel = new SalesforceException("Unexpected error {0:" + JETTY_DUMP + "} executing {GET:http://10.0.0.5:5432/x}",
                new ConnectException(JETTY_DUMP));
        ProviderException classified = SalesforceErrors.classify("query Account", camel);
        assertThat(classified.kind()).isEqualTo(ProviderException.Kind.TRANSIENT);
        assertThat(classified.getMessage()).isEqualTo("Salesforce query Account failed: the provider could not be reached");
    }

    @Test
    void aLoginThatTimesOutSaysSo() {
        assertThat(SalesforceErrors.classify("login", new SalesforceException("Login request timeout: Total timeout 60000 ms elapsed",
                new TimeoutException("Total timeout 60000 ms elapsed"))).getMessage())
                .isEqualTo("Salesforce login failed: the provider did not answer in time");
        assertThat(SalesforceErrors.classify("login", new ExecutionException(new SocketTimeoutException("Connect Timeout"))).getMessage())
                .isEqualTo("Salesforce login failed: the provider did not answer in time");
    }

    @Test
    void anAnswerThatIsNotSalesforcesSaysSoWithItsStatusOnly() {
        ProviderException classified = SalesforceErrors.classify("login",
                new SalesforceException("Login error status:[400] reason:[-ERR wrong number of arguments for 'get' command]", 400));
        assertThat(classified.getMessage()).isEqualTo("Salesforce login failed (HTTP 400): the answer was not Salesforce's");
        assertThat(classified.kind()).isEqualTo(ProviderException.Kind.AUTH);
        assertThat(SalesforceErrors.classify("query Account", new SalesforceException("<html>nginx 1.25 on 10.0.0.5</html>", 404))
                .getMessage()).isEqualTo("Salesforce query Account failed (HTTP 404): the answer was not Salesforce's");
    }

    @Test
    void salesforcesOwnRefusalKeepsItsErrorCode() {
        ProviderException classified = SalesforceErrors.classify("update Account",
                new SalesforceException(List.of(new RestError("STRING_TOO_LONG", "Phone: data value too large", List.of("Phone"))), 400));
        assertThat(classified.kind()).isEqualTo(ProviderException.Kind.PERMANENT);
        assertThat(classified.getMessage()).isEqualTo("Salesforce update Account failed (HTTP 400): STRING_TOO_LONG: Phone: data value too large [Phone]");
        // a message that reads like a dump or a trace is dropped; the code stays
        assertThat(SalesforceErrors.classify("query Account", new SalesforceException(List.of(new RestError("UNKNOWN_EXCEPTION",
                "java.lang.NullPointerException\n\tat com.example.Foo.bar(Foo.java:1)")), 500)).getMessage())
                .isEqualTo("Salesforce query Account failed (HTTP 500): UNKNOWN_EXCEPTION");
    }

    @Test
    void aLoginAnswerCamelCannotReadIsNotSalesforces() {
        ProviderException classified = SalesforceErrors.classify("login", new SalesforceException(
                "Login error: response parse exception Unrecognized token 'SSH': was expecting (JSON String, Number, Array, Object)",
                new com.fasterxml.jackson.core.JsonParseException(null, "Unrecognized token 'SSH'")));
        assertThat(classified.getMessage()).isEqualTo("Salesforce login failed: the answer was not Salesforce's");
        assertThat(classified.kind()).isEqualTo(ProviderException.Kind.AUTH);
    }

    @Test
    void anUnexpectedFailureIsNotRepeated() {
        ProviderException classified = SalesforceErrors.classify("limits", new IllegalStateException(
                new NullPointerException("Cannot invoke \"org.eclipse.jetty.client.Request.send()\" because \"request\" is null")));
        assertThat(classified.getMessage()).isEqualTo("Salesforce limits failed: unexpected error");
    }
}
