package sandbox.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import hub.MutableClock;

/** Isolated workspaces: each its own data, made on first use, bounded per client and in all, idle ones evicted. */
class WorkspacesTest {

    /** A workspace with data of its own. */
    private record Space(String name, List<String> records) {
    }

    private static final Workspaces.Naming NAMING = new Workspaces.Naming("Acme sandbox", "space", "hub.sandbox.acme");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
    private final List<String> made = new ArrayList<>();

    private Workspaces<Space> workspaces(int max, int perClient) {
        return new Workspaces<>(NAMING, new Workspaces.Limits(max, perClient, Duration.ofMinutes(15)), clock, name -> {
            made.add(name);
            return new Space(name, new ArrayList<>(List.of("seeded")));
        }, Workspaces.Refusal.withHint("use a space that exists"));
    }

    @Test
    void eachNameIsItsOwnWorkspaceMadeOnceOnFirstUse() {
        Workspaces<Space> spaces = workspaces(10, 10);
        Space a = spaces.get("a", "client-1");
        a.records().add("written in a");

        assertThat(spaces.get("a", "client-2")).as("the same workspace, whoever asks").isSameAs(a);
        assertThat(spaces.get("b", "client-1").records()).as("another name sees none of a's data").containsExactly("seeded");
        assertThat(spaces.get(Workspaces.DEFAULT, "client-1").records()).containsExactly("seeded");
        assertThat(made).containsExactly("a", "b", "");
        assertThat(spaces.named()).as("the default workspace is not counted").isEqualTo(2);
        assertThat(spaces.find("c")).as("finding does not make one").isNull();
    }

    @Test
    void aClientAtItsBoundIsRefusedUntilOneOfItsWorkspacesIsIdle() {
        Workspaces<Space> spaces = workspaces(10, 2);
        spaces.get("one", "client-1");
        clock.advance(Duration.ofMinutes(1));
        spaces.get("two", "client-1");

        assertThatThrownBy(() -> spaces.get("three", "client-1")).isInstanceOfSatisfying(Workspaces.Full.class, e -> {
            assertThat(e.cap()).isEqualTo(Workspaces.Cap.CLIENT);
            assertThat(e.getMessage()).isEqualTo("this client already holds 2 sandbox spaces"
                    + " (hub.sandbox.acme.max-spaces-per-client), none unused for 15m (hub.sandbox.acme.space-idle-after):"
                    + " use a space that exists");
        });
        assertThat(spaces.get("three", "client-2")).as("another client has its own bound").isNotNull();

        clock.advance(Duration.ofMinutes(15));
        spaces.find("two"); // in use: not the one to go
        Space three = spaces.get("three-again", "client-1");
        assertThat(three).isNotNull();
        assertThat(spaces.find("one")).as("the idlest of the client's own was evicted").isNull();
        assertThat(spaces.find("two")).isNotNull();
    }

    @Test
    void theSandboxBoundEvictsTheIdlestNamedWorkspaceButNeverTheDefault() {
        Workspaces<Space> spaces = workspaces(2, 10);
        spaces.get(Workspaces.DEFAULT, "c");
        spaces.get("old", "c1");
        clock.advance(Duration.ofMinutes(5));
        spaces.get("newer", "c2");

        assertThatThrownBy(() -> spaces.get("third", "c3")).isInstanceOfSatisfying(Workspaces.Full.class,
                e -> assertThat(e.cap()).isEqualTo(Workspaces.Cap.SANDBOX));

        clock.advance(Duration.ofMinutes(12));
        spaces.get("third", "c3");
        assertThat(spaces.find("old")).isNull();
        assertThat(spaces.find("newer")).isNotNull();
        assertThat(spaces.find(Workspaces.DEFAULT)).isNotNull();
        assertThat(spaces.named()).isEqualTo(2);
    }

    @Test
    void aResetReplacesTheWorkspaceFromTheOneHeld() {
        Workspaces<Space> spaces = workspaces(10, 10);
        Space before = spaces.get("r", "c");
        before.records().add("changed");

        Space after = spaces.replace("r", old -> new Space("r", new ArrayList<>(List.of("seeded", "reset after "
                + old.records().size()))));
        assertThat(spaces.find("r")).isSameAs(after);
        assertThat(after.records()).containsExactly("seeded", "reset after 2");
        assertThat(spaces.all()).containsExactly(after);
    }
}
