package providers.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import providers.ChangeMarkerRefusedException;
import providers.PermanentProviderException;

/** The pass state and the per-channel marker survive their text form; foreign markers are refused. */
class SlackPassTest {

    @Test
    void theMarkerKeepsEachChannelsMarkAndTheLastChange() {
        SlackPass.Marker marker = new SlackPass.Marker();
        marker.c.put("C0001", "1700000000.000100");
        marker.c.put("C0002", "1700000500.000007");
        marker.e = 42;
        String text = marker.encode();
        assertThat(text).startsWith(SlackPass.MARKER_PREFIX);
        SlackPass.Marker read = SlackPass.Marker.decode(text);
        assertThat(read.c).containsExactly(java.util.Map.entry("C0001", "1700000000.000100"),
                java.util.Map.entry("C0002", "1700000500.000007"));
        assertThat(read.e).isEqualTo(42);
    }

    @Test
    void aMarkerOfAnotherKindMakesAFullPass() {
        assertThatThrownBy(() -> SlackPass.Marker.decode("2024-01-01T00:00:00Z")).isInstanceOf(ChangeMarkerRefusedException.class);
        assertThatThrownBy(() -> SlackPass.Marker.decode("slack1.%%%")).isInstanceOf(ChangeMarkerRefusedException.class);
    }

    @Test
    void thePassStateTravelsInThePageCursor() {
        SlackPass pass = new SlackPass();
        pass.ph = SlackPass.REPLIES;
        pass.q.addAll(List.of("C1", "C2"));
        pass.th.add(List.of("1700000000.000100", ""));
        pass.to.c.put("C1", "1700000000.000200");
        pass.e1 = 7;
        SlackPass read = SlackPass.decode(pass.encode());
        assertThat(read.ph).isEqualTo(SlackPass.REPLIES);
        assertThat(read.q).containsExactly("C1", "C2");
        assertThat(read.th).containsExactly(List.of("1700000000.000100", ""));
        assertThat(read.to.c).containsEntry("C1", "1700000000.000200");
        assertThat(read.e1).isEqualTo(7);
        assertThatThrownBy(() -> SlackPass.decode("not a cursor")).isInstanceOf(PermanentProviderException.class);
    }

    @Test
    void tsCompareAsNumbersAndPermalinksAreSlacks() {
        assertThat(SlackAdapter.compareTs("1700000000.000100", "999999999.999999")).isPositive();
        assertThat(SlackAdapter.compareTs("1700000000.1", "1700000000.000100")).isPositive();
        assertThat(SlackAdapter.instant("1700000000.000250")).isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 250_000));
        assertThat(SlackAdapter.ts(Instant.ofEpochSecond(1_700_000_000L, 250_000))).isEqualTo("1700000000.000250");
        assertThat(SlackAdapter.permalink("https://acme.slack.com/", "C1", "1700000000.000250", null))
                .isEqualTo("https://acme.slack.com/archives/C1/p1700000000000250");
        assertThat(SlackAdapter.permalink("https://acme.slack.com/", "C1", "1700000001.000001", "1700000000.000250"))
                .isEqualTo("https://acme.slack.com/archives/C1/p1700000001000001?thread_ts=1700000000.000250&cid=C1");
    }
}
