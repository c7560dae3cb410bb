package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.HubSpotPortal;

/**
 * Gong end to end over HTTP against its sandbox, as a user drives it, on each store: H2 in {@link GongSyncTest},
 * PostgreSQL in {@link GongSyncOnPostgresTest}. Calls become notes with their transcripts; their external parties become
 * contacts that join the CRM's contacts with the same email; incremental passes by call time; Gong's empty-window 404;
 * its two limits (3 a second, a day's allowance) kept without a refusal, and the 429s of a spent allowance waited out
 * with nothing dropped.
 */
interface GongSyncScenario {

    Duration TIMEOUT = Duration.ofSeconds(120);

    HubClient hub();

    record Session(HubClient hub, String key, GongSandboxCompany gong, String integration) {
        JsonNode sync(String mode) {
            return hub.runAndWait(key, integration, hub.task(key, integration, "calls", mode), TIMEOUT);
        }

        /** The notes of the calls by call id. */
        Map<String, JsonNode> notes() {
            Map<String, JsonNode> byId = new HashMap<>();
            hub.allShards(key, "c_note").forEach(s -> byId.put(s.at("/externalRelationships/0/externalId").asText(), s));
            return byId;
        }

        JsonNode shard(JsonNode listed) {
            return hub.ok("GET", "/api/tenant/shards/" + listed.get("id").asText(), key, null);
        }

        JsonNode calls(String query) {
            HubClient.Response r = gong.call("GET", "/v2/calls" + query, gong.basic(), null);
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            return r.body().get("calls");
        }
    }

    default Session session(int calls, int accounts, boolean unlimited) {
        HubClient hub = hub();
        String key = hub.newTenantKey(EmbeddedHubTest.ADMIN_KEY);
        GongSandboxCompany gong = new GongSandboxCompany(hub, "sync");
        gong.reset(calls, accounts);
        String integration = gong.connect(key, Map.of());
        if (unlimited) {
            gong.unlimited(key, integration);
        }
        return new Session(hub, key, gong, integration);
    }

    static void assertCompleted(JsonNode execution, long processed, long created, long updated) {
        assertThat(execution.get("status").asText()).as(execution.toString()).isEqualTo("completed");
        assertThat(execution.get("recordsProcessed").asLong()).as(execution.toString()).isEqualTo(processed);
        assertThat(execution.get("recordsCreated").asLong()).as(execution.toString()).isEqualTo(created);
        assertThat(execution.get("recordsUpdated").asLong()).as(execution.toString()).isEqualTo(updated);
        assertThat(execution.get("recordsFailed").asLong()).as(execution.toString()).isZero();
    }

    private static Set<String> links(JsonNode shard, String entityPrefix) {
        Set<String> found = new HashSet<>();
        shard.get("externalRelationships").forEach(l -> {
            if (l.get("entity").asText().startsWith(entityPrefix)) {
                found.add(l.get("externalId").asText());
            }
        });
        return found;
    }

    @Test
    default void callsSyncFullThenIncrementallyAsNotesWithTranscriptsAndParties() {
        Session s = session(12, 6, true);
        assertCompleted(s.sync("full"), 12, 12, 0);
        Map<String, JsonNode> notes = s.notes();
        assertThat(notes).hasSize(12);
        JsonNode call = s.calls("").get(0);
        JsonNode note = s.shard(notes.get(call.get("id").asText()));
        JsonNode data = note.get("structuredData");
        assertThat(data.get("kind").asText()).isEqualTo("call");
        assertThat(data.get("title").asText()).isEqualTo(call.get("title").asText());
        assertThat(data.get("url").asText()).isEqualTo(call.get("url").asText());
        assertThat(data.get("createdAt").asText()).isEqualTo(Instant.parse(call.get("started").asText()).toString());
        assertThat(data.at("/extras/durationSeconds").asLong()).isEqualTo(call.get("duration").asLong());
        assertThat(data.at("/extras/direction").asText()).isEqualTo(call.get("direction").asText());
        assertThat(data.get("body").asText()).as("the transcript, speaker by speaker").contains(": Thanks for joining, this is ")
                .doesNotContainPattern("Speaker [0-9]+:");
        assertThat(data.get("author").asText()).as("the host's name").isNotBlank();
        assertThat(data.at("/extras/parties").asText()).contains("(Internal, ").contains("(External");
        List<String> participants = new ArrayList<>();
        note.get("relationships").forEach(r -> {
            if (r.get("type").asText().equals("participant")) {
                participants.add(r.get("targetExternalId").asText());
                assertThat(r.get("targetEntity").asText()).startsWith("calls.party");
            }
        });
        assertThat(participants).isNotEmpty().allMatch(id -> id.equals(call.get("id").asText()));

        // each external person is one contact, however many calls they were on
        List<JsonNode> contacts = s.hub().allShards(s.key(), "c_contact");
        Map<String, Integer> byEmail = new HashMap<>();
        int partyLinks = 0;
        for (JsonNode contact : contacts) {
            byEmail.merge(contact.at("/structuredData/email").asText().toLowerCase(Locale.ROOT), 1, Integer::sum);
            partyLinks += links(contact, "calls.party").size();
        }
        assertThat(byEmail.values()).allMatch(n -> n == 1);
        assertThat(contacts.size()).as("people on several calls").isLessThan(partyLinks);
        assertThat(contacts).allSatisfy(c -> assertThat(c.at("/structuredData/email").asText()).doesNotEndWith("@sandbox-sales.test"));

        // a second full pass writes nothing
        assertCompleted(s.sync("full"), 12, 0, 0);

        // in Gong: a new call now, a recent call renamed, an old call renamed (beyond the look-back: not seen)
        JsonNode all = s.calls("");
        String recent = all.get(all.size() - 1).get("id").asText();
        String old = all.get(0).get("id").asText();
        s.gong().setup("PATCH", "/calls/" + recent, Map.of("title", "Renamed recent call"));
        s.gong().setup("PATCH", "/calls/" + old, Map.of("title", "Renamed old call"));
        String added = s.gong().setup("POST", "/calls", Map.of("accountIndex", 1, "title", "Brand new call",
                "started", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())).get("id").asText();
        JsonNode incremental = s.sync("incremental");
        assertThat(incremental.get("status").asText()).as(incremental.toString()).isEqualTo("completed");
        assertThat(incremental.get("recordsCreated").asLong()).as(incremental.toString()).isEqualTo(1);
        assertThat(incremental.get("recordsUpdated").asLong()).as(incremental.toString()).isEqualTo(1);
        assertThat(incremental.get("recordsProcessed").asLong()).as("the look-back's calls, not all").isLessThan(13);
        notes = s.notes();
        assertThat(notes).hasSize(13);
        assertThat(notes.get(added).at("/structuredData/title").asText()).isEqualTo("Brand new call");
        assertThat(notes.get(recent).at("/structuredData/title").asText()).isEqualTo("Renamed recent call");
        assertThat(notes.get(old).at("/structuredData/title").asText()).isNotEqualTo("Renamed old call");
    }

    @Test
    default void partiesJoinTheCrmContactsWithTheSameEmail() {
        HubClient hub = hub();
        Session s = session(12, 6, true);
        HubSpotPortal crm = new HubSpotPortal(hub, "gong-crm");
        crm.reset(6);
        String hubspot = crm.connect(s.key(), Map.of());
        JsonNode crmSync = hub.runAndWait(s.key(), hubspot, hub.task(s.key(), hubspot, "contacts", "full"), TIMEOUT);
        assertThat(crmSync.get("status").asText()).as(crmSync.toString()).isEqualTo("completed");
        Set<String> crmEmails = new HashSet<>();
        hub.allShards(s.key(), "c_contact").forEach(c -> crmEmails.add(c.at("/structuredData/email").asText().toLowerCase(Locale.ROOT)));

        assertCompleted(s.sync("full"), 12, 12, 0);
        Set<String> joined = new HashSet<>();
        Set<String> gongEmails = new HashSet<>();
        Map<String, Integer> shardsByEmail = new HashMap<>();
        for (JsonNode contact : hub.allShards(s.key(), "c_contact")) {
            String email = contact.at("/structuredData/email").asText().toLowerCase(Locale.ROOT);
            shardsByEmail.merge(email, 1, Integer::sum);
            boolean fromGong = !links(contact, "calls.party").isEmpty();
            if (fromGong) {
                gongEmails.add(email);
            }
            if (fromGong && contact.get("externalRelationships").size() > links(contact, "calls.party").size()) {
                joined.add(email);
            }
        }
        Set<String> shared = new HashSet<>(gongEmails);
        shared.retainAll(crmEmails);
        assertThat(shared).as("the sandboxes share people").isNotEmpty();
        assertThat(joined).as("a party with a CRM contact's email joins that contact").isEqualTo(shared);
        assertThat(shardsByEmail).allSatisfy((email, n) -> assertThat(n).as(email).isEqualTo(1));
    }

    @Test
    default void anEmptyWindowIsNoError() {
        Session s = session(0, 3, true);
        assertCompleted(s.sync("full"), 0, 0, 0);
        assertCompleted(s.sync("incremental"), 0, 0, 0);
        s.gong().setup("POST", "/calls", Map.of("accountIndex", 0, "started", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()));
        assertCompleted(s.sync("incremental"), 1, 1, 0);
        // after it, a window without calls again
        s.gong().setup("POST", "/reset", Map.of("calls", 0, "accounts", 3));
        assertCompleted(s.sync("incremental"), 0, 0, 0);
    }

    @Test
    default void gongsLimitsAreKeptWithoutARefusal() {
        // 450 calls: five pages of two requests each; at Gong's 3 a second the hub paces itself below the sandbox's window
        Session s = session(450, 10, false);
        assertCompleted(s.sync("full"), 450, 450, 0);
        JsonNode limits = s.gong().setup("GET", "/limits", null);
        assertThat(limits.at("/second/rateLimit").asInt()).isEqualTo(3);
        assertThat(limits.at("/second/violations").asLong()).isZero();
        assertThat(limits.at("/day/rateLimit").asInt()).isEqualTo(10_000);
        assertThat(limits.at("/day/used").asInt()).as("connection test and ten requests").isEqualTo(11);
        assertThat(limits.at("/day/violations").asLong()).isZero();
    }

    @Test
    default void aSpentAllowanceMakesTheSyncWaitAsToldAndNothingIsDropped() {
        // Gong's allowance spent by others: four requests per three seconds left; each 429 says how long to wait
        Session s = session(450, 10, true);
        s.gong().setup("PUT", "/limits/day", Map.of("rateLimit", 4, "windowSeconds", 3));
        JsonNode execution = s.sync("full");
        assertCompleted(execution, 450, 450, 0);
        assertThat(s.notes()).hasSize(450);
        JsonNode limits = s.gong().setup("GET", "/limits", null);
        assertThat(limits.at("/day/violations").asLong()).as("the sandbox refused, the hub waited").isPositive();
    }
}
