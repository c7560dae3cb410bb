package processors.resolution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import hub.EmbeddedHubTest;
import hub.HubClient;
import store.BlockingKeyStore;

/**
 * Match rules through the API and the blocking-key index, on each store (see the implementing classes): defaults out of
 * the box, a tenant's own rules checked, kept and removed, tenants apart, candidates by shared keys.
 */
interface MatchingScenario {

    HubClient hub();

    BlockingKeyStore blockingKeys();

    @Test
    default void defaultsApplyUntilATenantSetsItsOwnRulesAndAgainAfterItDeletesThem() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(EmbeddedHubTest.ADMIN_KEY);
        HubClient.Tenant other = hub.newTenant(EmbeddedHubTest.ADMIN_KEY);
        String path = "/api/tenant/match-rules/c_contact";

        JsonNode defaults = hub.ok("GET", path, tenant.key(), null);
        assertThat(defaults.get("default").asBoolean()).isTrue();
        assertThat(defaults.path("updatedAt").asText()).as("never set").isIn("", "null");
        assertThat(defaults.at("/rules/fields/0/field").asText()).isEqualTo("email");
        assertThat(defaults.at("/rules/thresholds/match").asDouble()).isPositive();
        assertThat(hub.ok("GET", "/api/tenant/match-rules/c_company", tenant.key(), null).at("/rules/blockingKeys/0").asText())
                .isEqualTo("domain");

        // the defaults as shown are valid rules: a tenant can start from them
        ObjectNode own = (ObjectNode) defaults.get("rules").deepCopy();
        ((ObjectNode) own.get("thresholds")).put("match", 0.95).put("review", 0.8);
        own.put("survivorship", "manual_review");
        own.set("sourcePriority", HubClient.JSON.valueToTree(Map.of("phone", List.of("hubspot", "salesforce"))));
        JsonNode saved = hub.ok("PUT", path, tenant.key(), own);
        assertThat(saved.get("default").asBoolean()).isFalse();
        assertThat(saved.get("updatedAt").asText()).isNotBlank();

        JsonNode read = hub.ok("GET", path, tenant.key(), null);
        assertThat(read.get("default").asBoolean()).isFalse();
        assertThat(read.at("/rules/thresholds/match").asDouble()).isEqualTo(0.95);
        assertThat(read.at("/rules/survivorship").asText()).isEqualTo("manual_review");
        assertThat(read.at("/rules/sourcePriority/phone/0").asText()).isEqualTo("hubspot");
        assertThat(hub.ok("GET", path, other.key(), null).get("default").asBoolean()).as("another tenant keeps the defaults").isTrue();
        assertThat(hub.call("DELETE", path, other.key(), null).status()).as("another tenant's delete removes nothing of this one's")
                .isEqualTo(204);
        assertThat(hub.ok("GET", path, tenant.key(), null).get("default").asBoolean()).isFalse();

        assertThat(hub.call("DELETE", path, tenant.key(), null).status()).isEqualTo(204);
        JsonNode back = hub.ok("GET", path, tenant.key(), null);
        assertThat(back.get("default").asBoolean()).isTrue();
        assertThat(back.get("rules")).isEqualTo(defaults.get("rules"));
    }

    @Test
    default void invalidRulesAreRefusedNamingTheProblemField() {
        HubClient hub = hub();
        String key = hub.newTenantKey(EmbeddedHubTest.ADMIN_KEY);
        String path = "/api/tenant/match-rules/c_contact";
        ObjectNode rules = (ObjectNode) hub.ok("GET", path, key, null).get("rules").deepCopy();

        ObjectNode unknownField = rules.deepCopy();
        ((ObjectNode) unknownField.get("fields").get(3)).put("field", "nickname");
        HubClient.Response refused = hub.call("PUT", path, key, unknownField);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().get("field").asText()).isEqualTo("fields[3].field");
        assertThat(refused.body().get("message").asText()).contains("unknown field 'nickname': no mapping of c_contact targets it");

        ObjectNode unknownComparator = rules.deepCopy();
        ((ObjectNode) unknownComparator.get("fields").get(0)).put("comparator", "cosine");
        refused = hub.call("PUT", path, key, unknownComparator);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().get("field").asText()).isEqualTo("fields[0].comparator");

        ObjectNode unreachable = rules.deepCopy();
        unreachable.put("minComparedWeight", 1000);
        refused = hub.call("PUT", path, key, unreachable);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().get("field").asText()).isEqualTo("fields");
        assertThat(refused.body().get("message").asText()).contains("below the match threshold");

        ObjectNode outOfOrder = rules.deepCopy();
        outOfOrder.set("thresholds", HubClient.JSON.valueToTree(Map.of("match", 0.5, "review", 0.9)));
        refused = hub.call("PUT", path, key, outOfOrder);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().get("field").asText()).isEqualTo("thresholds.review");

        assertThat(hub.call("PUT", path, key, "[1]").status()).isEqualTo(400);
        assertThat(hub.ok("GET", path, key, null).get("default").asBoolean()).as("nothing refused was kept").isTrue();
    }

    @Test
    default void unknownShardTypesAndTypesWithoutRulesAreNotFound() {
        HubClient hub = hub();
        String key = hub.newTenantKey(EmbeddedHubTest.ADMIN_KEY);

        HubClient.Response unknown = hub.call("GET", "/api/tenant/match-rules/c_planet", key, null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().get("message").asText()).contains("unknown shard type 'c_planet'");
        assertThat(hub.call("PUT", "/api/tenant/match-rules/c_planet", key, Map.of()).status()).isEqualTo(404);
        assertThat(hub.call("DELETE", "/api/tenant/match-rules/c_planet", key, null).status()).isEqualTo(404);

        HubClient.Response notes = hub.call("GET", "/api/tenant/match-rules/c_note", key, null);
        assertThat(notes.status()).isEqualTo(404);
        assertThat(notes.body().get("message").asText()).contains("not matched until rules are set");
        // another shard type opts in with rules of its own
        Map<String, Object> noteRules = Map.of("fields", List.of(Map.of("field", "title", "normalizer", "text", "comparator", "exact",
                        "weight", 1)), "blockingKeys", List.of("title"), "thresholds", Map.of("match", 1, "review", 1));
        assertThat(hub.ok("PUT", "/api/tenant/match-rules/c_note", key, noteRules).get("default").asBoolean()).isFalse();
        assertThat(hub.call("GET", "/api/tenant/match-rules/c_note", key, null).status()).isEqualTo(200);
        assertThat(hub.call("GET", "/api/tenant/match-rules/c_contact", null, null).status()).as("a tenant key is needed").isEqualTo(401);
    }

    @Test
    default void candidatesAreTheShardsSharingTheMostKeysWithinTheTenantAndType() {
        BlockingKeyStore store = blockingKeys();
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        String other = tenant + "-other";
        store.replaceKeys(tenant, "c_contact", "s1", Set.of("email=a@x.io", "phone=+14155550100"));
        store.replaceKeys(tenant, "c_contact", "s2", Set.of("email=a@x.io", "phone=+14155550100", "birthDate=1980-01-01"));
        store.replaceKeys(tenant, "c_contact", "s3", Set.of("phone=+14155550100"));
        store.replaceKeys(tenant, "c_company", "s4", Set.of("email=a@x.io"));
        store.replaceKeys(other, "c_contact", "s5", Set.of("email=a@x.io", "phone=+14155550100", "birthDate=1980-01-01"));

        List<String> keys = List.of("email=a@x.io", "phone=+14155550100", "birthDate=1980-01-01");
        assertThat(store.candidates(tenant, "c_contact", keys, 10)).containsExactly("s2", "s1", "s3");
        assertThat(store.candidates(tenant, "c_contact", keys, 2)).containsExactly("s2", "s1");
        assertThat(store.candidates(tenant, "c_contact", List.of("email=b@x.io"), 10)).isEmpty();
        assertThat(store.candidates(tenant, "c_contact", List.of(), 10)).isEmpty();
        assertThat(store.candidates(other, "c_contact", keys, 10)).containsExactly("s5");

        store.replaceKeys(tenant, "c_contact", "s2", Set.of("email=c@x.io"));
        assertThat(store.keys(tenant, "s2")).containsExactly("email=c@x.io");
        assertThat(store.candidates(tenant, "c_contact", keys, 10)).containsExactly("s1", "s3");

        store.deleteShard(tenant, "s1");
        assertThat(store.candidates(tenant, "c_contact", keys, 10)).containsExactly("s3");
        assertThat(store.candidates(other, "c_contact", keys, 10)).as("another tenant's shard of the same id is its own").containsExactly("s5");
    }

    @Test
    default void keysOfShardsMergedIntoOneMoveThereOnceEach() {
        BlockingKeyStore store = blockingKeys();
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        store.replaceKeys(tenant, "c_company", "into", Set.of("name=acme"));
        store.replaceKeys(tenant, "c_company", "a", Set.of("name=acme", "phone=+14155550100", "domain=acme.com"));
        store.replaceKeys(tenant, "c_company", "b", Set.of("phone=+14155550100", "domain=acme.io"));
        store.replaceKeys(tenant, "c_company", "other", Set.of("domain=acme.com"));

        store.moveKeys(tenant, Map.of("a", "into", "b", "into"));

        assertThat(store.keys(tenant, "into")).containsExactlyInAnyOrder("name=acme", "phone=+14155550100", "domain=acme.com",
                "domain=acme.io");
        assertThat(store.keys(tenant, "a")).isEmpty();
        assertThat(store.keys(tenant, "b")).isEmpty();
        assertThat(store.keys(tenant, "other")).containsExactly("domain=acme.com");
        assertThat(store.candidates(tenant, "c_company", List.of("phone=+14155550100"), 10)).containsExactly("into");
    }
}
