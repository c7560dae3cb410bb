package processors.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import hub.EmbeddedHubTest;

/** The event stream on the embedded default: H2 file database and embedded Artemis. */
class EventStreamOnH2Test extends EmbeddedHubTest implements EventStreamScenario {

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcClient jdbc;

    @Override
    public ApplicationContext context() {
        return context;
    }

    @Test
    void theOutboxesTakeTheirSequenceNumbersInLargeBlocks() {
        // each block H2 runs out of is recorded in a commit that writes the whole store (db/h2/R__identity_caches.sql)
        assertThat(jdbc.sql("SELECT TABLE_NAME, IDENTITY_CACHE FROM INFORMATION_SCHEMA.COLUMNS WHERE COLUMN_NAME = 'SEQ'"
                        + " AND TABLE_NAME IN ('EVENTS', 'WRITE_OUTBOX')")
                .query((rs, row) -> rs.getString(1) + "=" + rs.getLong(2)).list())
                .containsExactlyInAnyOrder("EVENTS=10000", "WRITE_OUTBOX=10000");
    }
}
