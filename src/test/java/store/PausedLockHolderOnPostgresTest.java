package store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import hub.PostgresHubTest;

/**
 * Singleton work that is not a Quartz trigger (the outbox relay, the events relay) is one at a time across instances
 * through a lock row held for a database transaction. An instance paused while holding it (SIGSTOP, a long GC pause)
 * must neither stall the others for ever nor write once it wakes: the postgres profile has PostgreSQL end a session
 * idle inside a transaction ({@code idle_in_transaction_session_timeout}, {@code HUB_DB_IDLE_IN_TRANSACTION_TIMEOUT}).
 */
class PausedLockHolderOnPostgresTest extends PostgresHubTest {

    @Autowired
    private DataSource dataSource;
    @Autowired
    private OutboxStore outbox;
    @Autowired
    private TransactionTemplate transaction;

    @Test
    void everyConnectionOfTheHubIsEndedByTheDatabaseWhenIdleInATransaction() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SHOW idle_in_transaction_session_timeout")) {
            r.next();
            assertThat(r.getString(1)).as("the postgres profile's default").isEqualTo("1min");
        }
    }

    @Test
    void aPausedHolderOfTheRelayLockLosesItAndCannotCommitAfterwards() throws Exception {
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                // the profile's minute, shortened for this transaction only so the test need not wait that long
                s.execute("SET LOCAL idle_in_transaction_session_timeout = '1s'");
                s.executeQuery("SELECT id FROM write_outbox_relay WHERE id = 1 FOR UPDATE").close();
            }
            // the holder is "paused" from here on: it sends nothing. Another instance's relay takes the lock meanwhile.
            long started = System.nanoTime();
            CompletableFuture<Integer> relay = CompletableFuture.supplyAsync(
                    () -> transaction.execute(status -> outbox.lockPending(10).size()));
            assertThat(relay.get(30, TimeUnit.SECONDS)).as("the other relay ran its batch").isNotNull();
            Duration waited = Duration.ofNanos(System.nanoTime() - started);
            assertThat(waited).as("the other relay waited for the database to end the paused session, not longer")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(500)).isLessThan(Duration.ofSeconds(20));

            // the holder wakes up and tries to go on: its write and its commit fail (fenced by the database)
            assertThatThrownBy(() -> {
                try (Statement s = holder.createStatement()) {
                    s.executeUpdate("UPDATE write_outbox_relay SET id = 1 WHERE id = 1");
                }
                holder.commit();
            }).isInstanceOf(SQLException.class);
        }
    }
}
