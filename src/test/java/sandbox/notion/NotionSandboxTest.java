package sandbox.notion;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import hub.EmbeddedHubTest;
import hub.HubClient;
import routes.NotionSandboxWorkspace;

/** The Notion sandbox's wire answers over HTTP, as Notion's clients see them. Each test has its own workspace. */
class NotionSandboxTest extends EmbeddedHubTest {

    private NotionSandboxWorkspace workspace(int companies, int notes) {
        NotionSandboxWorkspace notion = new NotionSandboxWorkspace(hub(), "sbx");
        notion.setup("POST", "/reset", Map.of("companies", companies, "notes", notes));
        notion.setup("POST", "/limits", Map.of("rateLimit", 0));
        return notion;
    }

    @Test
    void versionHeaderAndTokenAreRequiredWithNotionsErrorBodies() {
        NotionSandboxWorkspace notion = workspace(2, 0);
        HubClient.Response noVersion = notion.call("GET", "/v1/users", notion.token(), null, null);
        assertThat(noVersion.status()).isEqualTo(400);
        assertThat(noVersion.body().get("object").asText()).isEqualTo("error");
        assertThat(noVersion.body().get("status").asInt()).isEqualTo(400);
        assertThat(noVersion.body().get("code").asText()).isEqualTo("missing_version");
        assertThat(noVersion.body().get("message").asText()).startsWith("Notion-Version header failed validation");
        assertThat(notion.call("GET", "/v1/users", notion.token(), "1999-01-01", null).body().get("code").asText())
                .isEqualTo("validation_error");
        HubClient.Response badToken = notion.call("GET", "/v1/users", "secret_nobody", NotionSandboxWorkspace.VERSION, null);
        assertThat(badToken.status()).isEqualTo(401);
        assertThat(badToken.body().get("code").asText()).isEqualTo("unauthorized");
        HubClient.Response missing = notion.api("GET", "/pages/0f0f0f0f-0000-4000-8000-000000000001", null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body().get("code").asText()).isEqualTo("object_not_found");
        assertThat(notion.api("POST", "/search", "{not json").body().get("code").asText()).isEqualTo("invalid_json");
        JsonNode me = notion.ok("GET", "/users/me", null);
        assertThat(me.get("type").asText()).isEqualTo("bot");
    }

    @Test
    void queriesPageWithCursorsFilterOnTimestampsAndPropertiesAndSort() {
        NotionSandboxWorkspace notion = workspace(23, 0);
        String ds = notion.dataSourceId("companies");
        List<String> ids = new ArrayList<>();
        String cursor = null;
        int requests = 0;
        do {
            Map<String, Object> body = new java.util.HashMap<>(Map.of("page_size", 10,
                    "sorts", List.of(Map.of("property", "Name", "direction", "ascending"))));
            if (cursor != null) {
                body.put("start_cursor", cursor);
            }
            JsonNode page = notion.ok("POST", "/data_sources/" + ds + "/query", body);
            assertThat(page.get("object").asText()).isEqualTo("list");
            assertThat(page.get("type").asText()).isEqualTo("page_or_data_source");
            page.get("results").forEach(p -> ids.add(p.at("/properties/Name/title/0/plain_text").asText()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            assertThat(page.get("has_more").asBoolean()).isEqualTo(cursor != null);
            requests++;
        } while (cursor != null);
        assertThat(requests).isEqualTo(3);
        assertThat(ids).hasSize(23).isSortedAccordingTo(String.CASE_INSENSITIVE_ORDER);

        JsonNode first = notion.pages("companies", 1).get(0);
        assertThat(first.at("/parent/type").asText()).isEqualTo("data_source_id");
        assertThat(first.at("/properties/Employees/type").asText()).isEqualTo("number");
        assertThat(first.at("/properties/Industry/select/name").asText()).isNotBlank();
        assertThat(first.at("/properties/Name/id").asText()).isEqualTo("title");
        notion.update(first.get("id").asText(), Map.of("Type", Map.of("select", Map.of("name", "Edited Type"))));
        JsonNode edited = notion.ok("POST", "/data_sources/" + ds + "/query", Map.of("filter", Map.of("timestamp", "last_edited_time",
                "last_edited_time", Map.of("on_or_after", notion.page(first.get("id").asText()).get("last_edited_time").asText()))));
        assertThat(edited.get("results")).hasSize(1);
        JsonNode bySelect = notion.ok("POST", "/data_sources/" + ds + "/query", Map.of("filter", Map.of("and", List.of(
                Map.of("property", "Type", "select", Map.of("equals", "Edited Type")),
                Map.of("property", "Active", "checkbox", Map.of("equals", true))))));
        assertThat(bySelect.get("results")).hasSize(1);
        HubClient.Response badCursor = notion.api("POST", "/data_sources/" + ds + "/query", Map.of("start_cursor", "nope"));
        assertThat(badCursor.status()).isEqualTo(400);
        assertThat(badCursor.body().get("code").asText()).isEqualTo("validation_error");

        // 2022-06-28: the database is queried directly and pages name their database; later versions refuse that path
        String db = notion.databaseId("companies");
        HubClient.Response old = notion.call("POST", "/v1/databases/" + db + "/query", notion.token(), "2022-06-28", Map.of("page_size", 5));
        assertThat(old.status()).as(old.raw()).isEqualTo(200);
        assertThat(old.body().at("/results/0/parent/type").asText()).isEqualTo("database_id");
        assertThat(old.body().get("type").asText()).isEqualTo("page_or_database");
        assertThat(notion.api("POST", "/databases/" + db + "/query", Map.of()).body().get("code").asText()).isEqualTo("invalid_request_url");
        assertThat(notion.ok("GET", "/databases/" + db, null).at("/data_sources/0/id").asText()).isEqualTo(ds);
    }

    @Test
    void trashedPagesLeaveQueriesAndTypedWritesAreChecked() {
        NotionSandboxWorkspace notion = workspace(5, 0);
        String ds = notion.dataSourceId("companies");
        String id = notion.pages("companies", 1).get(0).get("id").asText();
        HubClient.Response wrongType = notion.api("PATCH", "/pages/" + id, Map.of("properties", Map.of("Employees", Map.of("number", "many"))));
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.body().get("code").asText()).isEqualTo("validation_error");
        HubClient.Response unknown = notion.api("PATCH", "/pages/" + id, Map.of("properties", Map.of("Nope", Map.of("number", 1))));
        assertThat(unknown.body().get("message").asText()).contains("Nope is not a property that exists");
        JsonNode updated = notion.update(id, Map.of("Employees", Map.of("number", 12), "Website", Map.of("url", "https://x.example")));
        assertThat(updated.at("/properties/Employees/number").asInt()).isEqualTo(12);

        notion.trash(id);
        assertThat(notion.ok("POST", "/data_sources/" + ds + "/query", Map.of()).get("results")).hasSize(4);
        JsonNode withTrash = notion.ok("POST", "/data_sources/" + ds + "/query", Map.of("in_trash", true));
        assertThat(withTrash.get("results")).hasSize(5).anySatisfy(p -> assertThat(p.get("in_trash").asBoolean()).isTrue());
        assertThat(notion.page(id).get("in_trash").asBoolean()).isTrue();
        assertThat(notion.api("PATCH", "/pages/" + id, Map.of("properties", Map.of("Employees", Map.of("number", 1)))).status()).isEqualTo(400);
        assertThat(notion.describe().at("/companies/pages").asInt()).isEqualTo(4);
    }

    @Test
    void blockChildrenArePagedAndNested() {
        NotionSandboxWorkspace notion = workspace(2, 2);
        String note = notion.pages("notes", 1).get(0).get("id").asText();
        List<JsonNode> blocks = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = notion.ok("GET", "/blocks/" + note + "/children?page_size=2" + (cursor == null ? "" : "&start_cursor=" + cursor), null);
            page.get("results").forEach(blocks::add);
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);
        assertThat(blocks).extracting(b -> b.get("type").asText())
                .containsExactly("heading_2", "paragraph", "bulleted_list_item", "numbered_list_item", "to_do");
        JsonNode parent = blocks.get(2);
        assertThat(parent.get("has_children").asBoolean()).isTrue();
        JsonNode nested = notion.ok("GET", "/blocks/" + parent.get("id").asText() + "/children", null);
        assertThat(nested.at("/results/0/paragraph/rich_text/0/plain_text").asText()).startsWith("Deal: ");
        assertThat(blocks.get(4).at("/to_do/checked").isBoolean()).isTrue();
        JsonNode truth = notion.setup("GET", "/ground-truth", null);
        assertThat(truth.get(note).get("company").asText()).startsWith("company-");
        assertThat(notion.ok("POST", "/search", Map.of("query", "Notes", "filter", Map.of("property", "object", "value", "data_source")))
                .at("/results/0/object").asText()).isEqualTo("data_source");
    }

    @Test
    void pastTheLimitCallsAreRateLimitedWithRetryAfter() {
        NotionSandboxWorkspace notion = workspace(1, 0);
        notion.setup("POST", "/limits", Map.of("rateLimit", 2, "windowSeconds", 60));
        assertThat(notion.api("GET", "/users", null).status()).isEqualTo(200);
        assertThat(notion.api("GET", "/users", null).status()).isEqualTo(200);
        HubClient.Response limited = notion.api("GET", "/users", null);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.body().get("code").asText()).isEqualTo("rate_limited");
        assertThat(limited.raw()).containsPattern("(?i)retry-after=\\[\\d+\\]");
        assertThat(notion.setup("GET", "/limits", null).get("violations").asInt()).isEqualTo(1);
    }

    @Test
    void oauthIssuesRotatingRefreshTokensAndExpiredAccessTokensAreRefused() {
        NotionSandboxWorkspace notion = workspace(1, 0);
        String location = HubClient.authorizationRedirect(notion.baseUrl() + "/v1/oauth/authorize?client_id=sandbox-client&response_type=code"
                + "&owner=user&redirect_uri=http://localhost/cb&state=s1&login_hint=" + notion.name());
        String code = location.replaceAll(".*[?&]code=([^&]+).*", "$1");
        assertThat(location).contains("state=s1");
        String basic = "Basic " + Base64.getEncoder().encodeToString("sandbox-client:sandbox-secret".getBytes(StandardCharsets.UTF_8));
        HubClient.Response issued = basicCall(notion, basic, Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", "http://localhost/cb"));
        assertThat(issued.status()).as(issued.raw()).isEqualTo(200);
        JsonNode tokens = issued.body();
        assertThat(tokens.has("expires_in")).isFalse();
        assertThat(tokens.get("workspace_name").asText()).isEqualTo(notion.name());
        String access = tokens.get("access_token").asText();
        assertThat(notion.call("GET", "/v1/users/me", access, NotionSandboxWorkspace.VERSION, null).status()).isEqualTo(200);
        assertThat(basicCall(notion, basic, Map.of("grant_type", "authorization_code", "code", code)).body().get("code").asText())
                .isEqualTo("invalid_grant");

        JsonNode refreshed = basicCall(notion, basic, Map.of("grant_type", "refresh_token", "refresh_token",
                tokens.get("refresh_token").asText())).body();
        assertThat(refreshed.get("refresh_token").asText()).isNotEqualTo(tokens.get("refresh_token").asText());
        HubClient.Response reused = basicCall(notion, basic, Map.of("grant_type", "refresh_token", "refresh_token",
                tokens.get("refresh_token").asText()));
        assertThat(reused.status()).isEqualTo(400);
        assertThat(reused.body().get("code").asText()).isEqualTo("invalid_grant");
        assertThat(basicCall(notion, "Basic " + Base64.getEncoder().encodeToString("sandbox-client:wrong".getBytes(StandardCharsets.UTF_8)),
                Map.of("grant_type", "refresh_token", "refresh_token", "x")).status()).isEqualTo(401);

        notion.setup("POST", "/tokens/expire", null);
        HubClient.Response expired = notion.call("GET", "/v1/users/me", refreshed.get("access_token").asText(),
                NotionSandboxWorkspace.VERSION, null);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.body().get("code").asText()).isEqualTo("unauthorized");
    }

    private static HubClient.Response basicCall(NotionSandboxWorkspace notion, String basic, Map<String, Object> body) {
        try {
            java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(notion.baseUrl() + "/v1/oauth/token"))
                    .header("Authorization", basic).header("Content-Type", "application/json").header("Notion-Version", "2022-06-28")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(HubClient.JSON.writeValueAsString(body))).build();
            java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(request,
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return new HubClient.Response(response.statusCode(), HubClient.JSON.readTree(response.body()), response.body());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aSubscriptionIsVerifiedOnceThenEventsGoSignedToTheHubsReceiver() {
        NotionSandboxWorkspace notion = workspace(2, 0);
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        String integration = notion.connect(key, Map.of());
        JsonNode registration = hub.ok("POST", "/api/tenant/integrations/" + integration + "/webhooks", key,
                Map.of("scheme", "notion", "events", List.of("company.*")));
        HubClient.Response elsewhere = notion.call("PUT", "/setup/webhooks", notion.token(), null, Map.of("url", "http://example.com/hook"));
        assertThat(elsewhere.status()).as("only the hub's own origin unless listed").isEqualTo(400);

        JsonNode subscription = notion.setup("PUT", "/webhooks", Map.of("url", registration.get("url").asText()));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> notion.setup("GET", "/webhooks", null).get("verificationDelivered")
                .asBoolean());
        String id = notion.pages("companies", 1).get(0).get("id").asText();
        notion.update(id, Map.of("Name", NotionSandboxWorkspace.title("Before verification")));
        HubClient.Response wrong = notion.call("POST", "/setup/webhooks/verify", notion.token(), null, Map.of("verification_token", "secret_x"));
        assertThat(wrong.status()).isEqualTo(400);
        notion.setup("POST", "/webhooks/verify", Map.of("verification_token", subscription.get("verificationToken").asText()));
        notion.update(id, Map.of("Name", NotionSandboxWorkspace.title("After verification")));
        String deliveries = "/api/webhooks/deliveries?registrationId=" + registration.get("id").asText();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                notion.setup("GET", "/webhooks", null).get("deliveredEvents").asInt() == 1
                        && hub.ok("GET", deliveries, key, null).get("items").size() >= 2);
        JsonNode items = hub.ok("GET", deliveries, key, null).get("items");
        // the unsigned verification request is the hub's handshake (the token captured); the event is signed with it
        assertThat(items).extracting(d -> d.get("verification").asText()).containsExactlyInAnyOrder("handshake", "verified");
        List<String> events = new ArrayList<>();
        items.forEach(d -> d.path("events").forEach(e -> events.add(e.get("type").asText() + " " + e.get("externalId").asText())));
        assertThat(events).contains("company.updated " + id);
        assertThat(notion.setup("GET", "/webhooks", null).get("failedRequests").asInt()).isZero();
    }

    @Test
    void theSignatureMatchesNotionsOwnTestVector() {
        // signWebhookPayload({body, verificationToken}) of @notionhq/client 5.x (NOTION_WIRE.md)
        assertThat(NotionSandbox.signature("secret_abc", "{\"id\":\"evt\",\"type\":\"page.created\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("sha256=1dfe8fda9ef66315f3281e04b113780e5913206fcab8f6e3ccbe30fd6c708c7e");
    }
}
