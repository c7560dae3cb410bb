package store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.boot.autoconfigure.flyway.FlywayProperties;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Fallback;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.stereotype.Component;

/**
 * The database's Flyway migration, started on a thread of its own as soon as the application context is prepared, so
 * that it runs beside Spring's parsing of the configuration instead of after it (on a fresh H2 database the migration
 * is a sixth of a start; on an existing one its validation and the database's opening still take a few hundred
 * milliseconds).
 *
 * <p>It migrates what Spring Boot's Flyway would: the {@code spring.datasource} URL, user and password (with the
 * pool's driver properties) and the {@code spring.flyway} properties it knows (see {@link #SUPPORTED}); a start that
 * sets any other {@code spring.flyway} property, a Flyway URL of its own or no datasource URL is migrated by Boot
 * alone. Boot's Flyway waits for this run before it is built ({@link #customize}: nothing else touches the schema
 * meanwhile), then its migration step ({@link Strategy}) skips the migration when this run migrated the
 * same database, user and schema from the same locations into the same history table, and migrates as usual
 * otherwise, including when this run failed (Boot then reports the failure). The run's one connection stays open until
 * then, so that an in-memory database outlives it and a file database is not closed and opened again.
 */
public final class BackgroundMigration implements ApplicationListener<SpringApplicationEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundMigration.class);

    /** The {@code spring.flyway} properties this run applies as Boot does; any other one set leaves the migration to Boot. */
    static final Set<String> SUPPORTED = Set.of("enabled", "locations", "schemas", "default-schema", "table",
            "ignore-migration-patterns", "clean-disabled");

    private static final ConfigurationPropertyName FLYWAY = ConfigurationPropertyName.of("spring.flyway");

    private Run run;

    @Override
    public void onApplicationEvent(SpringApplicationEvent event) {
        if (event instanceof ApplicationPreparedEvent prepared) {
            ConfigurableEnvironment environment = prepared.getApplicationContext().getEnvironment();
            if (applies(environment)) {
                run = new Run(environment, prepared.getApplicationContext().getClassLoader());
                prepared.getApplicationContext().getBeanFactory().registerSingleton("backgroundMigration", run);
            }
        } else if ((event instanceof ApplicationReadyEvent || event instanceof ApplicationFailedEvent) && run != null) {
            run.close();
        }
    }

    static boolean applies(ConfigurableEnvironment environment) {
        if (!environment.getProperty("spring.flyway.enabled", Boolean.class, true) || environment.getProperty("spring.datasource.url") == null) {
            return false;
        }
        for (var source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource names) {
                boolean other = names.stream().anyMatch(name -> FLYWAY.isAncestorOf(name)
                        && !SUPPORTED.contains(name.getElement(FLYWAY.getNumberOfElements(), ConfigurationPropertyName.Form.DASHED)));
                if (other) {
                    LOG.debug("spring.flyway sets a property other than {}: Spring Boot migrates the database on its own", SUPPORTED);
                    return false;
                }
            }
        }
        return Binder.get(environment).bind("spring.flyway.locations", Bindable.listOf(String.class)).orElse(List.of())
                .stream().noneMatch(location -> location.contains("{vendor}"));
    }

    /** One start's migration: its thread's outcome, the database it migrated, and its connection until Boot has its own. */
    static final class Run implements FlywayConfigurationCustomizer {

        private final CompletableFuture<Target> migrated = new CompletableFuture<>();
        private SingleConnectionDataSource connection;
        private boolean closed;

        Run(ConfigurableEnvironment environment, ClassLoader classLoader) {
            Binder binder = Binder.get(environment);
            FlywayProperties flyway = binder.bind("spring.flyway", FlywayProperties.class).orElseGet(FlywayProperties::new);
            String url = environment.getProperty("spring.datasource.url");
            Properties driver = new Properties();
            driver.putAll(binder.bind("spring.datasource.hikari.data-source-properties", Bindable.mapOf(String.class, String.class)).orElse(Map.of()));
            putIfSet(driver, "user", environment.getProperty("spring.datasource.username"));
            putIfSet(driver, "password", environment.getProperty("spring.datasource.password"));
            Thread thread = new Thread(() -> migrate(url, driver, flyway, classLoader), "hub-migration");
            thread.setDaemon(true);
            thread.start();
        }

        private static void putIfSet(Properties properties, String key, String value) {
            if (value != null) {
                properties.setProperty(key, value);
            }
        }

        private void migrate(String url, Properties driver, FlywayProperties properties, ClassLoader classLoader) {
            try {
                FluentConfiguration configuration = Flyway.configure(classLoader).dataSource(open(url, driver))
                        .locations(properties.getLocations().toArray(String[]::new))
                        .schemas(properties.getSchemas().toArray(String[]::new))
                        .table(properties.getTable())
                        .ignoreMigrationPatterns(properties.getIgnoreMigrationPatterns().toArray(String[]::new))
                        .cleanDisabled(properties.isCleanDisabled());
                if (properties.getDefaultSchema() != null) {
                    configuration.defaultSchema(properties.getDefaultSchema());
                }
                configuration.load().migrate();
                migrated.complete(Target.of(configuration));
            } catch (Throwable e) {
                migrated.completeExceptionally(e);
            }
        }

        private synchronized DataSource open(String url, Properties driver) throws SQLException {
            Connection opened = DriverManager.getConnection(url, driver);
            if (closed) {
                opened.close();
                throw new SQLException("the start ended before its migration began");
            }
            connection = new SingleConnectionDataSource(opened, true);
            return connection;
        }

        /** Boot's Flyway is being configured: nothing may touch the schema before this run has ended. */
        @Override
        public void customize(FluentConfiguration configuration) {
            migrated.handle((target, failure) -> target).join();
        }

        /**
         * Whether this run migrated what {@code flyway} would; when it did not (it failed, or Boot's Flyway targets
         * another database, schema, location or table), Boot migrates. Either way this run's connection is closed after
         * Boot's Flyway has one of its own.
         */
        boolean migrated(Flyway flyway) {
            try {
                Target ours = migrated.join();
                Target theirs = Target.of(flyway.getConfiguration());
                if (ours.equals(theirs)) {
                    return true;
                }
                LOG.info("The background migration migrated {} and Flyway is configured for {}: Flyway migrates", ours, theirs);
                return false;
            } catch (CompletionException e) {
                LOG.warn("The background migration failed ({}); Flyway migrates in the start's own thread", e.getCause().toString());
                return false;
            } catch (SQLException e) {
                return false; // Boot's Flyway reports that it cannot reach its database
            } finally {
                close();
            }
        }

        synchronized void close() {
            closed = true;
            if (connection != null) {
                connection.destroy();
                connection = null;
            }
        }
    }

    /**
     * Spring Boot's migration step unless a start names its own: skips the migration that a {@link Run} has done
     * already, and migrates otherwise.
     */
    @Component
    @Fallback
    static class Strategy implements FlywayMigrationStrategy {

        private final ObjectProvider<Run> background;

        Strategy(ObjectProvider<Run> background) {
            this.background = background;
        }

        @Override
        public void migrate(Flyway flyway) {
            Run run = background.getIfAvailable();
            if (run == null || !run.migrated(flyway)) {
                flyway.migrate();
            }
        }
    }

    /** What a migration changed: the database (its URL and user), the schema, the migrations' locations and the history table. */
    record Target(String url, String user, String schema, List<String> locations, String table) {

        static Target of(Configuration configuration) throws SQLException {
            DataSource dataSource = configuration.getDataSource();
            if (configuration.getJavaMigrations().length > 0 || configuration.getCallbacks().length > 0 || configuration.getResolvers().length > 0) {
                return new Target(null, null, null, List.of("(Java migrations, callbacks or resolvers)"), configuration.getTable());
            }
            try (Connection connection = dataSource.getConnection()) {
                String schema = configuration.getDefaultSchema() != null ? configuration.getDefaultSchema()
                        : configuration.getSchemas().length > 0 ? configuration.getSchemas()[0] : connection.getSchema();
                return new Target(connection.getMetaData().getURL(), connection.getMetaData().getUserName(), schema,
                        Arrays.stream(configuration.getLocations()).map(Location::getDescriptor).toList(), configuration.getTable());
            }
        }
    }
}
