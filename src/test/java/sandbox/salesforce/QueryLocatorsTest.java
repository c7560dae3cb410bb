package sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import hub.MutableClock;

class QueryLocatorsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2025-06-01T12:00:00Z"));
    private final QueryLocators locators = new QueryLocators("5A", clock);

    @Test
    void idleCursorsExpireAndUseKeepsThemAlive() {
        QueryLocators.Cursor used = locators.open(List.of(), List.of(), 200);
        QueryLocators.Cursor idle = locators.open(List.of(), List.of(), 200);
        assertThat(used.id()).startsWith("01g5A").hasSize(18).isNotEqualTo(idle.id());
        clock.advance(Duration.ofMinutes(10));
        assertThat(locators.find(used.id())).isSameAs(used);
        clock.advance(Duration.ofMinutes(6));
        assertThat(locators.find(idle.id())).isNull();
        assertThat(locators.find(used.id())).isSameAs(used);
    }

    @Test
    void beyondTheCapTheLeastRecentlyUsedCloses() {
        QueryLocators.Cursor first = locators.open(List.of(), List.of(), 200);
        QueryLocators.Cursor second = locators.open(List.of(), List.of(), 200);
        locators.find(first.id());
        for (int i = 0; i < QueryLocators.MAX_OPEN - 1; i++) {
            locators.open(List.of(), List.of(), 200);
        }
        assertThat(locators.size()).isEqualTo(QueryLocators.MAX_OPEN);
        assertThat(locators.find(second.id())).isNull();
        assertThat(locators.find(first.id())).isSameAs(first);
    }
}
