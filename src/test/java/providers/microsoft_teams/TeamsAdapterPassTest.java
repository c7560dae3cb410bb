package providers.microsoft_teams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import providers.ConnectionContext;
import providers.DeletedRecord;
import providers.FetchPage;
import providers.FetchRequest;
import providers.PermanentProviderException;
import providers.microsoft.GraphClient;
import providers.microsoft.GraphResyncRequiredException;

/**
 * How a pass walks a channel's messages delta, on Graph answers staged in a mocked client: pages by next link, replies and
 * deletions, system messages left out, the delta link kept as the marker, and a kept link Graph no longer takes (410 with
 * a Location, 400 syncStateNotFound) restarting the channel.
 */
class TeamsAdapterPassTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "https://graph.test/v1.0/";
    private static final String DELTA = "teams/t1/channels/19:a@thread.tacv2/messages/delta";

    private final GraphClient client = mock(GraphClient.class);
    private final TeamsAdapter adapter = new TeamsAdapter(client, Duration.ofHours(1));
    private final ConnectionContext connection = new ConnectionContext("tenant", "integration", TeamsAdapter.PROVIDER_ID, Map.of())
            .withSources(Map.of("messages", List.of("t1")));

    @BeforeEach
    void team() throws Exception {
        when(client.base(connection)).thenReturn(URI.create(BASE));
        when(client.get(connection, "teams/t1")).thenReturn(json("{\"id\":\"t1\",\"displayName\":\"Sales\"}"));
        when(client.list(connection, "teams/t1/channels")).thenReturn(List.of(json("{\"id\":\"19:a@thread.tacv2\",\"displayName\":\"General\"}")));
    }

    /** Every page of a pass from the marker (null: full): its records, deletions and resume marker. */
    private record Pass(List<Map<String, Object>> records, List<DeletedRecord> deleted, String marker) {
    }

    private Pass pass(String since) {
        List<Map<String, Object>> records = new ArrayList<>();
        List<DeletedRecord> deleted = new ArrayList<>();
        String cursor = null;
        FetchPage page;
        do {
            page = adapter.fetchRecords(connection, new FetchRequest("messages", List.of(), "version", List.of(), since, cursor, 200));
            records.addAll(page.records());
            deleted.addAll(page.deleted());
            cursor = page.nextPageCursor();
        } while (cursor != null);
        return new Pass(records, deleted, page.resumeMarker());
    }

    @Test
    void aFullPassFollowsTheNextLinksAndKeepsTheDeltaLinkAsTheMarker() throws Exception {
        when(client.get(connection, DELTA + "?$expand=replies&$top=50")).thenReturn(json("""
                {"@odata.nextLink":"https://graph.test/v1.0/teams/t1/channels/19:a@thread.tacv2/messages/delta?$skiptoken=s1",
                 "value":[{"id":"1","messageType":"message","etag":"1","body":{"contentType":"text","content":"Root"},
                           "replies":[{"id":"2","replyToId":"1","messageType":"message","etag":"2","body":{"content":"Reply"}},
                                      {"id":"3","replyToId":"1","messageType":"message","deletedDateTime":"2026-06-01T10:00:00Z"}]},
                          {"id":"4","messageType":"systemEventMessage","from":null,"body":{"content":"<systemEventMessage/>"}}]}"""));
        when(client.get(connection, BASE + DELTA + "?$skiptoken=s1")).thenReturn(json("""
                {"@odata.deltaLink":"https://graph.test/v1.0/teams/t1/channels/19:a@thread.tacv2/messages/delta?$deltatoken=d1",
                 "value":[{"id":"5","messageType":"message","deletedDateTime":"2026-06-02T10:00:00Z"}]}"""));
        Pass full = pass(null);
        assertThat(full.records()).extracting(r -> r.get("id")).containsExactly("t1/19:a@thread.tacv2/1", "t1/19:a@thread.tacv2/1/2");
        assertThat(full.records().get(0)).containsEntry("channel", "Sales / General").containsEntry("replyCount", 1);
        assertThat(full.deleted()).extracting(DeletedRecord::externalId)
                .containsExactly("t1/19:a@thread.tacv2/1/3", "t1/19:a@thread.tacv2/5");
        assertThat(TeamsPass.decodeMarker(full.marker())).containsExactly(Map.entry("t1/19:a@thread.tacv2", "?$deltatoken=d1"));
    }

    @Test
    void aDeltaLinkGraphAnswersWith410IsFollowedToItsLocationAndOneItNoLongerKnowsStartsTheChannelAgain() throws Exception {
        String marker = marker("?$deltatoken=old");
        when(client.get(connection, DELTA + "?$deltatoken=old"))
                .thenThrow(new GraphResyncRequiredException("Microsoft Graph refused GET (410 resyncRequired)", BASE + DELTA + "?$skiptoken=again"));
        when(client.get(connection, BASE + DELTA + "?$skiptoken=again")).thenReturn(json("""
                {"@odata.deltaLink":"https://graph.test/v1.0/teams/t1/channels/19:a@thread.tacv2/messages/delta?$deltatoken=d2",
                 "value":[{"id":"7","messageType":"message","etag":"7","body":{"content":"Seen again"}}]}"""));
        Pass resynced = pass(marker);
        assertThat(resynced.records()).extracting(r -> r.get("id")).containsExactly("t1/19:a@thread.tacv2/7");
        assertThat(TeamsPass.decodeMarker(resynced.marker())).containsEntry("t1/19:a@thread.tacv2", "?$deltatoken=d2");

        when(client.get(connection, DELTA + "?$deltatoken=unknown")).thenThrow(new PermanentProviderException(
                "Microsoft Graph refused GET (400 syncStateNotFound): The sync state generation is not found", 400, null));
        when(client.get(connection, DELTA + "?$expand=replies&$top=50")).thenReturn(json("""
                {"@odata.deltaLink":"https://graph.test/v1.0/teams/t1/channels/19:a@thread.tacv2/messages/delta?$deltatoken=d3",
                 "value":[{"id":"8","messageType":"message","etag":"8","body":{"content":"From the first round"}}]}"""));
        Pass restarted = pass(marker("?$deltatoken=unknown"));
        assertThat(restarted.records()).extracting(r -> r.get("id")).containsExactly("t1/19:a@thread.tacv2/8");
        assertThat(TeamsPass.decodeMarker(restarted.marker())).containsEntry("t1/19:a@thread.tacv2", "?$deltatoken=d3");
    }

    private static String marker(String link) {
        TeamsPass pass = new TeamsPass();
        pass.to.put("t1/19:a@thread.tacv2", link);
        return pass.marker();
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }
}
