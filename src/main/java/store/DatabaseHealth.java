package store;

import java.sql.Connection;
import java.time.Duration;

import javax.sql.DataSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import hub.TimeBoxedHealth;

/**
 * The database's part of {@code /actuator/health} ({@code db}, in place of Spring Boot's, which waits for a pooled
 * connection as long as the pool does, 30 s, when the database is gone): a connection from the pool, valid, waited for
 * at most {@code hub.health.timeout}.
 */
@Component("dbHealthIndicator")
public class DatabaseHealth extends TimeBoxedHealth {

    private final DataSource dataSource;

    public DatabaseHealth(DataSource dataSource, @Value("${hub.health.timeout:2s}") Duration timeout) {
        super("the database", timeout);
        this.dataSource = dataSource;
    }

    @Override
    protected String check() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isValid(1)) {
                throw new IllegalStateException("the database's connection is not valid");
            }
            return connection.getMetaData().getDatabaseProductName();
        }
    }

    @Override
    protected String detail() {
        return "database";
    }
}
