package store;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import hub.Ids;

/**
 * A fresh database for an upgrade test, migrated step by step: an H2 database in memory, or a PostgreSQL schema of its
 * own that is dropped on close.
 */
final class UpgradeDatabase implements AutoCloseable {

    final DataSource data;
    private final String schema;

    private UpgradeDatabase(DataSource data, String schema) {
        this.data = data;
        this.schema = schema;
    }

    static UpgradeDatabase h2(String name) {
        return new UpgradeDatabase(new DriverManagerDataSource("jdbc:h2:mem:" + name + "-" + Ids.newId() + ";DB_CLOSE_DELAY=-1", "sa", ""), null);
    }

    static UpgradeDatabase postgres(String name) {
        String schema = name + "_" + Ids.newId().substring(0, 8);
        return new UpgradeDatabase(new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + schema, "postgres", ""),
                schema);
    }

    /** Applies the hub's migrations up to {@code target} ("latest" for all). */
    void migrate(String target) {
        var flyway = Flyway.configure().dataSource(data).locations("classpath:db/migration").target(target);
        if (schema != null) {
            flyway.schemas(schema).defaultSchema(schema);
        }
        flyway.load().migrate();
    }

    @Override
    public void close() {
        if (schema != null) {
            new JdbcTemplate(data).execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
