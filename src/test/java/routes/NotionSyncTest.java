package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.PacedByProviderLimits;
import security.CredentialVault;
import store.ConnectionStore;

/**
 * Notion end to end over HTTP against its sandbox, as a user drives it: connect a workspace (internal integration token or
 * OAuth), select its databases, sync companies and notes (the note's text from its blocks), change pages "in Notion",
 * sync again; trashed pages are deletions; the token problems; the limit; push through the webhook; write-back.
 */
@PacedByProviderLimits
class NotionSyncTest extends EmbeddedHubTest implements NotionSyncScenario {

    // the paced run (theDefaultLimitKeepsTheSandboxFromRefusingAnyCall) takes 85 s alone, longer beside the other
    // classes paced by providers' limits (PacedByProviderLimits)
    static final Duration TIMEOUT = Duration.ofSeconds(180);

    @Autowired
    CredentialVault vault;
    @Autowired
    ConnectionStore connections;

    record Session(HubClient hub, String key, NotionSandboxWorkspace notion, String integration) {
        JsonNode sync(String entity, String mode) {
            return hub.runAndWait(key, integration, hub.task(key, integration, entity, mode), TIMEOUT);
        }

        Map<String, JsonNode> shards(String type) {
            Map<String, JsonNode> byId = new HashMap<>();
            hub.allShards(key, type).forEach(s -> byId.put(s.at("/externalRelationships/0/externalId").asText(), s));
            return byId;
        }

        JsonNode shard(JsonNode listed) {
            return hub.ok("GET", "/api/tenant/shards/" + listed.get("id").asText(), key, null);
        }
    }

    static Session session(HubClient hub, int companies, int notes, Map<String, Object> settings, boolean unlimited) {
        String key = hub.newTenantKey(ADMIN_KEY);
        NotionSandboxWorkspace notion = new NotionSandboxWorkspace(hub, "sync");
        notion.setup("POST", "/reset", Map.of("companies", companies, "notes", notes));
        Map<String, Object> all = new HashMap<>(settings);
        all.putIfAbsent("sources", Map.of("companies", List.of(notion.databaseId("companies")),
                "notes", List.of(notion.databaseId("notes"))));
        String integration = notion.connect(key, all);
        if (unlimited) {
            notion.unlimited(key, integration);
        }
        return new Session(hub, key, notion, integration);
    }

    static void assertCounts(JsonNode execution, long processed, long created, long updated, long deleted) {
        assertThat(execution.get("status").asText()).as(execution.toString()).isEqualTo("completed");
        assertThat(execution.get("recordsProcessed").asLong()).as(execution.toString()).isEqualTo(processed);
        assertThat(execution.get("recordsCreated").asLong()).as(execution.toString()).isEqualTo(created);
        assertThat(execution.get("recordsUpdated").asLong()).as(execution.toString()).isEqualTo(updated);
        assertThat(execution.get("recordsDeleted").asLong()).as(execution.toString()).isEqualTo(deleted);
        assertThat(execution.get("recordsFailed").asLong()).as(execution.toString()).isZero();
    }


    @Test
    void aLongPageIsCutAtTheContentLimitAndStillSyncs() {
        Session s = session(hub(), 1, 1, Map.of(), true);
        String note = s.notion().pages("notes", 1).get(0).get("id").asText();
        List<Object> children = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            children.add(Map.of("object", "block", "type", "paragraph", "paragraph", Map.of("rich_text", List.of(Map.of("type", "text",
                    "text", Map.of("content", ("Paragraph " + i + " ").repeat(190)))))));
        }
        s.notion().ok("PATCH", "/blocks/" + note + "/children", Map.of("children", children));
        assertCounts(s.sync("notes", "full"), 1, 1, 0, 0);
        JsonNode shard = s.shard(s.shards("c_note").get(note));
        // the test hub's hub.content.max-text-chars is 20,000
        assertThat(shard.at("/structuredData/truncated").asBoolean()).isTrue();
        assertThat(shard.at("/structuredData/bodyLength").asInt()).isGreaterThan(20_000);
        assertThat(shard.at("/structuredData/body").asText().length()).isLessThan(20_200);
    }

    @Test
    void anUnknownDatabaseIsRefusedWhenSavedAndFailsTheExecutionNamingIt() {
        Session s = session(hub(), 3, 0, Map.of("sources", Map.of("companies", List.of("0f0f0f0f-0000-4000-8000-000000000001"))), true);
        JsonNode failed = s.sync("companies", "full");
        assertThat(failed.get("status").asText()).as(failed.toString()).isEqualTo("failed");
        assertThat(failed.toString()).contains("unknown database '0f0f0f0f-0000-4000-8000-000000000001'").contains("sources.companies");

        HubClient.Response refused = s.hub().call("PATCH", "/api/tenant/integrations/" + s.integration(), s.key(),
                Map.of("sources", Map.of("companies", List.of(s.notion().databaseId("companies"), "not-a-database"))));
        assertThat(refused.status()).as(refused.raw()).isEqualTo(400);
        assertThat(refused.raw()).contains("sources.companies").contains("unknown database 'not-a-database'");

        s.hub().ok("PATCH", "/api/tenant/integrations/" + s.integration(), s.key(),
                Map.of("sources", Map.of("companies", List.of(s.notion().databaseId("companies")))));
        assertCounts(s.sync("companies", "full"), 3, 3, 0, 0);
    }

    @Test
    void withoutASelectionTheDatabaseTitledLikeTheEntityIsRead() {
        Session s = session(hub(), 4, 2, Map.of("sources", Map.of()), true);
        assertCounts(s.sync("companies", "full"), 4, 4, 0, 0);
        assertCounts(s.sync("notes", "full"), 2, 2, 0, 0);
    }

    @Test
    void oauthTokensAreRefreshedWithRotationAndARevokedGrantIsAuthFailed() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        NotionSandboxWorkspace notion = new NotionSandboxWorkspace(hub, "oauth");
        notion.setup("POST", "/reset", Map.of("companies", 5, "notes", 0));
        String integration = hub.ok("POST", "/api/tenant/integrations", key, Map.of("providerId", "notion", "name", "notion oauth",
                "sources", Map.of("companies", List.of(notion.databaseId("companies"))))).get("id").asText();
        JsonNode start = hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/oauth", key,
                Map.of("clientId", "sandbox-client", "clientSecret", "sandbox-secret", "loginUrl", notion.baseUrl(), "loginHint", notion.name()));
        // Notion's authorization URL names the installing user: owner=user
        assertThat(start.get("authorizationUrl").asText()).startsWith(notion.baseUrl() + "/v1/oauth/authorize?owner=user&response_type=code");
        HubClient.Response callback = hub.call("GET", HubClient.authorizationRedirect(start.get("authorizationUrl").asText()), null, null);
        assertThat(callback.body().get("status").asText()).as(callback.raw()).isEqualTo("connected");
        notion.unlimited(key, integration);
        String secretName = connections.find(integration).orElseThrow().secretName();
        Map<String, String> issued = vault.get(secretName).orElseThrow();
        assertThat(issued.get("accessToken")).startsWith("ntn_");
        assertThat(issued.get("refreshToken")).startsWith("nrt_");

        // the access token stops working: the hub refreshes (rotating the refresh token) and goes on
        notion.setup("POST", "/tokens/expire", null);
        assertCounts(hub.runAndWait(key, integration, hub.task(key, integration, "companies", "full"), TIMEOUT), 5, 5, 0, 0);
        Map<String, String> renewed = vault.get(secretName).orElseThrow();
        assertThat(renewed.get("accessToken")).isNotEqualTo(issued.get("accessToken"));
        assertThat(renewed.get("refreshToken")).isNotEqualTo(issued.get("refreshToken"));
        HubClient.Response reused = notion.call("POST", "/v1/oauth/token", null, null, Map.of("grant_type", "refresh_token",
                "refresh_token", issued.get("refreshToken"), "client_id", "sandbox-client", "client_secret", "sandbox-secret"));
        assertThat(reused.status()).isEqualTo(400);
        assertThat(reused.body().get("code").asText()).isEqualTo("invalid_grant");

        // the user revokes the integration: the refresh is refused, the integration is auth_failed
        notion.call("POST", "/v1/oauth/revoke", null, null, Map.of("token", renewed.get("refreshToken"), "client_id", "sandbox-client",
                "client_secret", "sandbox-secret"));
        notion.setup("POST", "/tokens/expire", null);
        JsonNode failed = hub.runAndWait(key, integration, hub.task(key, integration, "companies", "incremental"), TIMEOUT);
        assertThat(failed.get("status").asText()).as(failed.toString()).isEqualTo("failed");
        Awaitility.await().atMost(TIMEOUT).until(() -> hub.ok("GET", "/api/tenant/integrations/" + integration, key, null)
                .get("status").asText().equals("auth_failed"));
    }

    @Test
    void aRevokedInternalTokenFailsTheSyncAsUnauthorized() {
        Session s = session(hub(), 2, 0, Map.of(), true);
        assertCounts(s.sync("companies", "full"), 2, 2, 0, 0);
        s.notion().setup("POST", "/internal-token", Map.of("revoked", true));
        JsonNode failed = s.sync("companies", "full");
        assertThat(failed.get("status").asText()).as(failed.toString()).isEqualTo("failed");
        assertThat(failed.toString()).contains("HTTP 401").contains("unauthorized");
        // a static token cannot be renewed: the integration is auth_failed until it is reconnected, the connection test says why
        assertThat(s.hub().ok("GET", "/api/tenant/integrations/" + s.integration(), s.key(), null).get("status").asText())
                .isEqualTo("auth_failed");
        JsonNode test = s.hub().ok("POST", "/api/tenant/integrations/" + s.integration() + "/connection/test", s.key(), null);
        assertThat(test.toString()).contains("unauthorized").contains("API token is invalid");
    }

    @Test
    void theDefaultLimitKeepsTheSandboxFromRefusingAnyCall() {
        // Notion's 180 per minute on both sides: a note costs three calls (the query, its blocks, its nested blocks), so 80
        // notes and 25 companies make about 250, more than a minute's budget: the hub paces itself below the sandbox's
        // sliding minute
        Session s = session(hub(), 25, 80, Map.of(), false);
        assertCounts(s.sync("companies", "full"), 25, 25, 0, 0);
        assertCounts(s.sync("notes", "full"), 80, 80, 0, 0);
        JsonNode limits = s.notion().setup("GET", "/limits", null);
        assertThat(limits.get("rateLimit").asInt()).isEqualTo(180);
        assertThat(limits.get("used").asInt()).isGreaterThan(60).isLessThanOrEqualTo(180);
        assertThat(limits.get("violations").asLong()).isZero();
    }

    @Test
    void aShardChangeIsWrittenBackAsTypedPageProperties() {
        Session s = session(hub(), 3, 0, Map.of("syncDirection", "bidirectional"), true);
        assertCounts(s.sync("companies", "full"), 3, 3, 0, 0);
        String pageId = s.notion().pages("companies", 1).get(0).get("id").asText();
        String shardId = s.shards("c_company").get(pageId).get("id").asText();
        s.hub().ok("PATCH", "/api/tenant/shards/" + shardId, s.key(), Map.of("structuredData",
                Map.of("name", "Written From Castiel", "employees", 77, "industry", "Robotics")));
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() ->
                s.notion().page(pageId).at("/properties/Name/title/0/plain_text").asText().equals("Written From Castiel"));
        JsonNode page = s.notion().page(pageId);
        assertThat(page.at("/properties/Employees/number").asLong()).isEqualTo(77);
        assertThat(page.at("/properties/Industry/select/name").asText()).isEqualTo("Robotics");
        // the write comes back unchanged: nothing to update
        JsonNode again = s.sync("companies", "incremental");
        assertThat(again.get("recordsFailed").asLong()).isZero();
        assertThat(s.shard(s.shards("c_company").get(pageId)).at("/structuredData/name").asText()).isEqualTo("Written From Castiel");
        assertThat(s.hub().ok("GET", "/api/tenant/conflicts", s.key(), null).get("items")).isEmpty();
    }

    @Test
    void aPageEditedInNotionReachesItsShardThroughTheWebhook() {
        Session s = session(hub(), 5, 3, Map.of(), true);
        assertCounts(s.sync("companies", "full"), 5, 5, 0, 0);
        assertCounts(s.sync("notes", "full"), 3, 3, 0, 0);
        JsonNode registration = s.hub().ok("POST", "/api/tenant/integrations/" + s.integration() + "/webhooks", s.key(),
                Map.of("scheme", "notion", "events", List.of("company.*", "note.*")));
        JsonNode subscription = s.notion().setup("PUT", "/webhooks", Map.of("url", registration.get("url").asText()));
        Awaitility.await().atMost(TIMEOUT).until(() -> s.notion().setup("GET", "/webhooks", null).get("verificationDelivered").asBoolean());
        // the operator pastes the token the hub captured into Notion's screen
        s.notion().setup("POST", "/webhooks/verify", Map.of("verification_token", subscription.get("verificationToken").asText()));

        String pageId = s.notion().pages("companies", 1).get(0).get("id").asText();
        long sent = System.nanoTime();
        s.notion().update(pageId, Map.of("Name", NotionSandboxWorkspace.title("Pushed From Notion")));
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() ->
                s.shards("c_company").get(pageId).at("/structuredData/name").asText().equals("Pushed From Notion"));
        System.out.printf("Notion push -> shard: %d ms%n", (System.nanoTime() - sent) / 1_000_000);
        // a page moved to the trash: page.deleted, and the sync's deletion check finds it
        String trashed = s.notion().pages("companies", 2).get(0).get("id").asText();
        s.notion().trash(trashed);
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() ->
                s.shards("c_company").get(trashed).get("deleted").asBoolean());
        JsonNode status = s.notion().setup("GET", "/webhooks", null);
        assertThat(status.get("deliveredEvents").asInt()).isEqualTo(2);
        assertThat(status.get("failedRequests").asInt()).isZero();
        JsonNode deliveries = s.hub().ok("GET", "/api/webhooks/deliveries?registrationId=" + registration.get("id").asText(), s.key(), null);
        assertThat(deliveries.get("items")).anySatisfy(d -> assertThat(d.get("verification").asText()).isEqualTo("verified"));

        // a forged event is refused and changes nothing
        HubClient.Response forged = s.hub().call("POST", registration.get("url").asText(), null,
                "{\"id\":\"forged\",\"type\":\"page.properties_updated\",\"entity\":{\"id\":\"" + pageId + "\",\"type\":\"page\"}}");
        assertThat(forged.status()).isEqualTo(401);
    }
}
