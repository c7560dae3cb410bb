package providers.microsoft_teams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import providers.ChangeMarkerRefusedException;
import providers.PermanentProviderException;

/** The Teams adapter's parts that need no Graph: message text, records, sources, and what a pass and its marker carry. */
class TeamsAdapterPartsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void htmlBodiesBecomePlainTextAndTextBodiesStayAsTheyAre() {
        assertThat(TeamsMessageText.text("html", "<div><p>Hi <at id=\"0\">Jordan</at>,</p><p>the <b>Acme</b> deal &amp; the"
                + "&nbsp;review&#33;<br>Next:</p><ul><li>pricing</li><li>legal &lt;draft&gt;</li></ul></div>"))
                .isEqualTo("Hi Jordan,\nthe Acme deal & the review!\nNext:\n- pricing\n- legal <draft>");
        assertThat(TeamsMessageText.text("html", "<style>p{}</style>&#x1F600; &bogus; ok")).isEqualTo("\uD83D\uDE00 &bogus; ok");
        assertThat(TeamsMessageText.text("text", "a <b>literal</b> & text")).isEqualTo("a <b>literal</b> & text");
        assertThat(TeamsMessageText.text("html", null)).isEmpty();
    }

    @Test
    void aReplyIsARecordOfItsOwnNamingItsParentAndAnApplicationCanBeTheAuthor() throws Exception {
        JsonNode reply = JSON.readTree("""
                {"id":"1700000000002","replyToId":"1700000000001","etag":"1700000000009","messageType":"message",
                 "createdDateTime":"2026-06-01T10:00:00.123Z","lastModifiedDateTime":"2026-06-01T10:05:00Z",
                 "lastEditedDateTime":"2026-06-01T10:05:00Z","subject":null,"importance":"high","webUrl":"https://teams/x",
                 "from":{"user":null,"application":{"id":"app-1","displayName":"Deal Bot"}},
                 "body":{"contentType":"html","content":"<p>Signed</p>"}}""");
        Map<String, Object> r = TeamsAdapter.record("team-1/19:abc@thread.tacv2", "Sales / General", reply, "1700000000001");
        assertThat(r).containsEntry("id", "team-1/19:abc@thread.tacv2/1700000000001/1700000000002")
                .containsEntry("parentId", "team-1/19:abc@thread.tacv2/1700000000001").containsEntry("teamId", "team-1")
                .containsEntry("channelId", "19:abc@thread.tacv2").containsEntry("channel", "Sales / General")
                .containsEntry("author", "Deal Bot").containsEntry("authorId", "app-1").containsEntry("body", "Signed")
                .containsEntry("createdAt", "2026-06-01T10:00:00.123Z").containsEntry("updatedAt", "2026-06-01T10:05:00Z")
                .containsEntry("edited", true).containsEntry("version", "1700000000009").containsEntry("subject", null);
        assertThat(r).doesNotContainKey("replyCount");
    }

    @Test
    void sourcesAreATeamOrATeamAndChannel() {
        assertThat(TeamsAdapter.Source.parse("t1")).isEqualTo(new TeamsAdapter.Source("t1", null));
        assertThat(TeamsAdapter.Source.parse(" t1/19:c@thread.tacv2 ")).isEqualTo(new TeamsAdapter.Source("t1", "19:c@thread.tacv2"));
        assertThat(TeamsAdapter.Source.parse("t1/")).isNull();
        assertThat(TeamsAdapter.Source.parse("t1/c/m")).isNull();
        assertThat(TeamsAdapter.Source.parse(" ")).isNull();
    }

    @Test
    void aPassAndItsMarkerSurviveTheirEncodingAndForeignOnesAreRefused() {
        TeamsPass pass = new TeamsPass();
        pass.ch.add("t/19:a@thread.tacv2");
        pass.ch.add("t/19:b@thread.tacv2");
        pass.names.put("t/19:a@thread.tacv2", "Team / General");
        pass.i = 1;
        pass.link = "https://graph.microsoft.com/v1.0/teams/t/channels/19:b@thread.tacv2/messages/delta?$skiptoken=x";
        pass.to.put("t/19:a@thread.tacv2", "?$deltatoken=abc");
        TeamsPass back = TeamsPass.decode(pass.encode());
        assertThat(back.channel()).isEqualTo("t/19:b@thread.tacv2");
        assertThat(back.link).isEqualTo(pass.link);
        assertThat(back.names).isEqualTo(pass.names);
        assertThat(TeamsPass.decodeMarker(back.marker())).containsExactly(Map.entry("t/19:a@thread.tacv2", "?$deltatoken=abc"));
        assertThatThrownBy(() -> TeamsPass.decodeMarker("2026-06-01T10:00:00Z")).isInstanceOf(ChangeMarkerRefusedException.class);
        assertThatThrownBy(() -> TeamsPass.decode("bm90IGEgcGFzcw")).isInstanceOf(PermanentProviderException.class);
    }
}
