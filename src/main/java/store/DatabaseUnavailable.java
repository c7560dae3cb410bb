package store;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.List;

import org.apache.commons.lang3.exception.ExceptionUtils;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * The failures that say the database did not answer, not that the work was wrong: by Spring's exception translation
 * ({@link DataAccessResourceFailureException}, which includes no pooled connection to be had, {@link TransientDataAccessException},
 * {@link RecoverableDataAccessException}), a transaction that could not begin ({@link CannotCreateTransactionException}) or whose
 * commit or rollback failed ({@link TransactionSystemException}: its outcome may be unknown), and the JDBC classes of the
 * same. A driver's {@link SQLException} that reached the hub untranslated (through a library that calls JDBC itself,
 * as the rate-limit buckets do) is translated by its class and SQL state as Spring does (a connection exception, 08xxx,
 * is a resource failure). So is a call on a pooled connection the pool has already closed: HikariCP closes a connection
 * whose call failed with a broken-connection state and answers every later call on it, a library's rollback among
 * them, with a plain "Connection is closed" that carries no SQL state and hides the first failure. The same work tried
 * again once the database answers can succeed.
 */
public final class DatabaseUnavailable {

    /** The exception classes, for an error policy; {@link #in} looks for them along the causes. */
    public static final List<Class<? extends Throwable>> FAILURES = List.of(DataAccessResourceFailureException.class,
            TransientDataAccessException.class, RecoverableDataAccessException.class, CannotCreateTransactionException.class,
            TransactionSystemException.class, SQLTransientException.class, SQLRecoverableException.class,
            SQLNonTransientConnectionException.class);

    private static final SQLExceptionTranslator TRANSLATOR = new SQLExceptionSubclassTranslator();

    /** HikariCP's answer to any call on a connection it closed (its {@code ProxyConnection.ClosedConnection}). */
    private static final String POOL_CLOSED_CONNECTION = "Connection is closed";

    private DatabaseUnavailable() {
    }

    /** Whether {@code failure}, or one of its causes, says the database did not answer. */
    public static boolean in(Throwable failure) {
        return find(failure) != null;
    }

    /** The first of {@code failure} and its causes that says the database did not answer; null when none does. */
    public static Throwable find(Throwable failure) {
        // the chain of causes, which ends where it loops back
        for (Throwable t : ExceptionUtils.getThrowableList(failure)) {
            if (isFailure(t)) {
                return t;
            }
            if (t instanceof SQLException sql) {
                if (sql.getSQLState() == null && POOL_CLOSED_CONNECTION.equals(sql.getMessage())) {
                    return sql;
                }
                DataAccessException translated = TRANSLATOR.translate("database call", null, sql);
                if (translated != null && isFailure(translated)) {
                    return translated;
                }
            }
        }
        return null;
    }

    private static boolean isFailure(Throwable t) {
        for (Class<? extends Throwable> type : FAILURES) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
