package sandbox.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import hub.EmbeddedHubTest;
import hub.HubClient;
import sandbox.kit.SandboxPort;

/**
 * The GitHub sandbox's wire answers over HTTP, as GitHub's clients meet them: both path layouts and the sandbox port,
 * Link paging, ETag and 304 at no cost, the primary and secondary limit answers, errors, egit's POST-for-PATCH, admin
 * deletion, the OAuth app, and hook deliveries signed so that the hub's GitHub verifier accepts them.
 */
class GitHubSandboxTest extends EmbeddedHubTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Autowired
    SandboxPort sandboxPort;

    private final String token = "ghp_sandbox_wire-" + UUID.randomUUID().toString().substring(0, 8);

    record Answer(int status, JsonNode body, HttpResponse<String> response) {
        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }

    private Answer send(String method, String url, String authorization, String body, String... headers) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            for (int i = 0; i < headers.length; i += 2) {
                request.header(headers[i], headers[i + 1]);
            }
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body() == null || response.body().isBlank() ? null : HubClient.JSON.readTree(response.body());
            return new Answer(response.statusCode(), json, response);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String api() {
        return hub().baseUrl() + "/sandbox/github";
    }

    private Answer get(String path, String... headers) {
        return send("GET", api() + path, "token " + token, null, headers);
    }

    private int used() {
        return send("GET", api() + "/setup/limits", "token " + token, null).body().get("used").asInt();
    }

    @Test
    void issuesComeInLinkedPagesOnEveryLayoutWithRateHeadersAndEtags() {
        Answer first = get("/repos/sandbox-org/customer-success/issues?state=all&per_page=7&sort=updated&direction=asc");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("Content-Type")).startsWith("application/json");
        assertThat(first.body()).hasSize(7);
        assertThat(first.header("x-ratelimit-limit")).isEqualTo("5000");
        assertThat(Integer.parseInt(first.header("x-ratelimit-remaining"))).isLessThan(5000);
        assertThat(Long.parseLong(first.header("x-ratelimit-reset"))).isGreaterThan(Instant.now().getEpochSecond());
        assertThat(first.header("x-ratelimit-resource")).isEqualTo("core");
        String link = first.header("Link");
        assertThat(link).contains("rel=\"next\"").contains("rel=\"last\"").contains("page=2").contains("per_page=7")
                .contains("sort=updated").startsWith("<" + api() + "/repos/sandbox-org/customer-success/issues?");
        // every issue and pull request of the repository, updated oldest first, across the pages
        List<String> updated = new ArrayList<>();
        String next = api() + "/repos/sandbox-org/customer-success/issues?state=all&per_page=7&sort=updated&direction=asc";
        int pages = 0;
        while (next != null) {
            Answer page = send("GET", next, "Bearer " + token, null);
            page.body().forEach(i -> updated.add(i.get("updated_at").asText()));
            String l = page.header("Link");
            java.util.regex.Matcher m = l == null ? null : java.util.regex.Pattern.compile("<([^>]+)>;\\s*rel=\"next\"").matcher(l);
            next = m != null && m.find() ? m.group(1) : null;
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(updated).hasSize(20).isSorted();
        assertThat(updated.get(0)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        JsonNode pull = first.body().get(3);
        assertThat(pull.has("pull_request")).isTrue();
        assertThat(first.body().get(0).at("/user/login").asText()).isNotBlank();
        assertThat(first.body().get(0).get("body").asText()).contains(" at ");

        // the Enterprise Server layout, and the same at the sandbox port's root where egit calls
        Answer v3 = send("GET", api() + "/api/v3/repos/sandbox-org/customer-success/issues?per_page=2", "token " + token, null);
        assertThat(v3.header("Link")).contains(api() + "/api/v3/repos/sandbox-org/customer-success/issues?");
        Answer root = send("GET", "http://127.0.0.1:" + sandboxPort.localPort() + "/api/v3/repos/sandbox-org/customer-success/issues?per_page=2",
                "token " + token, null);
        assertThat(root.status()).isEqualTo(200);
        assertThat(root.header("Link")).startsWith("<http://127.0.0.1:" + sandboxPort.localPort() + "/api/v3/repos/");
        assertThat(root.body().get(0).get("url").asText()).startsWith("http://127.0.0.1:" + sandboxPort.localPort() + "/api/v3/repos/");

        // since: updated at or after
        String since = updated.get(15);
        Answer recent = get("/repos/sandbox-org/customer-success/issues?state=all&since=" + since);
        assertThat(recent.body()).hasSizeGreaterThanOrEqualTo(5).allSatisfy(i ->
                assertThat(i.get("updated_at").asText()).isGreaterThanOrEqualTo(since));
    }

    @Test
    void aMatchingEtagGets304AndCostsNothing() {
        Answer first = get("/repos/sandbox-org/website/issues?state=all");
        String etag = first.header("ETag");
        assertThat(etag).matches("\"[0-9a-f]+\"");
        int before = used();
        Answer again = get("/repos/sandbox-org/website/issues?state=all", "If-None-Match", etag);
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.response().body()).isEmpty();
        assertThat(again.header("ETag")).isEqualTo(etag);
        assertThat(again.header("x-ratelimit-remaining")).isNotNull();
        assertThat(used()).isEqualTo(before);
        // a change changes the list's ETag
        send("PATCH", api() + "/repos/sandbox-org/website/issues/1", "token " + token, "{\"title\":\"Changed\"}");
        assertThat(get("/repos/sandbox-org/website/issues?state=all", "If-None-Match", etag).status()).isEqualTo(200);
    }

    @Test
    void limitsAnswerAsGitHubDoes() {
        assertThat(send("GET", api() + "/user", "token ghp_unknown", null).body().get("message").asText()).isEqualTo("Bad credentials");
        assertThat(send("GET", api() + "/user", null, null).status()).isEqualTo(401);

        send("PUT", api() + "/setup/limits", "token " + token, "{\"rateLimit\": 2, \"windowSeconds\": 3600}");
        // the setup calls are free, the window counts this token's calls: two let in, the third refused
        get("/user");
        get("/user");
        Answer primary = get("/user");
        assertThat(primary.status()).isEqualTo(403);
        assertThat(primary.header("x-ratelimit-remaining")).isEqualTo("0");
        assertThat(Long.parseLong(primary.header("x-ratelimit-reset"))).isGreaterThan(Instant.now().getEpochSecond());
        assertThat(primary.body().get("message").asText()).startsWith("API rate limit exceeded");
        assertThat(primary.body().get("documentation_url").asText()).contains("rate-limits");
        send("PUT", api() + "/setup/limits", "token " + token, "{\"status\": 429}");
        assertThat(get("/user").status()).isEqualTo(429);
        assertThat(send("GET", api() + "/setup/limits", "token " + token, null).body().get("violations").asInt()).isEqualTo(2);
        send("PUT", api() + "/setup/limits", "token " + token, "{\"rateLimit\": 5000}");

        send("POST", api() + "/setup/secondary-limit", "token " + token, "{\"refusals\": 1, \"retryAfterSeconds\": 30}");
        Answer secondary = get("/user");
        assertThat(secondary.status()).isEqualTo(403);
        assertThat(secondary.header("retry-after")).isEqualTo("30");
        assertThat(secondary.body().get("message").asText()).contains("secondary rate limit");
        assertThat(get("/user").status()).isEqualTo(200);
    }

    @Test
    void writesErrorsAndDeletionsAnswerAsGitHubDoes() {
        String base = api() + "/repos/sandbox-org/integrations";
        Answer created = send("POST", base + "/issues", "token " + token, "{\"title\":\"New\",\"body\":\"About Acme\",\"labels\":[\"bug\"]}");
        assertThat(created.status()).isEqualTo(201);
        int number = created.body().get("number").asInt();
        assertThat(number).isEqualTo(21);
        Answer missing = send("POST", base + "/issues", "token " + token, "{\"body\":\"no title\"}");
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.body().at("/errors/0/field").asText()).isEqualTo("title");

        // egit edits with POST and sends every field, nulls included: null leaves a field as it is
        Answer edited = send("POST", base + "/issues/" + number, "token " + token,
                "{\"title\":\"Renamed\",\"body\":null,\"state\":\"closed\",\"labels\":[{\"name\":\"customer\"}],\"milestone\":null}");
        assertThat(edited.status()).isEqualTo(200);
        assertThat(edited.body().get("body").asText()).isEqualTo("About Acme");
        assertThat(edited.body().get("state").asText()).isEqualTo("closed");
        assertThat(edited.body().get("state_reason").asText()).isEqualTo("completed");
        assertThat(edited.body().at("/labels/0/name").asText()).isEqualTo("customer");
        assertThat(send("PATCH", base + "/issues/" + number, "token " + token, "{\"state\":\"gone\"}").status()).isEqualTo(422);

        Answer comment = send("POST", base + "/issues/" + number + "/comments", "token " + token, "{\"body\":\"First\"}");
        assertThat(comment.status()).isEqualTo(201);
        assertThat(comment.body().get("issue_url").asText()).endsWith("/issues/" + number);
        String commentId = comment.body().get("id").asText();
        assertThat(send("DELETE", base + "/issues/comments/" + commentId, "token " + token, null).status()).isEqualTo(204);
        assertThat(send("GET", base + "/issues/comments/" + commentId, "token " + token, null).status()).isEqualTo(404);

        // an admin deletes an issue: 410 Gone, and it leaves the lists
        send("POST", api() + "/setup/repos/integrations/issues/" + number + "/delete", "token " + token, null);
        Answer gone = send("GET", base + "/issues/" + number, "token " + token, null);
        assertThat(gone.status()).isEqualTo(410);
        assertThat(get("/repos/sandbox-org/integrations/issues?state=all&per_page=100").body()).hasSize(20);
        JsonNode truth = send("GET", api() + "/setup/repos/integrations", "token " + token, null).body();
        assertThat(truth.get("issues")).anySatisfy(i -> assertThat(i.get("deleted").asBoolean()).isTrue());
        assertThat(send("GET", api() + "/repos/sandbox-org/unknown", "token " + token, null).body().get("message").asText())
                .isEqualTo("Not Found");
    }

    @Test
    void theOAuthAppGivesAUserTokenForTheOrg() {
        String org = "oauth-" + UUID.randomUUID().toString().substring(0, 8);
        Answer consent = send("GET", api() + "/login/oauth/authorize?client_id=sandbox-client&redirect_uri=http://127.0.0.1:9/cb&state=xyz&login="
                + org, null, null);
        assertThat(consent.status()).isEqualTo(302);
        String location = consent.header("Location");
        assertThat(location).startsWith("http://127.0.0.1:9/cb?code=").endsWith("&state=xyz");
        String code = location.substring(location.indexOf("code=") + 5, location.indexOf("&state"));
        Answer wrong = send("POST", api() + "/login/oauth/access_token?client_id=sandbox-client&client_secret=nope&code=" + code, null, null);
        assertThat(wrong.body().get("error").asText()).isEqualTo("incorrect_client_credentials");
        Answer exchanged = send("POST", api() + "/login/oauth/access_token?client_id=sandbox-client&client_secret=sandbox-secret&code=" + code
                + "&redirect_uri=http://127.0.0.1:9/cb", null, null, "Accept", "application/json");
        String userToken = exchanged.body().get("access_token").asText();
        assertThat(userToken).startsWith("gho_");
        assertThat(exchanged.body().get("token_type").asText()).isEqualTo("bearer");
        assertThat(send("GET", api() + "/repos/sandbox-org/website", "token " + userToken, null).status()).isEqualTo(200);
        Answer reused = send("POST", api() + "/login/oauth/access_token?client_id=sandbox-client&client_secret=sandbox-secret&code=" + code,
                null, null);
        assertThat(reused.body().get("error").asText()).isEqualTo("bad_verification_code");
    }

    @Test
    void hookDeliveriesCarryGitHubsHeadersAndPassTheHubsVerifier() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        String integration = hub.ok("POST", "/api/tenant/integrations", key, Map.of("providerId", "github", "name", "hooks")).get("id").asText();
        String secret = "github-hook-secret-" + UUID.randomUUID();
        JsonNode registration = hub.ok("POST", "/api/tenant/integrations/" + integration + "/webhooks", key,
                Map.of("scheme", "github", "events", List.of("note.*"), "secret", secret));
        String url = registration.get("url").asText();
        Answer hook = send("POST", api() + "/repos/sandbox-org/website/hooks", "token " + token,
                "{\"name\":\"web\",\"active\":true,\"events\":[\"issues\",\"issue_comment\"],\"config\":{\"url\":\"" + url
                        + "\",\"content_type\":\"json\",\"secret\":\"" + secret + "\"}}");
        assertThat(hook.status()).as(hook.response().body()).isEqualTo(201);
        assertThat(hook.body().at("/config/secret").asText()).isEqualTo("********");
        assertThat(send("POST", api() + "/repos/sandbox-org/website/hooks", "token " + token,
                "{\"config\":{\"url\":\"" + url + "\",\"content_type\":\"json\"}}").status()).isEqualTo(422);
        assertThat(send("POST", api() + "/repos/sandbox-org/website/hooks", "token " + token,
                "{\"config\":{\"url\":\"http://198.51.100.7/hook\",\"content_type\":\"json\"}}").status()).isEqualTo(422);

        send("PATCH", api() + "/repos/sandbox-org/website/issues/2", "token " + token, "{\"title\":\"Hooked\"}");
        send("POST", api() + "/repos/sandbox-org/website/issues/2/comments", "token " + token, "{\"body\":\"hi\"}");
        String deliveries = "/api/webhooks/deliveries?registrationId=" + registration.get("id").asText();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> hub.ok("GET", deliveries, key, null).get("items").size() >= 2);
        JsonNode items = hub.ok("GET", deliveries, key, null).get("items");
        assertThat(items).allSatisfy(d -> assertThat(d.get("verification").asText()).isEqualTo("verified"));
        List<String> events = new ArrayList<>();
        items.forEach(d -> d.get("events").forEach(e -> events.add(e.get("type").asText() + " " + e.get("externalId").asText())));
        assertThat(events).contains("note.updated sandbox-org/website#2").anyMatch(e -> e.matches("note.created sandbox-org/website/comments/\\d+"));
        JsonNode status = send("GET", api() + "/setup/hooks", "token " + token, null).body().get(0);
        // the ping, the edit and the comment
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                send("GET", api() + "/setup/hooks", "token " + token, null).body().get(0).at("/deliveries/delivered").asInt() == 3);
        assertThat(status.at("/deliveries/failedRequests").asInt()).isZero();
    }
}
