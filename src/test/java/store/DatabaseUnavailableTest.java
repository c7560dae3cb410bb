package store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

import providers.TransientProviderException;

/** Which failures say the database did not answer (a run resumes once it does) and which say the work was wrong. */
class DatabaseUnavailableTest {

    @Test
    void connectionFailuresAndFailedCommitsAreTheDatabaseNotAnsweringWhereverTheyAreInTheCauses() {
        SQLException brokenConnection = new SQLException("An I/O error occurred while sending to the backend.", "08006");
        assertThat(DatabaseUnavailable.in(new CannotGetJdbcConnectionException("no connection",
                new SQLTransientConnectionException("HikariPool-1 - Connection is not available, request timed out after 30000ms.")))).isTrue();
        assertThat(DatabaseUnavailable.in(new CannotCreateTransactionException("Could not open JDBC Connection for transaction"))).isTrue();
        assertThat(DatabaseUnavailable.in(new TransactionSystemException("JDBC commit failed"))).isTrue();
        // a driver's exception no translation met, as a library that calls JDBC itself passes it on: by its SQL state
        assertThat(DatabaseUnavailable.in(new IllegalStateException("bucket state", brokenConnection))).isTrue();
        assertThat(DatabaseUnavailable.find(new RuntimeException(brokenConnection)))
                .isInstanceOf(org.springframework.dao.DataAccessResourceFailureException.class);
    }

    @Test
    void aCallOnAConnectionThePoolHasClosedIsTheDatabaseNotAnswering() throws SQLException {
        // a rollback after the pool closed the connection: what a library that handles its own transactions (the
        // rate-limit buckets) passes on when the database went away under it, the first failure lost
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:closed-connection");
        try (HikariDataSource pool = new HikariDataSource(config)) {
            Connection connection = pool.getConnection();
            connection.setAutoCommit(false);
            connection.close();
            SQLException closed = catchThrowableOfType(SQLException.class, connection::rollback);
            assertThat(closed.getSQLState()).isNull();
            assertThat(DatabaseUnavailable.in(new IllegalStateException("bucket state", closed))).isTrue();
            assertThat(DatabaseUnavailable.find(new RuntimeException(closed))).isSameAs(closed);
        }
        assertThat(DatabaseUnavailable.in(new SQLException("Connection refused by the application"))).isFalse();
    }

    @Test
    void constraintViolationsAndOtherFailuresAreNot() {
        assertThat(DatabaseUnavailable.in(new DuplicateKeyException("duplicate key value violates unique constraint"))).isFalse();
        assertThat(DatabaseUnavailable.in(new DataIntegrityViolationException("null value in column"))).isFalse();
        assertThat(DatabaseUnavailable.in(new RuntimeException(new SQLException("duplicate key", "23505")))).isFalse();
        assertThat(DatabaseUnavailable.in(new TransientProviderException("Salesforce query failed: 503", 503, null))).isFalse();
        assertThat(DatabaseUnavailable.in(new NullPointerException())).isFalse();
        assertThat(DatabaseUnavailable.in(null)).isFalse();
    }
}
