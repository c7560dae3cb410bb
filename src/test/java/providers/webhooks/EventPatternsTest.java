package providers.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventPatternsTest {

    @Test
    void starMatchesEverything() {
        assertThat(EventPatterns.matches(List.of("*"), "contact.updated")).isTrue();
        assertThat(EventPatterns.matches(List.of("*"), "x.y.z")).isTrue();
    }

    @Test
    void aPrefixWildcardMatchesDeeperTypesButNotTheBareNoun() {
        List<String> patterns = List.of("contact.*");
        assertThat(EventPatterns.matches(patterns, "contact.updated")).isTrue();
        assertThat(EventPatterns.matches(patterns, "contact.note.added")).isTrue();
        assertThat(EventPatterns.matches(patterns, "contact")).isFalse();
        assertThat(EventPatterns.matches(patterns, "contacts.updated")).isFalse();
        assertThat(EventPatterns.matches(patterns, "company.updated")).isFalse();
    }

    @Test
    void exactPatternsMatchOnlyThemselves() {
        List<String> patterns = List.of("contact.updated", "note.created");
        assertThat(EventPatterns.matches(patterns, "note.created")).isTrue();
        assertThat(EventPatterns.matches(patterns, "contact.created")).isFalse();
        assertThat(EventPatterns.matches(patterns, "contact.updated.more")).isFalse();
    }

    @Test
    void emptyOrMissingPatternsMatchNothing() {
        assertThat(EventPatterns.matches(List.of(), "contact.updated")).isFalse();
        assertThat(EventPatterns.matches(null, "contact.updated")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "contact", "contact.updated", "contact.*", "custom.my_event_2.v1", "a.b.c.*"})
    void validPatternsAreReturnedUnchanged(String pattern) {
        assertThat(EventPatterns.validate(pattern)).isEqualTo(pattern);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Contact.updated", "contact..updated", ".contact", "contact.", "contact*",
            "*.updated", "contact.*.x", "contact-updated", "contact updated", "**", ".*", "contact.**"})
    void invalidPatternsAreRefusedWithAMessage(String pattern) {
        assertThatThrownBy(() -> EventPatterns.validate(pattern))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pattern");
    }

    @Test
    void nullAndOverlongPatternsAreRefused() {
        assertThatThrownBy(() -> EventPatterns.validate(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventPatterns.validate("a".repeat(201))).isInstanceOf(IllegalArgumentException.class);
    }
}
