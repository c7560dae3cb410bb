package processors.writeback;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import hub.EmbeddedHubTest;
import hub.HubClient.Response;

/**
 * Shard writes hold what the mapping says each field holds: a wrongly typed, out-of-range or oversized value is
 * refused with a 400 naming the field and never reaches the outbox, so it cannot dead-letter the shard's later
 * write-backs.
 */
class ShardWriteValidationTest extends EmbeddedHubTest {

    @Test
    void badValuesAreRefusedAndALaterValidWriteGoesThrough() {
        WriteBackSession session = new WriteBackSession(hub(), Map.of());
        String recordId = session.accounts(1).get(0).get("Id").asText();
        JsonNode shard = session.shardOf(recordId);
        String shardId = shard.get("id").asText();
        String path = "/api/tenant/shards/" + shardId;

        assertRefused(session.hub.call("PATCH", path, session.key, Map.of("structuredData", Map.of("employees", "many"))),
                "structuredData.employees", "expected a whole number");
        assertRefused(session.hub.call("PATCH", path, session.key, "{\"structuredData\": {\"employees\": 1e40}}"),
                "structuredData.employees", "out of range");
        assertRefused(session.hub.call("PATCH", path, session.key, "{\"structuredData\": {\"annualRevenue\": 1e40}}"),
                "structuredData.annualRevenue", "out of range");
        assertRefused(session.hub.call("PATCH", path, session.key, Map.of("structuredData", Map.of("phone", "5".repeat(41)))),
                "structuredData.phone", "longer than 40 characters");
        assertRefused(session.hub.call("PATCH", path, session.key, Map.of("structuredData", Map.of("address", Map.of("city", 12)))),
                "structuredData.address.city", "expected text");
        Response huge = session.hub.call("PATCH", path, session.key, Map.of("structuredData", Map.of("phone", "5".repeat(5 * 1024 * 1024))));
        assertThat(huge.status()).as(huge.raw()).isEqualTo(413);

        assertThat(session.writes(shardId)).as("nothing reached the outbox").isEmpty();
        assertThat(session.shard(shardId).get("version").asLong()).isEqualTo(shard.get("version").asLong());

        session.patch(shardId, Map.of("phone", "+1 555 0199", "employees", 250));
        session.awaitWritesFinished(shardId);
        List<JsonNode> writes = session.writes(shardId);
        assertThat(writes).hasSize(1);
        assertThat(writes.get(0).get("status").asText()).as(writes.toString()).isEqualTo("done");
        JsonNode record = session.record(recordId);
        assertThat(record.get("Phone").asText()).isEqualTo("+1 555 0199");
        assertThat(record.get("NumberOfEmployees").asInt()).isEqualTo(250);
    }

    @Test
    void createdShardsAreCheckedTheSameWay() {
        WriteBackSession session = new WriteBackSession(hub(), Map.of());
        int before = session.hub.allShards(session.key, "c_company").size();
        assertRefused(session.hub.call("POST", "/api/tenant/shards", session.key, Map.of("integrationId", session.integration,
                "shardType", "c_company", "structuredData", Map.of("name", "Many Inc", "employees", "many"))),
                "structuredData.employees", "expected a whole number");
        assertRefused(session.hub.call("POST", "/api/tenant/shards", session.key, Map.of("integrationId", session.integration,
                "shardType", "c_company", "structuredData", Map.of("name", "N".repeat(256)))), "structuredData.name", "longer than 255");
        assertThat(session.hub.allShards(session.key, "c_company")).hasSize(before);
    }

    private static void assertRefused(Response response, String field, String reason) {
        assertThat(response.status()).as(response.raw()).isEqualTo(400);
        assertThat(response.body().get("field").asText()).isEqualTo(field);
        assertThat(response.body().get("message").asText()).contains(field).contains(reason);
    }
}
