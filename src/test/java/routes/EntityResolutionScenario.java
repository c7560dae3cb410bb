package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import hub.ChangeFeedTestAdapter;
import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.TestProviderAdapter;

/**
 * Entity resolution inside the sync, with two providers of one tenant whose records name the same companies: the
 * test provider's Items and the change feed's, both mapped to c_company (name, phone). A record matching a shard joins
 * it (one shard, two sources, the decision explained); a possible match waits for a person, who accepts or rejects it;
 * survivorship decides whose values the shard keeps; an unmerge splits a source back out, with its own values and
 * write path, and the next sync keeps it apart.
 */
public interface EntityResolutionScenario {

    Duration TIMEOUT = Duration.ofSeconds(90);

    /** Name and phone, each weighing 1: the same phone alone (0.5) is a possible match, both (1.0) a match. */
    Map<String, Object> NAME_AND_PHONE = Map.of(
            "fields", List.of(
                    Map.of("field", "name", "normalizer", "company_name", "comparator", "jaro_winkler", "weight", 1),
                    Map.of("field", "phone", "normalizer", "phone", "comparator", "exact", "weight", 1)),
            "blockingKeys", List.of("phone", "name"),
            "thresholds", Map.of("match", 0.9, "review", 0.5),
            "minComparedWeight", 2);

    HubClient hub();

    /** The test provider (Items), a provider of this hub's context. */
    TestProviderAdapter items();

    /** The change feed, a second provider of this hub's context. */
    ChangeFeedTestAdapter feed();

    record Tenant(HubClient hub, String id, String key, String items, String feed) {

        JsonNode sync(String integration) {
            JsonNode run = hub.runAndWait(key, integration, hub.task(key, integration, "Item", "incremental"), TIMEOUT);
            assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("completed");
            return run;
        }

        List<JsonNode> companies() {
            return hub.allShards(key, "c_company");
        }

        JsonNode shardOf(String integration, String externalId) {
            return companies().stream().filter(s -> {
                for (JsonNode link : s.get("externalRelationships")) {
                    if (link.get("integrationId").asText().equals(integration) && link.get("externalId").asText().equals(externalId)) {
                        return true;
                    }
                }
                return false;
            }).findFirst().orElseThrow(() -> new AssertionError("no shard holds " + externalId));
        }

        JsonNode shard(String id) {
            return hub.ok("GET", "/api/tenant/shards/" + id, key, null);
        }

        JsonNode pending() {
            return hub.ok("GET", "/api/tenant/matches?status=pending", key, null).get("items");
        }
    }

    private Tenant tenant(Map<String, Object> rules) {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(EmbeddedHubTest.ADMIN_KEY);
        if (rules != null) {
            hub.ok("PUT", "/api/tenant/match-rules/c_company", tenant.key(), rules);
        }
        String itemsIntegration = integration(hub, tenant.key(), TestProviderAdapter.PROVIDER_ID, Map.of("ttlMinutes", "60"));
        String feedIntegration = integration(hub, tenant.key(), ChangeFeedTestAdapter.PROVIDER_ID, Map.of("name", "feed"));
        return new Tenant(hub, tenant.id(), tenant.key(), itemsIntegration, feedIntegration);
    }

    private static String integration(HubClient hub, String key, String provider, Map<String, Object> credentials) {
        String id = hub.ok("POST", "/api/tenant/integrations", key, Map.of("providerId", provider, "name", provider,
                "syncDirection", "bidirectional")).get("id").asText();
        JsonNode connected = hub.ok("POST", "/api/tenant/integrations/" + id + "/connect/api-key", key, Map.of("credentials", credentials));
        assertThat(connected.get("ok").asBoolean()).as(connected.toString()).isTrue();
        return id;
    }

    @Test
    default void aRecordOfTheSameCompanyJoinsItsShardAndTheDecisionIsExplained() {
        Tenant t = tenant(null);
        String acme = items().seedItem(t.id(), "Acme Holdings Inc.", "+1 415 555 0100");
        items().seedItem(t.id(), "Globex Corporation", "+1 212 555 0199");
        JsonNode first = t.sync(t.items());
        assertThat(first.get("recordsCreated").asLong()).isEqualTo(2);

        // the same company spelled otherwise, its phone written otherwise; and one the hub has not seen
        String acmeAgain = feed().put(t.id(), null, "ACME HOLDINGS", "(415) 555-0100");
        feed().put(t.id(), null, "Initech", "+1 312 555 0123");
        JsonNode second = t.sync(t.feed());
        assertThat(second.get("recordsProcessed").asLong()).isEqualTo(2);
        assertThat(second.get("recordsCreated").asLong()).isEqualTo(1);
        assertThat(second.get("recordsMerged").asLong()).isEqualTo(1);

        assertThat(t.companies()).hasSize(3);
        JsonNode shard = t.shardOf(t.items(), acme);
        assertThat(shard.get("id").asText()).isEqualTo(t.shardOf(t.feed(), acmeAgain).get("id").asText());
        assertThat(shard.get("externalRelationships")).hasSize(2);

        JsonNode decisions = t.hub().ok("GET", "/api/tenant/shards/" + shard.get("id").asText() + "/matches", t.key(), null).get("items");
        assertThat(decisions).hasSize(1);
        JsonNode merge = decisions.get(0);
        assertThat(merge.get("kind").asText()).isEqualTo("merge");
        assertThat(merge.get("status").asText()).isEqualTo("applied");
        assertThat(merge.get("externalId").asText()).isEqualTo(acmeAgain);
        JsonNode explanation = merge.get("explanation");
        assertThat(explanation.get("total").asDouble()).isGreaterThanOrEqualTo(explanation.at("/thresholds/match").asDouble());
        assertThat(explanation.get("fields")).anySatisfy(f -> {
            assertThat(f.get("field").asText()).isEqualTo("phone");
            assertThat(f.get("similarity").asDouble()).isEqualTo(1.0);
        });
        assertThat(explanation.get("fields")).anySatisfy(f -> assertThat(f.get("field").asText()).isEqualTo("name"));
    }

    @Test
    default void aPossibleMatchWaitsForAPersonWhoAcceptsOrRejectsIt() {
        Tenant t = tenant(NAME_AND_PHONE);
        String north = items().seedItem(t.id(), "Northwind Traders", "+1 206 555 0101");
        String south = items().seedItem(t.id(), "Southwind Supply", "+1 206 555 0102");
        String east = items().seedItem(t.id(), "Eastwind Freight", "+1 206 555 0103");
        t.sync(t.items());
        // the same phones under other names: possible matches, each given a shard of its own meanwhile
        String blue = feed().put(t.id(), null, "Blue Harbor", "+1 206 555 0101");
        String red = feed().put(t.id(), null, "Red Canyon", "+1 206 555 0102");
        String green = feed().put(t.id(), null, "Green Valley", "+1 206 555 0103");
        JsonNode run = t.sync(t.feed());
        assertThat(run.get("recordsCreated").asLong()).isEqualTo(3);
        assertThat(run.get("recordsInReview").asLong()).isEqualTo(3);
        assertThat(t.companies()).hasSize(6);

        Map<String, JsonNode> queue = new HashMap<>();
        t.pending().forEach(d -> queue.put(d.get("externalId").asText(), d));
        assertThat(queue).containsOnlyKeys(blue, red, green);
        JsonNode review = queue.get(blue);
        assertThat(review.get("kind").asText()).isEqualTo("review");
        assertThat(review.get("shardId").asText()).isEqualTo(t.shardOf(t.items(), north).get("id").asText());
        assertThat(review.get("otherShardId").asText()).isEqualTo(t.shardOf(t.feed(), blue).get("id").asText());
        assertThat(review.get("score").asDouble()).isGreaterThanOrEqualTo(0.5).isLessThan(0.9);

        // accepted: one shard holds both records; the record's own shard is gone
        JsonNode accepted = t.hub().ok("POST", "/api/tenant/matches/" + review.get("id").asText() + "/accept", t.key(), null);
        assertThat(accepted.get("status").asText()).isEqualTo("accepted");
        JsonNode merged = t.shardOf(t.items(), north);
        assertThat(merged.get("externalRelationships")).hasSize(2);
        assertThat(t.shardOf(t.feed(), blue).get("id").asText()).isEqualTo(merged.get("id").asText());
        assertThat(t.shard(review.get("otherShardId").asText()).get("deleted").asBoolean()).isTrue();
        assertThat(t.companies().stream().filter(s -> !s.get("deleted").asBoolean())).hasSize(5);

        // rejected: both stay apart, and the queue no longer holds it
        JsonNode rejected = t.hub().ok("POST", "/api/tenant/matches/" + queue.get(red).get("id").asText() + "/reject", t.key(), null);
        assertThat(rejected.get("status").asText()).isEqualTo("rejected");
        assertThat(t.shardOf(t.feed(), red).get("id").asText()).isNotEqualTo(t.shardOf(t.items(), south).get("id").asText());
        assertThat(t.pending()).extracting(d -> d.get("externalId").asText()).containsExactly(green);
        HubClient.Response again = t.hub().call("POST", "/api/tenant/matches/" + queue.get(red).get("id").asText() + "/accept", t.key(), null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.raw()).contains("rejected");

        // the candidate changed since the match was proposed: accepting it now is refused, naming the change
        items().seedItem(t.id(), "unrelated", "+1 000 000 0000");
        t.hub().ok("PATCH", "/api/tenant/shards/" + t.shardOf(t.items(), east).get("id").asText(), t.key(),
                Map.of("structuredData", Map.of("name", "Eastwind Freight & Co")));
        HubClient.Response stale = t.hub().call("POST", "/api/tenant/matches/" + queue.get(green).get("id").asText() + "/accept", t.key(), null);
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.raw()).contains("changed since");

        // another tenant sees none of it
        String other = t.hub().newTenantKey(EmbeddedHubTest.ADMIN_KEY);
        assertThat(t.hub().ok("GET", "/api/tenant/matches?status=pending", other, null).get("items")).isEmpty();
        assertThat(t.hub().call("POST", "/api/tenant/matches/" + queue.get(green).get("id").asText() + "/accept", other, null).status())
                .isEqualTo(404);
        assertThat(t.hub().call("GET", "/api/tenant/matches?status=maybe", t.key(), null).status()).isEqualTo(400);
    }

    @Test
    default void theExecutionCountsThePairsScoredAndARecordWithoutBlockingKeysScoresNone() {
        Map<String, Object> byPhone = new HashMap<>(NAME_AND_PHONE);
        byPhone.put("blockingKeys", List.of("phone"));
        Tenant t = tenant(byPhone);
        items().seedItem(t.id(), "Adventure Works", "+1 503 555 0110");
        items().seedItem(t.id(), "Alpine Ski House", "+1 503 555 0111");
        assertThat(t.sync(t.items()).get("pairsCompared").asLong()).as("the first records have no candidates").isZero();

        // one record shares its phone with one shard: one pair scored, however many shards there are
        feed().put(t.id(), null, "Adventure Works Cycles", "(503) 555-0110");
        JsonNode shared = t.sync(t.feed());
        assertThat(shared.get("pairsCompared").asLong()).isEqualTo(1);
        assertThat(shared.get("recordsUnblocked").asLong()).isZero();

        // without a phone it has no blocking key: never compared
        feed().put(t.id(), null, "Alpine Ski House", null);
        JsonNode unblocked = t.sync(t.feed());
        assertThat(unblocked.get("recordsUnblocked").asLong()).isEqualTo(1);
        assertThat(unblocked.get("pairsCompared").asLong()).isZero();
        assertThat(unblocked.get("recordsMerged").asLong()).isZero();

        // the keys the sync indexed, read back: the two shards holding the shared phone hold the same key
        JsonNode keys = t.hub().ok("GET", "/api/tenant/blocking-keys?shardType=c_company&limit=1", t.key(), null);
        assertThat(keys.get("items")).hasSize(1);
        List<JsonNode> all = new ArrayList<>();
        keys.get("items").forEach(all::add);
        while (keys.hasNonNull("nextCursor")) {
            keys = t.hub().ok("GET", "/api/tenant/blocking-keys?shardType=c_company&limit=1&cursor=" + keys.get("nextCursor").asText(),
                    t.key(), null);
            keys.get("items").forEach(all::add);
        }
        assertThat(all).as("two shards with a phone each; the merged one holds both records' key once").hasSize(2);
        assertThat(all).allSatisfy(k -> assertThat(k.get("keys")).hasSize(1));
        assertThat(t.hub().call("GET", "/api/tenant/blocking-keys", t.key(), null).status()).isEqualTo(400);
        assertThat(t.hub().ok("GET", "/api/tenant/blocking-keys?shardType=c_company", t.hub().newTenantKey(EmbeddedHubTest.ADMIN_KEY), null)
                .get("items")).isEmpty();
    }

    @Test
    default void survivorshipDecidesWhoseValuesTheShardKeeps() {
        Map<String, String> names = new HashMap<>();
        for (String strategy : List.of("prefer_external", "prefer_internal", "manual_review")) {
            Map<String, Object> rules = new HashMap<>(NAME_AND_PHONE);
            rules.put("survivorship", strategy);
            Tenant t = tenant(rules);
            String item = items().seedItem(t.id(), "Contoso Pharmaceuticals", "+1 425 555 0199");
            t.sync(t.items());
            feed().put(t.id(), null, "Contoso Pharmaceutical", "+1 425 555 0199");
            assertThat(t.sync(t.feed()).get("recordsMerged").asLong()).as(strategy).isEqualTo(1);
            JsonNode shard = t.shardOf(t.items(), item);
            names.put(strategy, shard.at("/structuredData/name").asText());
            if (strategy.equals("manual_review")) {
                JsonNode waiting = t.pending();
                assertThat(waiting).hasSize(1);
                assertThat(waiting.get(0).get("kind").asText()).isEqualTo("fields");
                assertThat(waiting.at("/0/explanation/differences/0/field").asText()).isEqualTo("name");
                assertThat(waiting.at("/0/explanation/differences/0/incoming").asText()).isEqualTo("Contoso Pharmaceutical");
                t.hub().ok("POST", "/api/tenant/matches/" + waiting.get(0).get("id").asText() + "/accept", t.key(), null);
                assertThat(t.shard(shard.get("id").asText()).at("/structuredData/name").asText()).isEqualTo("Contoso Pharmaceutical");
            } else {
                assertThat(t.pending()).as(strategy).isEmpty();
            }
        }
        assertThat(names).containsEntry("prefer_external", "Contoso Pharmaceutical")
                .containsEntry("prefer_internal", "Contoso Pharmaceuticals")
                .containsEntry("manual_review", "Contoso Pharmaceuticals");
    }

    @Test
    default void aMergedShardIsWrittenBackToEachSourceAndAnUnmergeRestoresBoth() {
        Tenant t = tenant(null);
        String fabrikam = items().seedItem(t.id(), "Fabrikam Inc", "+1 303 555 0142");
        String tailspin = items().seedItem(t.id(), "Tailspin Toys Inc", "+1 720 555 0177");
        t.sync(t.items());
        String fabrikamEntry = feed().put(t.id(), null, "Fabrikam", "303-555-0142");
        String tailspinEntry = feed().put(t.id(), null, "Tailspin Toys", "(720) 555-0177");
        assertThat(t.sync(t.feed()).get("recordsMerged").asLong()).isEqualTo(2);
        String merged = t.shardOf(t.items(), fabrikam).get("id").asText();

        // an edit of a merged shard reaches both providers
        t.hub().ok("PATCH", "/api/tenant/shards/" + merged, t.key(),
                Map.of("structuredData", Map.of("name", "Fabrikam Group", "phone", "+1 303 555 0199")));
        awaitWrites(t, merged, 2);
        assertThat(items().item(t.id(), fabrikam)).containsEntry("Name", "Fabrikam Group").containsEntry("Phone", "+1 303 555 0199");
        assertThat(feed().item(t.id(), fabrikamEntry)).containsEntry("Name", "Fabrikam Group").containsEntry("Phone", "+1 303 555 0199");

        // the other merged shard took the feed's name (prefer_external); split the feed's record back out
        String both = t.shardOf(t.items(), tailspin).get("id").asText();
        assertThat(t.shard(both).at("/structuredData/name").asText()).isEqualTo("Tailspin Toys");
        JsonNode split = t.hub().ok("POST", "/api/tenant/shards/" + both + "/unmerge", t.key(),
                Map.of("integrationId", t.feed(), "entity", "Item", "externalId", tailspinEntry));
        assertThat(split.get("externalRelationships")).hasSize(1);
        assertThat(split.at("/externalRelationships/0/externalId").asText()).isEqualTo(tailspinEntry);
        assertThat(split.at("/structuredData/name").asText()).isEqualTo("Tailspin Toys");
        assertThat(split.at("/structuredData/phone").asText()).isEqualTo("(720) 555-0177");
        JsonNode kept = t.shard(both);
        assertThat(kept.get("externalRelationships")).hasSize(1);
        assertThat(kept.at("/externalRelationships/0/externalId").asText()).isEqualTo(tailspin);
        assertThat(kept.at("/structuredData/name").asText()).as("the name only the feed brought goes back").isEqualTo("Tailspin Toys Inc");
        assertThat(kept.at("/structuredData/phone").asText()).isEqualTo("+1 720 555 0177");
        JsonNode decisions = t.hub().ok("GET", "/api/tenant/shards/" + both + "/matches", t.key(), null).get("items");
        assertThat(decisions).extracting(d -> d.get("kind").asText() + " " + d.get("status").asText())
                .containsExactlyInAnyOrder("unmerge applied", "merge undone");

        // each is written back to its own provider only
        String splitId = split.get("id").asText();
        t.hub().ok("PATCH", "/api/tenant/shards/" + splitId, t.key(), Map.of("structuredData", Map.of("name", "Tailspin EU")));
        awaitWrites(t, splitId, 1);
        assertThat(feed().item(t.id(), tailspinEntry).get("Name")).isEqualTo("Tailspin EU");
        assertThat(items().item(t.id(), tailspin).get("Name")).isEqualTo("Tailspin Toys Inc");

        // the next sync keeps them apart, though they look alike again
        feed().put(t.id(), tailspinEntry, "Tailspin Toys Inc", "+1 720 555 0177");
        JsonNode next = t.sync(t.feed());
        assertThat(next.get("recordsMerged").asLong()).isZero();
        assertThat(t.shard(splitId).at("/structuredData/name").asText()).isEqualTo("Tailspin Toys Inc");
        assertThat(t.shard(both).get("externalRelationships")).hasSize(1);

        // what cannot be split says why
        HubClient.Response notThere = t.hub().call("POST", "/api/tenant/shards/" + both + "/unmerge", t.key(),
                Map.of("integrationId", t.feed(), "entity", "Item", "externalId", tailspinEntry));
        assertThat(notThere.status()).isEqualTo(404);
        HubClient.Response alone = t.hub().call("POST", "/api/tenant/shards/" + both + "/unmerge", t.key(),
                Map.of("integrationId", t.items(), "entity", "Item", "externalId", tailspin));
        assertThat(alone.status()).isEqualTo(409);
        assertThat(alone.raw()).contains("no other source");
        assertThat(t.hub().call("POST", "/api/tenant/shards/" + both + "/unmerge", t.key(), Map.of("integrationId", t.items()))
                .status()).isEqualTo(400);
    }

    @Test
    default void aTenantMaySwitchMatchingOffAndOnAgain() {
        Tenant t = tenant(Map.of("enabled", false));
        assertThat(t.hub().ok("GET", "/api/tenant/match-rules/c_company", t.key(), null).get("enabled").asBoolean()).isFalse();
        items().seedItem(t.id(), "Woodgrove Bank", "+1 617 555 0123");
        t.sync(t.items());
        feed().put(t.id(), null, "Woodgrove Bank", "+1 617 555 0123");
        JsonNode off = t.sync(t.feed());
        assertThat(off.get("recordsCreated").asLong()).isEqualTo(1);
        assertThat(off.get("recordsMerged").asLong()).isZero();

        HubClient.Response both = t.hub().call("PUT", "/api/tenant/match-rules/c_company", t.key(),
                Map.of("enabled", false, "thresholds", Map.of("match", 0.9, "review", 0.5)));
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.raw()).contains("enabled");

        // back to the defaults: records synced from now on are matched (those synced while it was off were not indexed)
        assertThat(t.hub().call("DELETE", "/api/tenant/match-rules/c_company", t.key(), null).status()).isEqualTo(204);
        JsonNode rules = t.hub().ok("GET", "/api/tenant/match-rules/c_company", t.key(), null);
        assertThat(rules.get("enabled").asBoolean()).isTrue();
        assertThat(rules.get("default").asBoolean()).isTrue();
        items().seedItem(t.id(), "Litware Inc", "+1 508 555 0155");
        t.sync(t.items());
        feed().put(t.id(), null, "LITWARE", "508.555.0155");
        assertThat(t.sync(t.feed()).get("recordsMerged").asLong()).isEqualTo(1);
    }

    @Test
    default void aResolutionRunResolvesTheShardsThatExistAndRespectsWhatPeopleDecided() {
        Tenant t = tenant(Map.of("enabled", false));
        // synced while matching was off: every record its own shard
        String woodgrove = items().seedItem(t.id(), "Woodgrove Bank", "+1 617 555 0123");
        String litware = items().seedItem(t.id(), "Litware Inc", "+1 508 555 0155");
        String proseware = items().seedItem(t.id(), "Proseware", "+1 404 555 0111");
        // a second record of one provider that looks the same: two records there, so two shards here
        String prosewareTwin = items().seedItem(t.id(), "Proseware", "+1 404 555 0111");
        t.sync(t.items());
        String woodgroveEntry = feed().put(t.id(), null, "WOODGROVE BANK", "617-555-0123");
        String litwareEntry = feed().put(t.id(), null, "Litware", "(508) 555-0155");
        // Proseware's phone under another name: a possible match only
        String yonder = feed().put(t.id(), null, "Blue Yonder Airlines", "404.555.0111");
        t.sync(t.feed());
        assertThat(t.companies()).hasSize(7);

        t.hub().ok("PUT", "/api/tenant/match-rules/c_company", t.key(), NAME_AND_PHONE);
        HubClient.Response started = t.hub().call("POST", "/api/tenant/resolution-runs", t.key(), Map.of("shardType", "c_company"));
        assertThat(started.status()).as(started.raw()).isEqualTo(202);
        assertThat(started.body().get("status").asText()).isIn("queued", "running", "completed");
        JsonNode run = awaitRun(t, started.body().get("id").asText());
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("completed");
        assertThat(run.get("attempts").asInt()).isEqualTo(1);
        assertThat(run.at("/progress/shardsTotal").asLong()).isEqualTo(7);
        assertThat(run.at("/progress/shardsIndexed").asLong()).isEqualTo(7);
        assertThat(run.at("/progress/shardsMatched").asLong()).isEqualTo(7);
        assertThat(run.at("/counts/merged").asLong()).isEqualTo(2);
        assertThat(run.at("/counts/inReview").asLong()).isEqualTo(1);
        // the Proseware pair of one provider is never scored; each feed record against the items sharing its keys
        assertThat(run.at("/counts/pairsCompared").asLong()).isBetween(3L, 6L);
        assertThat(run.get("durationMs").asLong()).isNotNegative();

        List<JsonNode> live = t.companies().stream().filter(s -> !s.get("deleted").asBoolean()).toList();
        assertThat(live).hasSize(5);
        String woodgroveShard = t.shardOf(t.items(), woodgrove).get("id").asText();
        assertThat(t.shardOf(t.feed(), woodgroveEntry).get("id").asText()).isEqualTo(woodgroveShard);
        assertThat(t.shardOf(t.feed(), litwareEntry).get("id").asText()).isEqualTo(t.shardOf(t.items(), litware).get("id").asText());
        assertThat(t.shardOf(t.items(), proseware).get("id").asText()).isNotEqualTo(t.shardOf(t.items(), prosewareTwin).get("id").asText());
        JsonNode merge = t.hub().ok("GET", "/api/tenant/shards/" + woodgroveShard + "/matches", t.key(), null).get("items").get(0);
        assertThat(merge.get("kind").asText()).isEqualTo("merge");
        assertThat(merge.get("status").asText()).isEqualTo("applied");
        assertThat(merge.get("externalId").asText()).isEqualTo(woodgroveEntry);
        assertThat(merge.at("/explanation/total").asDouble()).isGreaterThanOrEqualTo(0.9);
        JsonNode pending = t.pending();
        assertThat(pending).hasSize(1);
        assertThat(pending.at("/0/kind").asText()).isEqualTo("review");
        assertThat(pending.at("/0/otherShardId").asText()).isEqualTo(t.shardOf(t.feed(), yonder).get("id").asText());
        assertThat(pending.at("/0/shardId").asText()).isIn(t.shardOf(t.items(), proseware).get("id").asText(),
                t.shardOf(t.items(), prosewareTwin).get("id").asText());

        // a person splits Litware's feed record back out: the next run neither merges it again nor proposes anything twice
        String litwareShard = t.shardOf(t.items(), litware).get("id").asText();
        t.hub().ok("POST", "/api/tenant/shards/" + litwareShard + "/unmerge", t.key(),
                Map.of("integrationId", t.feed(), "entity", "Item", "externalId", litwareEntry));
        JsonNode again = awaitRun(t, t.hub().ok("POST", "/api/tenant/resolution-runs", t.key(), Map.of("shardType", "c_company")).get("id").asText());
        assertThat(again.get("status").asText()).as(again.toString()).isEqualTo("completed");
        assertThat(again.at("/counts/merged").asLong()).isZero();
        assertThat(again.at("/counts/inReview").asLong()).isZero();
        assertThat(again.at("/counts/pairsCompared").asLong()).isPositive();
        assertThat(t.shardOf(t.feed(), litwareEntry).get("id").asText()).isNotEqualTo(litwareShard);
        assertThat(t.pending()).hasSize(1);
        assertThat(t.hub().ok("GET", "/api/tenant/resolution-runs", t.key(), null).get("items")).extracting(r -> r.get("id").asText())
                .containsExactly(again.get("id").asText(), run.get("id").asText());

        // what cannot run says why; another tenant sees none of it
        HubClient.Response unknown = t.hub().call("POST", "/api/tenant/resolution-runs", t.key(), Map.of("shardType", "c_planet"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body().get("field").asText()).isEqualTo("shardType");
        HubClient.Response unmatched = t.hub().call("POST", "/api/tenant/resolution-runs", t.key(), Map.of("shardType", "c_note"));
        assertThat(unmatched.status()).isEqualTo(400);
        assertThat(unmatched.raw()).contains("not matched");
        assertThat(t.hub().call("POST", "/api/tenant/resolution-runs", t.key(), Map.of()).status()).isEqualTo(400);
        assertThat(t.hub().call("POST", "/api/tenant/resolution-runs", t.key(), "[]").status()).isEqualTo(400);
        String other = t.hub().newTenantKey(EmbeddedHubTest.ADMIN_KEY);
        assertThat(t.hub().call("GET", "/api/tenant/resolution-runs/" + run.get("id").asText(), other, null).status()).isEqualTo(404);
        assertThat(t.hub().ok("GET", "/api/tenant/resolution-runs", other, null).get("items")).isEmpty();
    }

    private static JsonNode awaitRun(Tenant t, String id) {
        String path = "/api/tenant/resolution-runs/" + id;
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> List.of("completed", "failed").contains(t.hub().ok("GET", path, t.key(), null).get("status").asText()));
        return t.hub().ok("GET", path, t.key(), null);
    }

    private static void awaitWrites(Tenant t, String shardId, int count) {
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode writes = t.hub().ok("GET", "/api/tenant/shards/" + shardId + "/writes", t.key(), null).get("items");
            int done = 0;
            for (JsonNode write : writes) {
                done += write.hasNonNull("finishedAt") ? 1 : 0;
            }
            return done >= count;
        });
        JsonNode writes = t.hub().ok("GET", "/api/tenant/shards/" + shardId + "/writes", t.key(), null).get("items");
        for (JsonNode write : writes) {
            assertThat(write.get("status").asText()).as(writes.toString()).isEqualTo("done");
        }
    }
}
