package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import hub.HubClient;

/**
 * An org of the hub's GitHub sandbox of its own (personal access token {@code ghp_sandbox_<name>}), changed as a GitHub
 * user would (its REST API) and set up through its setup API; and a tenant's GitHub integration connected to it.
 */
public final class GitHubSandbox {

    public static final String OWNER = "sandbox-org";

    private final HubClient hub;
    private final String name;

    public GitHubSandbox(HubClient hub, String prefix) {
        this.hub = hub;
        this.name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public String token() {
        return "ghp_sandbox_" + name;
    }

    public String baseUrl() {
        return hub.baseUrl() + "/sandbox/github";
    }

    public HubClient.Response call(String method, String path, Object body) {
        return hub.call(method, baseUrl() + path, token(), body);
    }

    public JsonNode ok(String method, String path, Object body) {
        HubClient.Response r = call(method, path, body);
        assertThat(r.status()).as(method + " " + path + " -> " + r.raw()).isBetween(200, 299);
        return r.body();
    }

    /** The org seeded anew with these sizes. */
    public JsonNode reset(int repositories, int issuesPerRepository, int commentsPerIssue) {
        return ok("POST", "/setup/reset", Map.of("repositories", repositories, "issuesPerRepository", issuesPerRepository,
                "commentsPerIssue", commentsPerIssue));
    }

    public JsonNode limits() {
        return ok("GET", "/setup/limits", null);
    }

    public JsonNode limits(Map<String, Object> limits) {
        return ok("PUT", "/setup/limits", limits);
    }

    /** Ground truth of a repository (issues with their state and labels, comments), deleted issues marked. */
    public JsonNode truth(String repo) {
        return ok("GET", "/setup/repos/" + repo, null);
    }

    /**
     * A personal-access-token integration of the tenant on this org selecting these repositories for every entity, its
     * hub-side rate limit raised out of the way unless {@code requestsPerMinute} says otherwise.
     */
    public String connect(String tenantKey, List<String> repositories, Integer requestsPerMinute) {
        Map<String, Object> body = new HashMap<>();
        body.put("providerId", "github");
        body.put("name", "GitHub " + name);
        String integrationId = hub.ok("POST", "/api/tenant/integrations", tenantKey, body).get("id").asText();
        JsonNode connected = hub.ok("POST", "/api/tenant/integrations/" + integrationId + "/connect/api-key", tenantKey,
                Map.of("type", "personal_access_token", "credentials", Map.of("accessToken", token(), "baseUrl", baseUrl())));
        assertThat(connected.get("ok").asBoolean()).as(connected.toString()).isTrue();
        hub.ok("PATCH", "/api/tenant/integrations/" + integrationId, tenantKey, Map.of("sources", Map.of("*", repositories)));
        if (requestsPerMinute != null) {
            hub.ok("PUT", "/api/tenant/integrations/" + integrationId + "/rate-limits", tenantKey,
                    Map.of("integration", Map.of("requests", requestsPerMinute, "windowSeconds", 60)));
        }
        return integrationId;
    }

    /** The issues of a repository, all states, as the API lists them (oldest first). */
    public List<JsonNode> issues(String repo) {
        List<JsonNode> issues = new ArrayList<>();
        ok("GET", "/repos/" + OWNER + "/" + repo + "/issues?state=all&sort=created&direction=asc&per_page=100", null).forEach(issues::add);
        return issues;
    }

    public List<JsonNode> comments(String repo) {
        List<JsonNode> comments = new ArrayList<>();
        ok("GET", "/repos/" + OWNER + "/" + repo + "/issues/comments?per_page=100", null).forEach(comments::add);
        return comments;
    }

    /** The tenant's shards of a type by the external id of their (first) link. */
    public static Map<String, JsonNode> shardsByExternalId(HubClient hub, String tenantKey, String shardType) {
        Map<String, JsonNode> byId = new HashMap<>();
        hub.allShards(tenantKey, shardType).forEach(s -> byId.put(s.at("/externalRelationships/0/externalId").asText(), s));
        return byId;
    }
}
