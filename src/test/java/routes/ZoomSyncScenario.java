package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import hub.EmbeddedHubTest;
import hub.HubClient;

/**
 * Zoom end to end over HTTP against its sandbox, as a user drives it, on each store: H2 in {@link ZoomSyncTest},
 * PostgreSQL in {@link MeetingSyncOnPostgresTest}. Cloud recordings become documents and their transcripts notes
 * linked from them; a pass reads date windows; trashed and deleted recordings are deletions; Zoom's events reach the
 * shards through the receiver, which answers Zoom's endpoint validation each time it comes.
 */
public interface ZoomSyncScenario {

    Duration TIMEOUT = Duration.ofSeconds(120);

    HubClient hub();

    record Session(HubClient hub, String key, ZoomSandboxAccount zoom, String integration) {
        JsonNode sync(String mode) {
            return hub.runAndWait(key, integration, hub.task(key, integration, "recordings", mode), TIMEOUT);
        }

        /** Shards of the type by the provider id they come from (a transcript's is its recording's uuid). */
        Map<String, JsonNode> shards(String type) {
            Map<String, JsonNode> byId = new HashMap<>();
            hub.allShards(key, type).forEach(s -> byId.put(s.at("/externalRelationships/0/externalId").asText(), s));
            return byId;
        }

        JsonNode shard(JsonNode listed) {
            return hub.ok("GET", "/api/tenant/shards/" + listed.get("id").asText(), key, null);
        }
    }

    static Session session(HubClient hub, int meetings, boolean unlimited) {
        String key = hub.newTenantKey(EmbeddedHubTest.ADMIN_KEY);
        ZoomSandboxAccount zoom = new ZoomSandboxAccount(hub, "sync");
        zoom.setup("POST", "/reset", Map.of("meetings", meetings));
        String integration = zoom.connect(key, Map.of());
        if (unlimited) {
            zoom.unlimited(key, integration);
        }
        return new Session(hub, key, zoom, integration);
    }

    static void assertCompleted(JsonNode execution) {
        assertThat(execution.get("status").asText()).as(execution.toString()).isEqualTo("completed");
        assertThat(execution.get("recordsFailed").asLong()).as(execution.toString()).isZero();
    }

    @Test
    default void recordingsAndTranscriptsSyncFullThenIncrementallyWithTrashedRecordingsAsDeletions() {
        Session s = session(hub(), 10, true);
        ZoomSandboxAccount zoom = s.zoom();
        List<JsonNode> recordings = zoom.recordings();
        long withTranscript = recordings.stream().filter(r -> r.get("transcript").asBoolean()).count();
        assertThat(withTranscript).isEqualTo(8);

        JsonNode full = s.sync("full");
        assertCompleted(full);
        assertThat(full.get("recordsProcessed").asLong()).as(full.toString()).isEqualTo(10);
        Map<String, JsonNode> documents = s.shards("c_document");
        Map<String, JsonNode> notes = s.shards("c_note");
        assertThat(documents).hasSize(10);
        assertThat(notes).hasSize(8);

        JsonNode first = recordings.get(0);
        JsonNode document = s.shard(documents.get(first.get("uuid").asText()));
        assertThat(document.at("/structuredData/kind").asText()).isEqualTo("recording");
        assertThat(document.at("/structuredData/title").asText()).isEqualTo(first.get("topic").asText());
        assertThat(document.at("/structuredData/createdAt").asText()).isEqualTo(first.get("start_time").asText());
        assertThat(document.at("/structuredData/author").asText()).as("the host's name").isEqualTo("Jordan Lee");
        assertThat(document.at("/structuredData/container").asText()).isEqualTo(first.get("host_email").asText());
        assertThat(document.at("/structuredData/url").asText()).startsWith(zoom.baseUrl() + "/rec/share/");
        assertThat(document.at("/structuredData/extras/durationMinutes").asInt()).isPositive();
        assertThat(document.at("/structuredData/extras/meetingId").asText()).isEqualTo(first.get("id").asText());
        JsonNode files = document.at("/structuredData/extras/files");
        assertThat(files).hasSize(3);
        assertThat(files).extracting(f -> f.get("type").asText()).containsExactly("MP4", "M4A", "TRANSCRIPT");
        assertThat(files.get(0).get("size").asLong()).isPositive();
        assertThat(files.get(0).get("playUrl").asText()).startsWith(zoom.baseUrl() + "/rec/play/");
        assertThat(files.get(2).get("downloadUrl").asText()).startsWith(zoom.baseUrl() + "/rec/download/");

        JsonNode note = s.shard(notes.get(first.get("uuid").asText()));
        assertThat(note.at("/structuredData/kind").asText()).isEqualTo("transcript");
        assertThat(note.at("/structuredData/title").asText()).isEqualTo("Transcript: " + first.get("topic").asText());
        String body = note.at("/structuredData/body").asText();
        assertThat(body).startsWith("Jordan Lee: Thanks for joining, ").doesNotContain("-->").doesNotContain("WEBVTT");
        assertThat(body.lines().count()).isEqualTo(4);
        assertThat(document.get("relationships")).anySatisfy(r -> {
            assertThat(r.get("type").asText()).isEqualTo("transcript");
            assertThat(r.get("targetShardId").asText()).isEqualTo(note.get("id").asText());
        });
        JsonNode noTranscript = recordings.stream().filter(r -> !r.get("transcript").asBoolean()).findFirst().orElseThrow();
        assertThat(documents).containsKey(noTranscript.get("uuid").asText());
        assertThat(notes).doesNotContainKey(noTranscript.get("uuid").asText());

        // a second full pass writes nothing
        JsonNode again = s.sync("full");
        assertCompleted(again);
        assertThat(again.get("recordsCreated").asLong() + again.get("recordsUpdated").asLong()).as(again.toString()).isZero();

        // a meeting is recorded, one recording goes to the trash
        JsonNode fresh = zoom.record("Brand new customer call");
        String trashed = recordings.get(1).get("uuid").asText();
        zoom.trash(trashed);
        JsonNode incremental = s.sync("incremental");
        assertCompleted(incremental);
        assertThat(incremental.get("recordsProcessed").asLong()).as("the days since the last pass only").isLessThan(10);
        assertThat(incremental.get("recordsDeleted").asLong()).as(incremental.toString()).isPositive();
        documents = s.shards("c_document");
        notes = s.shards("c_note");
        assertThat(documents).hasSize(11);
        assertThat(s.shard(documents.get(fresh.get("uuid").asText())).at("/structuredData/title").asText()).isEqualTo("Brand new customer call");
        assertThat(notes).containsKey(fresh.get("uuid").asText());
        assertThat(documents.get(trashed).get("deleted").asBoolean()).isTrue();
        assertThat(notes.get(trashed).get("deleted").asBoolean()).as("the transcript goes with its recording").isTrue();
        assertThat(documents.get(first.get("uuid").asText()).get("deleted").asBoolean()).isFalse();
    }

    @Test
    default void zoomsEventsReachTheShardsAndTheEndpointValidationIsAnsweredEachTime() {
        Session s = session(hub(), 4, true);
        ZoomSandboxAccount zoom = s.zoom();
        assertCompleted(s.sync("full"));
        String secret = "sandbox-webhook-secret";
        JsonNode registration = s.hub().ok("POST", "/api/tenant/integrations/" + s.integration() + "/webhooks", s.key(),
                Map.of("scheme", "zoom", "events", List.of("document.*"), "secret", secret));
        String url = registration.get("url").asText();
        zoom.setup("PUT", "/webhooks", Map.of("url", url, "revalidateEverySeconds", 2));
        Awaitility.await().atMost(TIMEOUT).until(() -> zoom.setup("GET", "/webhooks", null).get("validated").asBoolean());

        // recording.completed: the new recording and its transcript reach their shards through an incremental pass
        long sent = System.nanoTime();
        JsonNode fresh = zoom.record("Pushed from Zoom");
        String uuid = fresh.get("uuid").asText();
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> s.shards("c_note").containsKey(uuid));
        System.out.printf("Zoom push -> shard: %d ms%n", (System.nanoTime() - sent) / 1_000_000);
        assertThat(s.shards("c_document").get(uuid).get("deleted").asBoolean()).isFalse();

        // recording.deleted (for good: no trash to see it in) takes the recording and its transcript away
        zoom.setup("POST", "/recordings/" + uuid.replace("+", "%2B") + "/delete", null);
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() ->
                s.shards("c_document").get(uuid).get("deleted").asBoolean() && s.shards("c_note").get(uuid).get("deleted").asBoolean());
        JsonNode status = zoom.setup("GET", "/webhooks", null);
        assertThat(status.get("deliveredEvents").asInt()).isEqualTo(2);
        assertThat(status.get("failedRequests").asInt()).isZero();

        // Zoom validates the endpoint again on its schedule (every 2 s here, 72 h in production): answered each time
        long passed = status.get("validationsPassed").asLong();
        Awaitility.await().atMost(TIMEOUT).until(() -> zoom.setup("GET", "/webhooks", null).get("validationsPassed").asLong() >= passed + 2);
        assertThat(zoom.setup("GET", "/webhooks", null).get("consecutiveValidationFailures").asInt()).isZero();

        // a wrong signature or a stale timestamp is refused, and nothing is enqueued
        String body = "{\"event\":\"recording.deleted\",\"event_ts\":1,\"payload\":{\"object\":{\"uuid\":\""
                + zoom.recordings().get(0).get("uuid").asText() + "\"}}}";
        String now = Long.toString(Instant.now().getEpochSecond());
        assertThat(zoom.call("POST", url, Map.of("x-zm-request-timestamp", now, "x-zm-signature", "v0=" + sign("not-the-secret", now, body),
                "Content-Type", "application/json"), body).status()).isEqualTo(401);
        String stale = Long.toString(Instant.now().minusSeconds(600).getEpochSecond());
        assertThat(zoom.call("POST", url, Map.of("x-zm-request-timestamp", stale, "x-zm-signature", "v0=" + sign(secret, stale, body),
                "Content-Type", "application/json"), body).status()).isEqualTo(401);
        JsonNode deliveries = s.hub().ok("GET", "/api/webhooks/deliveries?registrationId=" + registration.get("id").asText(), s.key(), null);
        Map<String, Integer> verifications = new HashMap<>();
        deliveries.get("items").forEach(d -> verifications.merge(d.get("verification").asText(), 1, Integer::sum));
        assertThat(verifications).containsEntry("verified", 2).containsEntry("failed", 2);
        assertThat(verifications.get("handshake")).as("the validation at saving and the ones after").isGreaterThanOrEqualTo(3);
        assertThat(s.shards("c_document").get(zoom.recordings().get(0).get("uuid").asText()).get("deleted").asBoolean()).isFalse();
    }

    static String sign(String secret, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
