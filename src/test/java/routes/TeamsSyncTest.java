package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import hub.EmbeddedHubTest;
import hub.HubClient;
import security.CredentialVault;
import store.ConnectionStore;

/**
 * Microsoft Teams end to end on H2 ({@link TeamsSyncScenario}), and what needs no second store: tokens the sandbox stops
 * taking, Graph's 429 with Retry-After, and the bad input a user can give.
 */
class TeamsSyncTest extends EmbeddedHubTest implements TeamsSyncScenario {

    @Autowired
    ApplicationContext context;
    @Autowired
    CredentialVault vault;
    @Autowired
    ConnectionStore connections;

    @Override
    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Test
    void anExpiredTokenIsTakenAgainAndAWrongSecretIsRefusedWithoutShowingIt() {
        Session s = session("tokens", 1, 3);
        TeamsSyncScenario.assertCompleted(s.sync("full"));
        s.graph().setup("POST", "/access-tokens/expire", null);
        String posted = s.graph().post(0, "After the tokens expired", null, null).get("id").asText();
        JsonNode again = s.sync("incremental");
        TeamsSyncScenario.assertCompleted(again);
        assertThat(again.get("recordsCreated").asLong()).as(again.toString()).isEqualTo(1);
        assertThat(s.notes()).containsKey(s.id(0, posted));

        String integration = s.hub().ok("POST", "/api/tenant/integrations", s.key(), Map.of("providerId", "microsoft_teams", "name", "wrong"))
                .get("id").asText();
        Map<String, Object> credentials = new java.util.HashMap<>(s.graph().credentials());
        credentials.put("clientSecret", "not-the-secret");
        JsonNode refused = s.hub().ok("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", s.key(),
                Map.of("type", "oauth2_entra_client_credentials", "credentials", credentials));
        assertThat(refused.get("ok").asBoolean()).isFalse();
        assertThat(refused.toString()).contains("invalid_client").doesNotContain("not-the-secret");
    }

    @Test
    void anAuthorizationCodeConnectionSyncsAndIsRefreshedWhenGraphRefusesItsToken() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        GraphTeamsSandbox graph = graphTeams("oauth");
        graph.team(1, 2);
        String integration = hub.ok("POST", "/api/tenant/integrations", key, Map.of("providerId", "microsoft_teams", "name", "delegated",
                "sources", Map.of("messages", List.of(graph.teamId())))).get("id").asText();
        JsonNode start = hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/oauth", key, Map.of(
                "clientId", GraphTeamsSandbox.CLIENT_ID, "clientSecret", GraphTeamsSandbox.CLIENT_SECRET, "loginUrl", graph.authority(),
                "scope", "https://graph.microsoft.com/ChannelMessage.Read.All offline_access"));
        String authorizationUrl = start.get("authorizationUrl").asText();
        assertThat(authorizationUrl).startsWith(graph.authority() + "/oauth2/v2.0/authorize?");
        HubClient.Response callback = hub.call("GET", graph.authorizationRedirect(authorizationUrl), null, null);
        assertThat(callback.body().get("status").asText()).as(callback.raw()).isEqualTo("connected");
        Session s = new Session(hub, key, graph, integration);
        JsonNode full = s.sync("full");
        TeamsSyncScenario.assertCompleted(full);
        assertThat(full.get("recordsCreated").asLong()).as(full.toString()).isEqualTo(3);

        // Graph stops taking the token: the hub refreshes it (Entra rotates the refresh token) and goes on
        String secretName = connections.find(integration).orElseThrow().secretName();
        Map<String, String> first = vault.get(secretName).orElseThrow();
        graph.setup("POST", "/access-tokens/expire", null);
        String posted = graph.post(0, "Read with a refreshed delegated token", null, null).get("id").asText();
        JsonNode again = s.sync("incremental");
        TeamsSyncScenario.assertCompleted(again);
        assertThat(s.notes()).containsKey(s.id(0, posted));
        Map<String, String> refreshed = vault.get(secretName).orElseThrow();
        assertThat(refreshed.get("accessToken")).isNotEqualTo(first.get("accessToken"));
        assertThat(refreshed.get("refreshToken")).isNotEqualTo(first.get("refreshToken"));
    }

    @Test
    void graphsTooManyRequestsIsWaitedOutAsRetryAfterSaysAndNothingIsLost() {
        Session s = session("throttled", 3, 10);
        // two calls in three seconds: the pass's first page takes both (the team, its channels), the next delta page is refused
        JsonNode limits = s.graph().setup("GET", "/limits", null);
        s.graph().setup("POST", "/limits", Map.of("rateLimit", 2, "windowSeconds", 3));
        try {
            JsonNode full = s.sync("full");
            TeamsSyncScenario.assertCompleted(full);
            assertThat(full.get("recordsCreated").asLong()).as(full.toString()).isEqualTo(3 * 15);
            assertThat(s.graph().setup("GET", "/limits", null).get("violations").asLong()).as("calls Graph answered with 429").isPositive();
        } finally {
            s.graph().setup("POST", "/limits", Map.of("rateLimit", limits.get("rateLimit").asLong(), "windowSeconds",
                    limits.get("windowSeconds").asLong()));
        }
    }

    @Test
    void unknownTeamsAndChannelsAreRefusedWhenSavedAndFailTheExecutionNamingThem() {
        Session s = session("sources", 2, 1);
        HubClient hub = s.hub();
        String path = "/api/tenant/integrations/" + s.integration();
        HubClient.Response refused = hub.call("PATCH", path, s.key(), Map.of("sources", Map.of("messages",
                List.of(s.graph().teamId(), "00000000-0000-0000-0000-000000000000"))));
        assertThat(refused.status()).as(refused.raw()).isEqualTo(400);
        assertThat(refused.raw()).contains("sources.messages").contains("unknown team '00000000-0000-0000-0000-000000000000'");
        HubClient.Response badChannel = hub.call("PATCH", path, s.key(), Map.of("sources", Map.of("messages",
                List.of(s.graph().teamId() + "/19:nope@thread.tacv2"))));
        assertThat(badChannel.status()).as(badChannel.raw()).isEqualTo(400);
        assertThat(badChannel.raw()).contains("unknown channel");

        // one channel only
        hub.ok("PATCH", path, s.key(), Map.of("sources", Map.of("messages", List.of(s.graph().teamId() + "/" + s.graph().channelId(1)))));
        JsonNode one = s.sync("full");
        TeamsSyncScenario.assertCompleted(one);
        assertThat(one.get("recordsCreated").asLong()).as(one.toString()).isEqualTo(2);
        assertThat(s.notes().keySet()).allSatisfy(id -> assertThat(id).startsWith(s.graph().teamId() + "/" + s.graph().channelId(1) + "/"));
    }
}
