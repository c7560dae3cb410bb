package store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.boot.autoconfigure.flyway.FlywayProperties;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.env.RandomValuePropertySource;
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
 * <p>It migrates what Spring Boot's Flyway would: the {@code spring.datasource} URL, user and password as Boot
 * determines them (with the pool's driver properties) and the {@code spring.flyway} properties it knows ({@link
 * #FLYWAY_PROPERTIES}); a start that sets any other {@code spring.flyway} property, a {@code spring.datasource} property
 * that changes the connection ({@link #DATASOURCE_PROPERTIES} are the ones it applies), no datasource URL, or excludes
 * Flyway's or the datasource's auto-configuration is migrated by Boot alone. Every {@code DataSource} bean waits for
 * this run before anything can use it, so nothing touches the schema meanwhile; then Boot's migration step ({@link
 * Strategy}) skips the migration when this run migrated the same database, user and schema from the same locations
 * into the same history table with the same settings, and migrates as usual otherwise, including when this run failed
 * (Boot then reports the failure). The run's one connection stays open until then, so that an in-memory database
 * outlives it and a file database is not closed and opened again. A start that fails meanwhile lets the run finish
 * before it closes: H2 cannot roll back a migration's DDL, so a migration cut short would leave its tables without
 * their history row.
 */
public final class BackgroundMigration implements ApplicationListener<SpringApplicationEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundMigration.class);

    /** The {@code spring.flyway} properties this run applies as Boot does; any other one set leaves the migration to Boot. */
    static final Set<String> FLYWAY_PROPERTIES = Set.of("enabled", "locations", "schemas", "default-schema", "table",
            "ignore-migration-patterns", "clean-disabled");

    /**
     * The {@code spring.datasource} properties this run applies (the connection's URL, user, password and driver
     * properties) or that do not change what a connection sees (the pool's size and timeouts); any other one set
     * (a schema or catalog of the pool's, its own init SQL, a driver class, a JNDI name ...) leaves the migration to Boot.
     */
    static final Set<String> DATASOURCE_PROPERTIES = Set.of("url", "username", "password", "hikari.data-source-properties",
            "hikari.maximum-pool-size", "hikari.minimum-idle", "hikari.connection-timeout", "hikari.idle-timeout",
            "hikari.max-lifetime", "hikari.validation-timeout", "hikari.keepalive-time", "hikari.pool-name");

    private static final ConfigurationPropertyName FLYWAY = ConfigurationPropertyName.of("spring.flyway");
    private static final ConfigurationPropertyName DATASOURCE = ConfigurationPropertyName.of("spring.datasource");

    private Run run;

    @Override
    public void onApplicationEvent(SpringApplicationEvent event) {
        if (event instanceof ApplicationPreparedEvent prepared) {
            ConfigurableEnvironment environment = prepared.getApplicationContext().getEnvironment();
            if (applies(environment)) {
                Run started = new Run(environment, prepared.getApplicationContext().getClassLoader());
                ConfigurableListableBeanFactory beans = prepared.getApplicationContext().getBeanFactory();
                beans.registerSingleton("backgroundMigration", started);
                beans.addBeanPostProcessor(new BeanPostProcessor() {
                    @Override
                    public Object postProcessAfterInitialization(Object bean, String name) {
                        if (bean instanceof DataSource) {
                            started.await();
                        }
                        return bean;
                    }
                });
                run = started;
            }
        } else if ((event instanceof ApplicationReadyEvent || event instanceof ApplicationFailedEvent) && run != null) {
            run.close();
        }
    }

    static boolean applies(ConfigurableEnvironment environment) {
        Binder binder = Binder.get(environment);
        List<String> excluded = binder.bind("spring.autoconfigure.exclude", Bindable.listOf(String.class)).orElse(List.of());
        if (!environment.getProperty("spring.flyway.enabled", Boolean.class, true) || environment.getProperty("spring.datasource.url") == null
                || excluded.contains(FlywayAutoConfiguration.class.getName()) || excluded.contains(DataSourceAutoConfiguration.class.getName())) {
            return false;
        }
        for (var source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource names) {
                if (names.stream().anyMatch(name -> !applied(name))) {
                    LOG.debug("A spring.flyway or spring.datasource property the background migration does not apply is set: Spring Boot migrates on its own");
                    return false;
                }
            } else if (!(source.getUnderlyingSource() instanceof RandomValuePropertySource)) {
                return false; // properties it cannot list might set anything
            }
        }
        return binder.bind("spring.flyway.locations", Bindable.listOf(String.class)).orElse(List.of())
                .stream().noneMatch(location -> location.contains("{vendor}"));
    }

    private static boolean applied(ConfigurationPropertyName name) {
        if (FLYWAY.isAncestorOf(name)) {
            return FLYWAY_PROPERTIES.contains(name.getElement(FLYWAY.getNumberOfElements(), ConfigurationPropertyName.Form.DASHED));
        }
        if (DATASOURCE.isAncestorOf(name)) {
            int at = DATASOURCE.getNumberOfElements();
            String first = name.getElement(at, ConfigurationPropertyName.Form.DASHED);
            return DATASOURCE_PROPERTIES.contains(first) || name.getNumberOfElements() > at + 1
                    && DATASOURCE_PROPERTIES.contains(first + "." + name.getElement(at + 1, ConfigurationPropertyName.Form.DASHED));
        }
        return true;
    }

    /** One start's migration: its thread's outcome, the database it migrated, and its connection until Boot has its own. */
    static final class Run {

        private final CompletableFuture<Target> migrated = new CompletableFuture<>();
        private SingleConnectionDataSource connection;
        private boolean closed;

        Run(ConfigurableEnvironment environment, ClassLoader classLoader) {
            Binder binder = Binder.get(environment);
            FlywayProperties flyway = binder.bind("spring.flyway", FlywayProperties.class).orElseGet(FlywayProperties::new);
            DataSourceProperties dataSource = binder.bind("spring.datasource", DataSourceProperties.class).orElseGet(DataSourceProperties::new);
            dataSource.setBeanClassLoader(classLoader);
            Properties driver = new Properties();
            driver.putAll(binder.bind("spring.datasource.hikari.data-source-properties", Bindable.mapOf(String.class, String.class)).orElse(Map.of()));
            try {
                dataSource.afterPropertiesSet();
                if (dataSource.determineUsername() != null) {
                    driver.setProperty("user", dataSource.determineUsername());
                }
                if (dataSource.determinePassword() != null) {
                    driver.setProperty("password", dataSource.determinePassword());
                }
            } catch (Exception e) {
                migrated.completeExceptionally(e);
                return;
            }
            // not a daemon: a start that fails meanwhile waits for it (close), and so does the JVM
            new Thread(() -> migrate(dataSource.determineUrl(), driver, flyway, classLoader), "hub-migration").start();
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

        /** Returns once this run has ended, migrated or failed: nothing may touch the schema before. */
        void await() {
            migrated.handle((target, failure) -> target).join();
        }

        /**
         * Whether this run migrated what {@code flyway} would; when it did not (it failed, or Boot's Flyway targets
         * another database, user, schema, location, history table or setting), Boot migrates. Either way this run's connection is closed after
         * Boot's Flyway has one of its own.
         */
        boolean migrated(Flyway flyway) {
            try {
                Target ours = migrated.join();
                Target theirs = Target.of(flyway.getConfiguration());
                if (ours.equals(theirs)) {
                    return true;
                }
                LOG.info("Flyway is configured otherwise than the background migration ({}): Flyway migrates", ours.differences(theirs));
                return false;
            } catch (CompletionException e) {
                // the class only: a driver's message may quote the URL; Flyway reports the failure itself if it recurs
                LOG.warn("The background migration failed ({}); Flyway migrates in the start's own thread", e.getCause().getClass().getName());
                return false;
            } catch (SQLException e) {
                return false; // Boot's Flyway reports that it cannot reach its database
            } finally {
                close();
            }
        }

        /** Waits for the run to end (a migration cut short leaves H2's tables without their history), then closes its connection. */
        void close() {
            synchronized (this) {
                closed = true; // a run that has not connected yet will not
            }
            await();
            synchronized (this) {
                if (connection != null) {
                    connection.destroy();
                    connection = null;
                }
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
        private volatile boolean skipped;

        Strategy(ObjectProvider<Run> background) {
            this.background = background;
        }

        @Override
        public void migrate(Flyway flyway) {
            Run run = background.getIfAvailable();
            skipped = run != null && run.migrated(flyway);
            if (!skipped) {
                flyway.migrate();
            }
        }

        /** Whether this start's migration was the background run's alone. */
        boolean skipped() {
            return skipped;
        }
    }

    /**
     * What a migration changed and how: the database (its URL and user), the schema, the migrations' locations, the
     * history table, and the settings that decide which migrations run and how they are checked.
     */
    record Target(String url, String user, String schema, List<String> locations, String table, List<Object> settings) {

        static Target of(Configuration configuration) throws SQLException {
            List<Object> settings = Arrays.asList(String.valueOf(configuration.getTarget()), configuration.getPlaceholders(),
                    List.of(configuration.getIgnoreMigrationPatterns()), configuration.isBaselineOnMigrate(),
                    String.valueOf(configuration.getBaselineVersion()), configuration.isOutOfOrder(), configuration.isValidateOnMigrate(),
                    configuration.getEncoding(), configuration.getSqlMigrationPrefix(), configuration.getRepeatableSqlMigrationPrefix(),
                    List.of(configuration.getSqlMigrationSuffixes()), configuration.isMixed(), configuration.isGroup(),
                    configuration.isCreateSchemas(), configuration.getInstalledBy(), configuration.getJavaMigrations().length,
                    configuration.getCallbacks().length, configuration.getResolvers().length);
            try (Connection connection = configuration.getDataSource().getConnection()) {
                String schema = configuration.getDefaultSchema() != null ? configuration.getDefaultSchema()
                        : configuration.getSchemas().length > 0 ? configuration.getSchemas()[0] : connection.getSchema();
                return new Target(connection.getMetaData().getURL(), connection.getMetaData().getUserName(), schema,
                        Arrays.stream(configuration.getLocations()).map(Location::getDescriptor).toList(), configuration.getTable(), settings);
            }
        }

        /** The parts in which {@code other} differs, named without their values (a URL may hold a password). */
        String differences(Target other) {
            List<String> parts = new ArrayList<>();
            addIfDifferent(parts, "database URL", url, other.url);
            addIfDifferent(parts, "user", user, other.user);
            addIfDifferent(parts, "schema", schema, other.schema);
            addIfDifferent(parts, "locations", locations, other.locations);
            addIfDifferent(parts, "history table", table, other.table);
            addIfDifferent(parts, "settings", settings, other.settings);
            return String.join(", ", parts);
        }

        private static void addIfDifferent(List<String> parts, String part, Object ours, Object theirs) {
            if (!Objects.equals(ours, theirs)) {
                parts.add(part);
            }
        }
    }
}
