package routes;

import static org.assertj.core.api.Assertions.assertThat;
import static routes.SalesforceSyncScenario.assertCounts;
import static routes.SalesforceSyncScenario.byExternalId;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.PacedByProviderLimits;

/**
 * Google Drive end to end over HTTP against the Google sandbox: a service account with domain-wide delegation, the
 * files of a folder and a shared drive as c_documents (Docs with their text), the changes API for the next pass
 * (edits, trash, deletions, a file elsewhere ignored), a refused page token turning into a full pass, an unknown
 * folder refused at save time, a revoked grant failing the connection.
 */
@PacedByProviderLimits
class GoogleDriveSyncTest extends EmbeddedHubTest implements GoogleDriveSyncScenario {

    static final Duration TIMEOUT = Duration.ofSeconds(120);


    @Test
    void aSelectedFolderThatIsGoneFailsTheSyncNamingIt() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        GoogleDriveDomain domain = new GoogleDriveDomain(hub, "gone");
        String integration = domain.connect(key, Map.of());
        String notes = domain.folder("Meeting notes");
        assertThat(domain.select(key, integration, List.of(domain.folder("Customers"), notes)).status()).isEqualTo(200);
        domain.setup("DELETE", "files/" + notes, null);

        // the pages of Customers are committed, then the pass stops at the folder that is gone
        JsonNode failed = hub.runAndWait(key, integration, hub.task(key, integration, "files", "full"), TIMEOUT);
        assertThat(failed.get("status").asText()).as(failed.toString()).isEqualTo("partial");
        assertThat(failed.get("recordsCreated").asInt()).isEqualTo(domain.filesIn(List.of(domain.folder("Customers"))).size());
        assertThat(failed.get("error").asText()).startsWith("permanent provider error")
                .contains("unknown folder or shared drive '" + notes + "'");
    }

    @Test
    void aRevokedServiceAccountGrantFailsTheSyncAndMakesTheIntegrationAuthFailed() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        GoogleDriveDomain domain = new GoogleDriveDomain(hub, "revoked");
        String integration = domain.connect(key, Map.of());
        assertThat(domain.select(key, integration, List.of(domain.folder("Customers"))).status()).isEqualTo(200);
        domain.setup("POST", "revoke", null);

        JsonNode failed = hub.runAndWait(key, integration, hub.task(key, integration, "files", "full"), TIMEOUT);
        assertThat(failed.get("status").asText()).as(failed.toString()).isEqualTo("failed");
        assertThat(failed.get("error").asText()).startsWith("auth provider error").contains("reconnect").doesNotContain("PRIVATE KEY");
        // the key does not come back: the integration waits to be reconnected
        assertThat(hub.ok("GET", "/api/tenant/integrations/" + integration, key, null).get("status").asText()).isEqualTo("auth_failed");
    }

    @Test
    void anOAuthConnectionSyncsThenARevokedRefreshTokenMakesItAuthFailed() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        GoogleDriveDomain domain = new GoogleDriveDomain(hub, "oauth");
        String integration = domain.connectOAuth(key);
        String notes = domain.folder("Meeting notes");
        assertThat(domain.select(key, integration, List.of(notes)).status()).isEqualTo(200);
        int files = domain.filesIn(List.of(notes)).size();
        String task = hub.task(key, integration, "files", "full");
        assertCounts(hub.runAndWait(key, integration, task, TIMEOUT), "completed", files, files, 0, 0, 0);

        // the access token ends early: the 401 has the hub refresh it, and the sync goes on
        domain.setup("POST", "expire-tokens", null);
        assertCounts(hub.runAndWait(key, integration, task, TIMEOUT), "completed", files, 0, 0, files, 0);

        // the user revokes the grant: the refresh is refused, the integration is auth_failed
        domain.setup("POST", "revoke", null);
        JsonNode failed = hub.runAndWait(key, integration, task, TIMEOUT);
        assertThat(failed.get("status").asText()).as(failed.toString()).isEqualTo("failed");
        JsonNode connection = hub.ok("GET", "/api/tenant/integrations/" + integration + "/connection", key, null);
        assertThat(connection.get("status").asText()).isEqualTo("auth_failed");
        assertThat(connection.get("lastError").asText()).contains("invalid_grant");
    }

    @Test
    void theAuthorizationCodeConnectAtTheSandboxThenASync() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        GoogleDriveDomain domain = new GoogleDriveDomain(hub, "consent");
        String integration = hub.ok("POST", "/api/tenant/integrations", key, Map.of("providerId", "google_drive", "name", "Drive consent"))
                .get("id").asText();
        JsonNode start = hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/oauth", key,
                Map.of("clientId", "sandbox-client", "clientSecret", "sandbox-secret", "loginUrl", domain.base(),
                        "scope", "https://www.googleapis.com/auth/drive.readonly", "loginHint", domain.user()));
        String authorizationUrl = start.get("authorizationUrl").asText();
        assertThat(authorizationUrl).startsWith(domain.base() + "/auth?");
        HubClient.Response callback = hub.call("GET", HubClient.authorizationRedirect(authorizationUrl), null, null);
        assertThat(callback.status()).as(callback.raw()).isEqualTo(200);
        assertThat(callback.body().get("status").asText()).as(callback.raw()).isEqualTo("connected");
        domain.limit(key, integration, 6000, 60);

        String notes = domain.folder("Meeting notes");
        assertThat(domain.select(key, integration, List.of(notes)).status()).isEqualTo(200);
        int files = domain.filesIn(List.of(notes)).size();
        assertCounts(hub.runAndWait(key, integration, hub.task(key, integration, "files", "full"), TIMEOUT), "completed", files, files, 0, 0, 0);
    }

    @Test
    void aLongDocIsCutByTheContentLimitWithItsLengthKept() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        GoogleDriveDomain domain = new GoogleDriveDomain(hub, "long");
        String integration = domain.connect(key, Map.of());
        String customers = domain.folder("Customers");
        assertThat(domain.select(key, integration, List.of(customers)).status()).isEqualTo(200);
        String minutes = domain.setup("POST", "files", Map.of("name", "Quarterly minutes", "parent", customers,
                "text", "Minutes. ".repeat(3000))).get("id").asText();
        hub.runAndWait(key, integration, hub.task(key, integration, "files", "full"), TIMEOUT);

        JsonNode shard = shard(hub, key, byExternalId(hub.allShards(key, "c_document")).get(minutes));
        // hub.content.max-text-chars is 20,000 in the tests: that many characters, then the marker
        assertThat(shard.at("/structuredData/text").asText()).hasSize(20_000 + "\n[truncated]".length()).endsWith("\n[truncated]");
        assertThat(shard.at("/structuredData/textLength").asInt()).isEqualTo(27_000);
        assertThat(shard.at("/structuredData/truncated").asBoolean()).isTrue();
    }

    @Test
    void aFullSyncKeepsToTheLimitsWithoutAViolation() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        GoogleDriveDomain domain = new GoogleDriveDomain(hub, "limits");
        domain.setup("POST", "reset?files=45", null);
        String integration = domain.connect(key, Map.of("keepDefaultLimit", true));
        List<String> all = List.of(domain.folder("Customers"), domain.folder("Meeting notes"), domain.drive("Sales"));
        assertThat(domain.select(key, integration, all).status()).isEqualTo(200);
        // Drive allows 40 calls in 10 seconds to the user; the hub is told the same for the integration
        domain.setup("PUT", "limits", Map.of("rateLimit", 40, "windowSeconds", 10, "status", 403));
        domain.limit(key, integration, 40, 10);

        JsonNode full = hub.runAndWait(key, integration, hub.task(key, integration, "files", "full"), TIMEOUT);
        assertCounts(full, "completed", 45, 45, 0, 0, 0);
        JsonNode limits = domain.setup("GET", "limits", null);
        assertThat(limits.get("used").asInt()).isPositive();
        assertThat(limits.get("violations").asLong()).as(limits.toString()).isZero();
    }

    static JsonNode shard(HubClient hub, String key, JsonNode listed) {
        return hub.ok("GET", "/api/tenant/shards/" + listed.get("id").asText(), key, null);
    }
}
