package hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A portal of the hub's HubSpot sandbox of its own (private-app token {@code pat-sandbox-<name>}), changed as a HubSpot
 * user would change it (its CRM API) and set up through its setup API; and a tenant's HubSpot integration connected to it.
 */
public final class HubSpotPortal {

    private final HubClient hub;
    private final String name;

    public HubSpotPortal(HubClient hub, String prefix) {
        this.hub = hub;
        this.name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public String name() {
        return name;
    }

    public String token() {
        return "pat-sandbox-" + name;
    }

    public String baseUrl() {
        return hub.baseUrl() + "/sandbox/hubspot";
    }

    /** A call to the portal's API (a path below the base URL), with its token. */
    public HubClient.Response call(String method, String path, Object body) {
        return hub.call(method, baseUrl() + path, token(), body);
    }

    public JsonNode ok(String method, String path, Object body) {
        HubClient.Response r = call(method, path, body);
        assertThat(r.status()).as(method + " " + path + " -> " + r.raw()).isBetween(200, 299);
        return r.body();
    }

    /** The portal seeded anew with this many companies (each with two contacts and a deal). */
    public JsonNode reset(int companies) {
        return ok("POST", "/setup/reset", Map.of("companies", companies));
    }

    public JsonNode limits(Map<String, Object> limits) {
        return ok("POST", "/setup/limits", limits);
    }

    public JsonNode limits() {
        return ok("GET", "/setup/limits", null);
    }

    /** A private-app integration of the tenant on this portal, its rate limit raised out of the way unless settings say otherwise. */
    public String connect(String tenantKey, Map<String, Object> settings) {
        Map<String, Object> body = new HashMap<>(settings);
        body.put("providerId", "hubspot");
        body.putIfAbsent("name", "HubSpot " + name);
        String integrationId = hub.ok("POST", "/api/tenant/integrations", tenantKey, body).get("id").asText();
        JsonNode connected = hub.ok("POST", "/api/tenant/integrations/" + integrationId + "/connect/api-key", tenantKey,
                Map.of("type", "private_app_token", "credentials", Map.of("accessToken", token(), "baseUrl", baseUrl())));
        assertThat(connected.get("ok").asBoolean()).as(connected.toString()).isTrue();
        hub.ok("PUT", "/api/tenant/integrations/" + integrationId + "/rate-limits", tenantKey,
                Map.of("integration", Map.of("requests", 6000, "windowSeconds", 60)));
        return integrationId;
    }

    /** Records of a type in the order of their modification date (the search API), at most {@code n}. */
    public List<JsonNode> records(String type, List<String> properties, int n) {
        String modified = type.equals("contacts") ? "lastmodifieddate" : "hs_lastmodifieddate";
        JsonNode page = ok("POST", "/crm/v3/objects/" + type + "/search", Map.of("sorts", List.of(Map.of("propertyName", modified,
                "direction", "ASCENDING")), "properties", properties, "limit", Math.min(200, n)));
        List<JsonNode> records = new ArrayList<>();
        page.path("results").forEach(records::add);
        return records.subList(0, Math.min(n, records.size()));
    }

    public JsonNode record(String type, String id, String properties) {
        return ok("GET", "/crm/v3/objects/" + type + "/" + id + "?properties=" + properties, null);
    }

    public void update(String type, String id, Map<String, Object> properties) {
        ok("PATCH", "/crm/v3/objects/" + type + "/" + id, Map.of("properties", properties));
    }

    public String create(String type, Map<String, Object> properties) {
        HubClient.Response r = call("POST", "/crm/v3/objects/" + type, Map.of("properties", properties));
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.body().get("id").asText();
    }

    /** The tenant's shards of a type by the external id of their (first) link. */
    public static Map<String, JsonNode> shardsByExternalId(HubClient hub, String tenantKey, String shardType) {
        Map<String, JsonNode> byId = new HashMap<>();
        hub.allShards(tenantKey, shardType).forEach(s -> byId.put(s.at("/externalRelationships/0/externalId").asText(), s));
        return byId;
    }

    public void archive(String type, String id) {
        HubClient.Response r = call("DELETE", "/crm/v3/objects/" + type + "/" + id, null);
        assertThat(r.status()).as(r.raw()).isEqualTo(204);
    }
}
