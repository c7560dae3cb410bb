package processors.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import hub.EmbeddedHubTest;
import store.CheckpointStore;
import store.CheckpointStore.LeaseLostException;

/**
 * A run's queue message can be delivered twice at once: its instance is paused (SIGSTOP, a long GC pause) or loses
 * the broker, and the broker gives the message to another instance, which resumes the run from its checkpoint under
 * the same execution id. Each claim of the lease writes a new fencing token; the earlier delivery, waking up, is
 * refused at its next page (and its failure leaves the run to the later one), instead of writing beside it.
 */
class SyncLeaseFencingTest extends EmbeddedHubTest {

    @Autowired
    private CheckpointStore checkpoints;
    @Autowired
    private TransactionTemplate transaction;

    @Test
    void aLaterDeliveryOfTheSameRunFencesTheEarlierOneAndAnotherRunFencesBoth() {
        String key = hub().newTenantKey(ADMIN_KEY);
        String integration = hub().connectedTestProvider(key, "fencing");
        OffsetDateTime inAMinute = OffsetDateTime.now().plusMinutes(1);

        assertThat(checkpoints.claim(integration, "Contact", "run-1", "delivery-1", inAMinute)).isTrue();
        check(integration, "run-1", "delivery-1");

        // the broker redelivers the run's message while the first delivery's instance is paused: it claims again
        assertThat(checkpoints.claim(integration, "Contact", "run-1", "delivery-2", inAMinute)).isTrue();
        check(integration, "run-1", "delivery-2");
        assertThatThrownBy(() -> check(integration, "run-1", "delivery-1")).isInstanceOfSatisfying(LeaseLostException.class,
                lost -> assertThat(lost.toAnotherDelivery()).as("the run goes on in the later delivery").isTrue());

        // run-1's last delivery stops renewing (its lease runs out); another run of the entity takes it over
        assertThat(checkpoints.claim(integration, "Contact", "run-1", "delivery-2", OffsetDateTime.now().minusSeconds(1))).isTrue();
        assertThat(checkpoints.claim(integration, "Contact", "run-2", "delivery-3", inAMinute)).as("run-1's lease has expired").isTrue();
        assertThatThrownBy(() -> check(integration, "run-1", "delivery-2")).isInstanceOfSatisfying(LeaseLostException.class,
                lost -> assertThat(lost.toAnotherDelivery()).as("run-1 lost its entity to another run").isFalse());
        check(integration, "run-2", "delivery-3");
    }

    private void check(String integration, String execution, String token) {
        transaction.executeWithoutResult(tx -> checkpoints.checkHolder(integration, "Contact", execution, token));
    }
}
