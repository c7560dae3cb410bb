package security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/** Operators log in with a name and a password checked against a bcrypt hash; the administrator with the admin key. */
class OperatorsTest {

    private final AdminKey adminKey = new AdminKey("the-admin-key", "/nonexistent");

    @Test
    void operatorsAndTheAdministratorLogIn() {
        String hash = new BCryptPasswordEncoder(4).encode("s3cret-pass");
        Operators operators = new Operators(adminKey, Map.of("alice", hash, "bob", "{bcrypt}" + hash));
        assertThat(operators.matches("alice", "s3cret-pass")).isTrue();
        assertThat(operators.matches("alice", "s3cret-pass")).as("again, from the verified digest").isTrue();
        assertThat(operators.matches("bob", "s3cret-pass")).isTrue();
        assertThat(operators.matches("alice", "wrong")).isFalse();
        assertThat(operators.matches("carol", "s3cret-pass")).isFalse();
        assertThat(operators.matches("admin", "the-admin-key")).isTrue();
        assertThat(operators.matches("admin", "s3cret-pass")).isFalse();
        assertThat(operators.matches("alice", "x".repeat(100))).isFalse();
    }

    @Test
    void aPlaintextPasswordOrAReservedNameIsRefusedAtStartWithoutShowingIt() {
        assertThatThrownBy(() -> new Operators(adminKey, Map.of("alice", "plain-password")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("hub.operators.alice must be a bcrypt hash")
                .hasMessageNotContaining("plain-password");
        assertThatThrownBy(() -> new Operators(adminKey, Map.of("admin", new BCryptPasswordEncoder(4).encode("x"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not 'admin'");
    }
}
