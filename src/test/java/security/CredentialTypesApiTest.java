package security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.TestProviderAdapter;

/** Connecting with each credential type over the API: stored sealed exactly as given (trimmed), refused with the field named. */
class CredentialTypesApiTest extends EmbeddedHubTest {

    @Autowired
    CredentialVault vault;

    @Test
    void everyTypeRoundTripsThroughTheVault() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        CredentialTypesTest.validExamples().forEach((type, given) -> {
            String integration = integration(hub, key);
            JsonNode connected = hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", key,
                    Map.of("type", type, "credentials", given));
            assertThat(connected.get("ok").asBoolean()).as(type + ": " + connected).isTrue();
            JsonNode connection = hub.ok("GET", "/api/tenant/integrations/" + integration + "/connection", key, null);
            assertThat(connection.get("authType").asText()).isEqualTo(type);
            Map<String, String> stored = vault.get(connection.get("secretName").asText()).orElseThrow();
            given.forEach((field, value) -> assertThat(stored.get(field)).as(type + "." + field).isEqualTo(value.toString().trim()));
            given.values().stream().map(v -> v.toString().trim()).filter(v -> v.length() >= 8).forEach(value ->
                    assertThat(connection.toString()).as("no credential value in the view").doesNotContain(value));
        });
    }

    @Test
    void badTypesAndFieldsAreRefusedNamingTheField() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        String integration = integration(hub, key);
        String connect = "/api/tenant/integrations/" + integration + "/connect/api-key";
        HubClient.Response unknown = hub.call("POST", connect, key, Map.of("type", "kerberos", "credentials", Map.of("x", "y")));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body().get("field").asText()).isEqualTo("type");
        HubClient.Response missing = hub.call("POST", connect, key, Map.of("type", "basic", "credentials", Map.of("username", "u")));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body().get("field").asText()).isEqualTo("credentials.password");
        HubClient.Response malformed = hub.call("POST", connect, key, Map.of("type", "oauth2_client_credentials",
                "credentials", Map.of("clientId", "c", "clientSecret", "s3cr3t-value", "tokenUrl", "not a url")));
        assertThat(malformed.body().get("field").asText()).isEqualTo("credentials.tokenUrl");
        assertThat(malformed.raw()).doesNotContain("s3cr3t-value");

        String salesforce = hub.ok("POST", "/api/tenant/integrations", key, Map.of("providerId", "salesforce", "name", "sf")).get("id").asText();
        HubClient.Response notTaken = hub.call("POST", "/api/tenant/integrations/" + salesforce + "/connect/api-key", key,
                Map.of("type", "basic", "credentials", Map.of("username", "u", "password", "p")));
        assertThat(notTaken.status()).isEqualTo(400);
        assertThat(notTaken.body().get("message").asText()).contains("does not take basic");
    }

    private static String integration(HubClient hub, String key) {
        return hub.ok("POST", "/api/tenant/integrations", key, Map.of("providerId", TestProviderAdapter.PROVIDER_ID, "name", "types"))
                .get("id").asText();
    }
}
