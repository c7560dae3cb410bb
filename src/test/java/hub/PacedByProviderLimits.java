package hub;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A test class of the shared hub ({@link EmbeddedHubTest}, {@link PostgresHubTest}) whose time goes mostly to waiting on
 * a provider's real rate limit (Notion's 180 calls a minute, Slack's tiers ...): it runs beside the other classes marked
 * so, and never beside any other class of the shared hub ({@link SharedHubLock}). Each works in its own tenants and
 * provider sandboxes; one that stops routes, the broker or the database, or looks at what all tenants do, is not marked.
 * Surefire turns JUnit's parallel execution on (the pom); every other class runs one after another, as before.
 */
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Execution(ExecutionMode.CONCURRENT)
public @interface PacedByProviderLimits {
}
