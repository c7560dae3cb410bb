package providers.microsoft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import security.InvalidCredentialsException;

/** Authorities as tenants give them, and Entra's refusals as the hub repeats them. */
class EntraAuthorityTest {

    @Test
    void aBareTenantMeansThePublicCloudAndAUrlIsTakenAsItIs() {
        assertThat(EntraAuthority.of("authority", "contoso.onmicrosoft.com").tokenUrl())
                .isEqualTo("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token");
        assertThat(EntraAuthority.of("authority", "http://localhost:8080/sandbox/entra/sandbox-tenant/").tokenUrl())
                .isEqualTo("http://localhost:8080/sandbox/entra/sandbox-tenant/oauth2/v2.0/token");
        for (String bad : new String[] {"", "ftp://login.microsoftonline.com/x", "https://login.microsoftonline.com/x?y=1", "a b"}) {
            assertThatThrownBy(() -> EntraAuthority.of("authority", bad)).isInstanceOf(InvalidCredentialsException.class)
                    .hasMessageNotContaining(bad.isEmpty() ? "\u0000" : bad)
                    .extracting(e -> ((InvalidCredentialsException) e).field()).isEqualTo("authority");
        }
    }

    @Test
    void entrasReasonIsItsFirstLineAndNeverTheSecret() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThat(EntraClientCredentials.reason(json.readTree("""
                {"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.\\r\\nTrace ID: 1\\r\\nCorrelation ID: 2"}"""),
                "s3cret")).isEqualTo(" (AADSTS7000215: Invalid client secret provided.)");
        assertThat(EntraClientCredentials.reason(json.readTree("""
                {"error":"invalid_client","error_description":"AADSTS1: the secret s3cret is wrong"}"""), "s3cret")).isEmpty();
        assertThat(EntraClientCredentials.reason(json.readTree("{\"error\":\"invalid_client\"}"), "s3cret")).isEmpty();
    }
}
