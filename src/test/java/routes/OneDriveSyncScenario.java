package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import hub.EmbeddedHubTest;
import hub.HubClient;

/**
 * OneDrive end to end over HTTPS against the Graph sandbox (its TLS port), as a user drives it, on each store: H2 in
 * {@link OneDriveSyncTest}, PostgreSQL in {@link OneDriveSyncOnPostgresTest}. The files of a selected drive become
 * documents; passes after the first read the drive's delta from the link the last one ended with; deleted files are
 * deletions, and so are files missing from the enumeration a stale delta link (410 Gone) starts; a change notified by
 * the drive's subscription reaches its shard through the receiver.
 */
public interface OneDriveSyncScenario {

    Duration TIMEOUT = Duration.ofSeconds(120);

    HubClient hub();

    /** The hub's sandbox TLS port, where Graph and Entra answer. */
    int tlsPort();

    record Session(HubClient hub, String key, OneDriveSandboxDrive drive, String integration) {
        JsonNode sync(String mode) {
            return hub.runAndWait(key, integration, hub.task(key, integration, "documents", mode), TIMEOUT);
        }

        /** Documents by the Graph item id they come from. */
        Map<String, JsonNode> documents() {
            Map<String, JsonNode> byId = new HashMap<>();
            String prefix = drive.id() + "/";
            hub.allShards(key, "c_document").forEach(s -> {
                String externalId = s.at("/externalRelationships/0/externalId").asText();
                if (externalId.startsWith(prefix)) {
                    byId.put(externalId.substring(prefix.length()), s);
                }
            });
            return byId;
        }

        JsonNode shard(JsonNode listed) {
            return hub.ok("GET", "/api/tenant/shards/" + listed.get("id").asText(), key, null);
        }
    }

    static Session session(HubClient hub, int tlsPort, int files) {
        String key = hub.newTenantKey(EmbeddedHubTest.ADMIN_KEY);
        OneDriveSandboxDrive drive = new OneDriveSandboxDrive(hub, tlsPort, "sync", files);
        return new Session(hub, key, drive, drive.connect(key, Map.of()));
    }

    static void assertCompleted(JsonNode execution) {
        assertThat(execution.get("status").asText()).as(execution.toString()).isEqualTo("completed");
        assertThat(execution.get("recordsFailed").asLong()).as(execution.toString()).isZero();
    }

    @Test
    default void filesSyncFullThenThroughTheDeltaWithEditsDeletionsAndAResync() {
        Session s = session(hub(), tlsPort(), 7);
        OneDriveSandboxDrive drive = s.drive();
        List<JsonNode> files = drive.files();
        assertThat(files).hasSize(7);

        JsonNode full = s.sync("full");
        assertCompleted(full);
        assertThat(full.get("recordsCreated").asLong()).as(full.toString()).isEqualTo(7);
        Map<String, JsonNode> documents = s.documents();
        assertThat(documents).as("files only: the root and the Customers folder are no documents").hasSize(7);
        JsonNode first = files.get(0);
        JsonNode document = s.shard(documents.get(first.get("id").asText()));
        assertThat(document.at("/structuredData/kind").asText()).isEqualTo("file");
        assertThat(document.at("/structuredData/title").asText()).isEqualTo(first.get("name").asText());
        assertThat(document.at("/structuredData/container").asText()).isEqualTo(drive.name());
        assertThat(document.at("/structuredData/url").asText()).isEqualTo(first.get("webUrl").asText());
        assertThat(document.at("/structuredData/author").asText()).isEqualTo(first.at("/createdBy/user/displayName").asText());
        assertThat(document.at("/structuredData/createdAt").asText()).isEqualTo(first.get("createdDateTime").asText());
        assertThat(document.at("/structuredData/updatedAt").asText()).isEqualTo(first.get("lastModifiedDateTime").asText());
        assertThat(document.at("/structuredData/extras/mimeType").asText()).isEqualTo(first.at("/file/mimeType").asText());
        assertThat(document.at("/structuredData/extras/size").asLong()).isEqualTo(first.get("size").asLong()).isPositive();
        assertThat(document.at("/structuredData/extras/path").asText()).isEqualTo("/Customers/" + first.get("name").asText());
        assertThat(document.at("/structuredData/extras/modifiedBy").asText())
                .isEqualTo(first.at("/lastModifiedBy/user/displayName").asText());
        assertThat(document.at("/structuredData/extras/driveId").asText()).isEqualTo(drive.id());

        // nothing changed: the delta from the last pass's link is empty
        JsonNode quiet = s.sync("incremental");
        assertCompleted(quiet);
        assertThat(quiet.get("recordsProcessed").asLong()).as(quiet.toString()).isZero();

        // a file added, one renamed with new content, one deleted
        JsonNode added = drive.addFile("Meeting notes - kickoff.txt", "Kickoff with the customer's team.");
        String edited = files.get(1).get("id").asText();
        drive.change(edited, Map.of("name", "Renamed plan.txt", "content", "A new version of the plan."));
        String removed = files.get(2).get("id").asText();
        drive.delete(removed);
        JsonNode incremental = s.sync("incremental");
        assertCompleted(incremental);
        assertThat(incremental.get("recordsCreated").asLong()).as(incremental.toString()).isEqualTo(1);
        assertThat(incremental.get("recordsUpdated").asLong()).as(incremental.toString()).isEqualTo(1);
        assertThat(incremental.get("recordsDeleted").asLong()).as(incremental.toString()).isEqualTo(1);
        documents = s.documents();
        assertThat(documents).hasSize(8);
        assertThat(s.shard(documents.get(added.get("id").asText())).at("/structuredData/title").asText())
                .isEqualTo("Meeting notes - kickoff.txt");
        assertThat(s.shard(documents.get(edited)).at("/structuredData/title").asText()).isEqualTo("Renamed plan.txt");
        assertThat(documents.get(removed).get("deleted").asBoolean()).isTrue();
        assertThat(documents.get(edited).get("deleted").asBoolean()).isFalse();

        // a file deleted while the delta links went stale: 410 Gone, the drive enumerated again from the Location, and
        // what the enumeration no longer lists is deleted
        String goneMeanwhile = files.get(3).get("id").asText();
        drive.delete(goneMeanwhile);
        drive.resync();
        JsonNode resynced = s.sync("incremental");
        assertCompleted(resynced);
        assertThat(resynced.get("recordsProcessed").asLong()).as("the enumeration reads every file again").isEqualTo(6);
        assertThat(resynced.get("recordsCreated").asLong() + resynced.get("recordsUpdated").asLong()).as(resynced.toString()).isZero();
        assertThat(resynced.get("recordsDeleted").asLong()).as(resynced.toString()).isEqualTo(1);
        documents = s.documents();
        assertThat(documents.get(goneMeanwhile).get("deleted").asBoolean()).isTrue();
        assertThat(documents.values().stream().filter(d -> !d.get("deleted").asBoolean())).hasSize(6);

        // and the pass after reads the delta again
        JsonNode after = s.sync("incremental");
        assertCompleted(after);
        assertThat(after.get("recordsProcessed").asLong()).as(after.toString()).isZero();
    }

    @Test
    default void aChangeInTheDriveReachesItsShardThroughTheDrivesSubscription() {
        Session s = session(hub(), tlsPort(), 3);
        OneDriveSandboxDrive drive = s.drive();
        assertCompleted(s.sync("full"));
        JsonNode registration = s.hub().ok("POST", "/api/tenant/integrations/" + s.integration() + "/webhooks", s.key(),
                Map.of("scheme", "microsoft_graph", "events", List.of("document.*")));
        assertThat(registration.get("providerRegistration").asText()).as(registration.toString()).isEqualTo("registered");
        List<JsonNode> subscriptions = drive.subscriptions();
        assertThat(subscriptions).hasSize(1);
        assertThat(subscriptions.get(0).get("changeType").asText()).isEqualTo("updated");
        assertThat(subscriptions.get(0).get("notificationUrl").asText()).startsWith("https://").endsWith(registration.get("url").asText()
                .replaceFirst("^https?://[^/]+", ""));
        assertThat(registration.get("providerWebhookId").asText()).isEqualTo(subscriptions.get(0).get("id").asText());

        long sent = System.nanoTime();
        JsonNode pushed = drive.addFile("Pushed from OneDrive.txt", "Signed order form.");
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> s.documents().containsKey(pushed.get("id").asText()));
        System.out.printf("OneDrive push -> shard: %d ms%n", (System.nanoTime() - sent) / 1_000_000);

        drive.delete(pushed.get("id").asText());
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> s.documents().get(pushed.get("id").asText()).get("deleted").asBoolean());
        JsonNode deliveries = s.hub().ok("GET", "/api/webhooks/deliveries?registrationId=" + registration.get("id").asText(), s.key(), null);
        assertThat(deliveries.get("items")).isNotEmpty()
                .allSatisfy(d -> assertThat(d.get("verification").asText()).isIn("verified", "handshake"));
    }
}
