package store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Statuses keep their lower-case spelling in JSON and in the columns, and refuse spellings they do not know. */
class StatusValuesTest {

    private static final List<Class<? extends Enum<?>>> STATUSES = List.of(SyncExecution.Status.class, OutboxEntry.Status.class,
            WebhookDelivery.Verification.class, WebhookDelivery.Status.class, WebhookRegistration.Status.class, Conflict.Status.class,
            Connection.Status.class, Connection.CredentialState.class, Integration.Status.class);

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void everyStatusIsItsLowerCaseNameInJsonAndReadsBack() throws Exception {
        for (Class<? extends Enum<?>> type : STATUSES) {
            for (Enum<?> constant : type.getEnumConstants()) {
                String value = ((WireValue) constant).value();
                assertThat(value).isEqualTo(constant.name().toLowerCase(Locale.ROOT)).isEqualTo(constant.toString());
                assertThat(json.writeValueAsString(constant)).isEqualTo("\"" + value + "\"");
                assertThat(json.readValue("\"" + value + "\"", type)).isSameAs(constant);
            }
        }
    }

    @Test
    void anUnknownSpellingIsRefusedWithTheAllowedOnes() {
        assertThat(SyncExecution.Status.of("running")).isSameAs(SyncExecution.Status.RUNNING);
        assertThat(WebhookDelivery.Status.of("processing_failed")).isSameAs(WebhookDelivery.Status.PROCESSING_FAILED);
        assertThatThrownBy(() -> SyncExecution.Status.of("RUNNING"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown SyncExecution.Status 'RUNNING'; allowed: pending, running, completed, partial, failed, cancelled");
        assertThatThrownBy(() -> Connection.Status.of(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("connected, error, disconnected, auth_failed");
    }

    @Test
    void anIntegrationFollowsItsConnection() {
        for (Connection.Status status : Connection.Status.values()) {
            assertThat(Integration.Status.following(status).value()).isEqualTo(status.value());
        }
    }
}
