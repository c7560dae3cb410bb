package processors.writeback;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import hub.HubClient;

/**
 * Write-back on each store (see the implementing classes): the write path, echo suppression, a held conflict resolved, the
 * README's walk-through from inbound-only to bidirectional.
 */
interface WriteBackScenario {

    HubClient hub();

    @Test
    default void aPatchReachesTheProviderAndDoesNotComeBackAsAChange() {
        WriteBackSession s = new WriteBackSession(hub(), Map.of());
        String recordId = s.accounts(1).get(0).get("Id").asText();
        JsonNode shard = s.shardOf(recordId);

        JsonNode patched = s.patch(shard.get("id").asText(), Map.of("name", "Renamed Ltd", "phone", "+1 555 0100"));
        assertThat(patched.at("/structuredData/name").asText()).isEqualTo("Renamed Ltd");
        assertThat(patched.get("version").asLong()).isEqualTo(shard.get("version").asLong() + 1);

        s.awaitWritesFinished(shard.get("id").asText());
        JsonNode atProvider = s.record(recordId);
        assertThat(atProvider.get("Name").asText()).isEqualTo("Renamed Ltd");
        assertThat(atProvider.get("Phone").asText()).isEqualTo("+1 555 0100");
        assertThat(s.writes(shard.get("id").asText()).get(0).get("status").asText()).isEqualTo("done");

        // the hub's own write is not a change when it syncs the record again
        JsonNode incremental = s.sync("incremental");
        assertThat(incremental.get("recordsUpdated").asLong()).as(incremental.toString()).isZero();
        assertThat(s.conflicts(null)).isEmpty();
        assertThat(s.shard(shard.get("id").asText()).get("version").asLong()).as("no second version from the echo")
                .isEqualTo(patched.get("version").asLong());
    }

    @Test
    default void manualHoldsTheFieldUntilResolvedAndTheResolutionReachesBothSides() {
        WriteBackSession s = new WriteBackSession(hub(), Map.of("conflictResolution", "manual"));
        WriteBackSession.Conflicted c = s.conflictOnPhone();
        JsonNode open = s.conflicts("open").get(0);
        assertThat(open.at("/fields/0/field").asText()).isEqualTo("phone");
        assertThat(open.at("/fields/0/base").asText()).isEqualTo(c.base());
        assertThat(open.at("/fields/0/winner").isNull()).isTrue();
        assertThat(s.record(c.recordId()).get("Phone").asText()).as("held: not written").isEqualTo("theirs");
        assertThat(s.shard(c.shardId()).at("/structuredData/phone").asText()).isEqualTo("ours");

        String resolve = "/api/tenant/conflicts/" + open.get("id").asText() + "/resolve";
        assertThat(s.hub.call("POST", resolve, s.key, Map.of("values", Map.of("name", "x"))).status()).isEqualTo(400);
        JsonNode resolved = s.hub.ok("POST", resolve, s.key, Map.of("values", Map.of("phone", "chosen")));
        assertThat(resolved.get("status").asText()).isEqualTo("resolved");
        s.awaitWritesFinished(c.shardId());
        assertThat(s.record(c.recordId()).get("Phone").asText()).isEqualTo("chosen");
        assertThat(s.shard(c.shardId()).at("/structuredData/phone").asText()).isEqualTo("chosen");
        assertThat(s.conflicts("open")).isEmpty();
        assertThat(s.hub.call("POST", resolve, s.key, Map.of("keep", "ours")).status()).isEqualTo(409);
    }

    @Test
    default void theWalkThroughFromInboundToBidirectionalKeepsTheProvidersChangeAndOpensAConflict() {
        // synced while the integration was inbound-only, then switched as the README shows
        WriteBackSession s = new WriteBackSession(hub(), Map.of("syncDirection", "inbound"));
        s.hub.ok("PATCH", "/api/tenant/integrations/" + s.integration, s.key,
                Map.of("syncDirection", "bidirectional", "conflictResolution", "manual"));
        String recordId = s.accounts(1).get(0).get("Id").asText();
        JsonNode shard = s.shardOf(recordId);
        String shardId = shard.get("id").asText();
        s.changeInSalesforce(recordId, Map.of("Phone", "+1 555 0111"));
        s.patch(shardId, Map.of("phone", "+1 555 0100"));
        s.awaitWritesFinished(shardId);

        assertThat(s.record(recordId).get("Phone").asText()).as("the provider's change is not overwritten").isEqualTo("+1 555 0111");
        assertThat(s.writes(shardId).get(0).get("status").asText()).isEqualTo("held");
        List<JsonNode> open = s.conflicts("open");
        assertThat(open).hasSize(1);
        assertThat(open.get(0).get("shardId").asText()).isEqualTo(shardId);
        assertThat(open.get(0).at("/fields/0/field").asText()).isEqualTo("phone");
        assertThat(open.get(0).at("/fields/0/base").asText()).isEqualTo(shard.at("/structuredData/phone").asText());
        assertThat(open.get(0).at("/fields/0/ours").asText()).isEqualTo("+1 555 0100");
        assertThat(open.get(0).at("/fields/0/theirs").asText()).isEqualTo("+1 555 0111");
        assertThat(s.shard(shardId).at("/structuredData/phone").asText()).isEqualTo("+1 555 0100");
    }
}
