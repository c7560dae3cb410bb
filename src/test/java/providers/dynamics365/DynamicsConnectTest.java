package providers.dynamics365;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import hub.DynamicsSandbox;
import hub.EmbeddedHubTest;
import hub.HubClient;
import security.CredentialVault;
import store.Connection;
import store.ConnectionStore;

/**
 * Connecting Dynamics 365 over HTTP: the catalog entry, app-only credentials checked and refused with Entra's reason
 * (never the secret), org and authority URLs at internal addresses refused, discovery, and the authorization-code
 * connect at the Entra sandbox whose access token the org later refuses: the hub refreshes it (Entra rotates the
 * refresh token) and the sync goes on.
 */
@ExtendWith(OutputCaptureExtension.class)
class DynamicsConnectTest extends EmbeddedHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Autowired
    ConnectionStore connections;
    @Autowired
    CredentialVault vault;
    @Autowired
    providers.AdapterRegistry adapters;

    @Test
    void theCatalogOffersDynamicsWithItsFiveMinuteServiceProtectionWindow() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        JsonNode catalog = hub.ok("GET", "/api/integrations", key, null);
        JsonNode dynamics = java.util.stream.StreamSupport.stream(catalog.get("items").spliterator(), false)
                .filter(p -> p.get("id").asText().equals("dynamics365")).findFirst().orElseThrow();
        assertThat(dynamics.get("name").asText()).isEqualTo("Dynamics 365");
        assertThat(dynamics.get("category").asText()).isEqualTo("crm");
        assertThat(dynamics.get("entities").toString()).contains("accounts", "contacts", "opportunities");
        assertThat(dynamics.get("authTypes").toString()).contains("oauth2_entra_client_credentials", "oauth2_authorization_code");

        String integration = new DynamicsSandbox(hub, "cat").connect(key, Map.of());
        JsonNode limits = hub.ok("GET", "/api/tenant/integrations/" + integration + "/rate-limits", key, null);
        JsonNode own = java.util.stream.StreamSupport.stream(limits.get("limits").spliterator(), false)
                .filter(l -> l.get("level").asText().equals("integration")).findFirst().orElseThrow();
        assertThat(own.get("requests").asLong()).isEqualTo(6000);
        assertThat(own.get("windowSeconds").asLong()).isEqualTo(300);
        assertThat(own.get("source").asText()).isEqualTo("provider default");
    }

    @Test
    void wrongCredentialsGiveEntrasReasonAndNoSecret(CapturedOutput logs) {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        DynamicsSandbox dynamics = new DynamicsSandbox(hub, "auth");
        String integration = hub.ok("POST", "/api/tenant/integrations", key, Map.of("providerId", "dynamics365", "name", "x"))
                .get("id").asText();
        Map<String, Object> credentials = new HashMap<>(dynamics.credentials());
        credentials.put("clientSecret", "Wr0ng-S3cret!");
        JsonNode result = hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", key,
                Map.of("type", "oauth2_entra_client_credentials", "credentials", credentials));
        assertThat(result.get("ok").asBoolean()).isFalse();
        assertThat(result.get("message").asText()).contains("invalid_client").contains("AADSTS7000215");
        JsonNode connection = hub.ok("GET", "/api/tenant/integrations/" + integration + "/connection", key, null);
        assertThat(connection.get("status").asText()).isEqualTo("error");
        for (String shown : new String[] {result.toString(), connection.toString(), logs.getAll()}) {
            assertThat(shown).doesNotContain("Wr0ng-S3cret!").doesNotContain(DynamicsSandbox.CLIENT_SECRET);
        }

        // the right secret, but the URL is no environment's: the Web API is not there
        Map<String, Object> otherOrg = new HashMap<>(dynamics.credentials());
        otherOrg.put("orgUrl", hub.baseUrl() + "/sandbox/dynamics365/" + dynamics.org() + "/api");
        JsonNode refused = hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", key,
                Map.of("type", "oauth2_entra_client_credentials", "credentials", otherOrg));
        assertThat(refused.get("ok").asBoolean()).isFalse();
        assertThat(refused.get("message").asText()).isEqualTo("Dynamics 365 connection test failed (HTTP 404): the answer was not Dataverse's");
    }

    @Test
    void urlsAtInternalAddressesAndMalformedFieldsAreRefusedNamingTheField() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        DynamicsSandbox dynamics = new DynamicsSandbox(hub, "guard");
        String integration = hub.ok("POST", "/api/tenant/integrations", key, Map.of("providerId", "dynamics365", "name", "x"))
                .get("id").asText();
        String path = "/api/tenant/integrations/" + integration + "/connect/api-key";
        Map<String, String> refusals = new LinkedHashMap<>();
        refusals.put("orgUrl", "http://169.254.169.254/latest");
        refusals.put("authority", "http://10.0.0.8/tenant");
        for (Map.Entry<String, String> refusal : refusals.entrySet()) {
            Map<String, Object> credentials = new HashMap<>(dynamics.credentials());
            credentials.put(refusal.getKey(), refusal.getValue());
            HubClient.Response r = hub.call("POST", path, key, Map.of("type", "oauth2_entra_client_credentials", "credentials", credentials));
            assertThat(r.status()).as(r.raw()).isEqualTo(400);
            assertThat(r.body().get("field").asText()).isEqualTo("credentials." + refusal.getKey());
            assertThat(r.raw()).contains("internal address").doesNotContain(refusal.getValue());
        }
        Map<String, Object> badAuthority = new HashMap<>(dynamics.credentials());
        badAuthority.put("authority", "not a tenant");
        HubClient.Response r = hub.call("POST", path, key, Map.of("type", "oauth2_entra_client_credentials", "credentials", badAuthority));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().get("field").asText()).isEqualTo("credentials.authority");
        Map<String, Object> missing = new HashMap<>(dynamics.credentials());
        missing.remove("orgUrl");
        assertThat(hub.call("POST", path, key, Map.of("type", "oauth2_entra_client_credentials", "credentials", missing)).body()
                .get("field").asText()).isEqualTo("credentials.orgUrl");
    }

    @Test
    void tablesAndColumnsAreDiscoveredFromEntityDefinitions() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        DynamicsSandbox dynamics = new DynamicsSandbox(hub, "meta");
        String integration = dynamics.connect(tenant.key(), Map.of());
        Map<String, String> credentials = new HashMap<>();
        dynamics.credentials().forEach((k, v) -> credentials.put(k, String.valueOf(v)));
        providers.ConnectionContext context = new providers.ConnectionContext(tenant.id(), integration, "dynamics365", credentials);
        providers.IntegrationAdapter adapter = adapters.get("dynamics365");
        assertThat(adapter.discoverEntities(context)).extracting(providers.EntityInfo::name)
                .contains("accounts", "contacts", "opportunities");
        assertThat(adapter.discoverFields(context, "contacts")).extracting(providers.FieldInfo::name)
                .contains("contactid", "lastname", "emailaddress1", "_parentcustomerid_value");
        assertThat(adapter.discoverFields(context, "contacts")).filteredOn(f -> f.name().equals("fullname")).singleElement()
                .satisfies(f -> assertThat(f.updateable()).isFalse());
        assertThat(adapter.health(context).status()).isEqualTo("ok");
    }

    @Test
    void anAuthorizationCodeConnectionSyncsAndIsRefreshedWhenTheOrgRefusesItsToken(CapturedOutput logs) {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        DynamicsSandbox dynamics = new DynamicsSandbox(hub, "oauth");
        assertThat(dynamics.setup("POST", "reset", Map.of("accounts", 20)).status()).isBetween(200, 204);
        String integration = hub.ok("POST", "/api/tenant/integrations", key, Map.of("providerId", "dynamics365", "name", "delegated"))
                .get("id").asText();
        JsonNode start = hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/oauth", key, Map.of(
                "clientId", DynamicsSandbox.CLIENT_ID, "clientSecret", DynamicsSandbox.CLIENT_SECRET, "loginUrl", dynamics.authority(),
                "scope", dynamics.orgUrl() + "/user_impersonation offline_access"));
        String authorizationUrl = start.get("authorizationUrl").asText();
        assertThat(authorizationUrl).startsWith(dynamics.authority() + "/oauth2/v2.0/authorize?");
        HubClient.Response callback = hub.call("GET", HubClient.authorizationRedirect(authorizationUrl), null, null);
        assertThat(callback.status()).as(callback.raw()).isEqualTo(200);
        assertThat(callback.body().get("status").asText()).as(callback.raw()).isEqualTo("connected");

        Connection connection = connections.find(integration).orElseThrow();
        Map<String, String> first = vault.get(connection.secretName()).orElseThrow();
        assertThat(first).containsEntry("tokenUrl", dynamics.authority() + "/oauth2/v2.0/token").containsKeys("refreshToken", "expiresAt")
                .containsEntry("scope", dynamics.orgUrl() + "/user_impersonation");
        String task = hub.task(key, integration, "accounts", "full");
        assertThat(hub.runAndWait(key, integration, task, TIMEOUT).get("recordsCreated").asLong()).isEqualTo(20);

        // the org stops taking the tokens it has seen: the next call gets a 401, the hub refreshes once and goes on
        assertThat(dynamics.setup("POST", "access-tokens/expire", null).status()).isEqualTo(204);
        JsonNode again = hub.runAndWait(key, integration, task, TIMEOUT);
        assertThat(again.get("status").asText()).as(again.toString()).isEqualTo("completed");
        assertThat(again.get("recordsUnchanged").asLong()).isEqualTo(20);
        Map<String, String> refreshed = vault.get(connection.secretName()).orElseThrow();
        assertThat(refreshed.get("accessToken")).isNotEqualTo(first.get("accessToken"));
        assertThat(refreshed.get("refreshToken")).as("Entra rotates refresh tokens").isNotEqualTo(first.get("refreshToken"));
        assertThat(connections.find(integration).orElseThrow().lastRefreshedAt()).isNotNull();
        for (String secret : new String[] {first.get("accessToken"), first.get("refreshToken"), refreshed.get("accessToken"),
                refreshed.get("refreshToken")}) {
            assertThat(logs.getAll()).doesNotContain(secret);
        }
    }

    static Map<String, String> query(String url) {
        Map<String, String> query = new HashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            query.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }
}
