package messaging;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The broker's part of {@code /actuator/health} ({@code broker}), in place of Spring Boot's JMS indicator: a broker that
 * is gone can keep a connection attempt waiting for many seconds, and a health check that waits with it tells an
 * orchestrator nothing. The check (a connection started, as Spring Boot's does) runs on a thread of its own and is
 * waited for at most {@code hub.broker.health-timeout}; longer is DOWN ("did not answer"). One check runs at a time:
 * while one is still waiting, later calls wait on it instead of starting another.
 */
@Component("brokerHealthIndicator")
public class BrokerHealth implements HealthIndicator, DisposableBean {

    private final ConnectionFactory connections;
    private final Duration timeout;
    private final ExecutorService checker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "broker-health");
        thread.setDaemon(true);
        return thread;
    });
    private Future<String> running;

    public BrokerHealth(ConnectionFactory connections, @Value("${hub.broker.health-timeout:2s}") Duration timeout) {
        this.connections = connections;
        this.timeout = timeout;
    }

    @Override
    public Health health() {
        Future<String> check = check();
        try {
            return Health.up().withDetail("provider", check.get(timeout.toMillis(), TimeUnit.MILLISECONDS)).build();
        } catch (TimeoutException e) {
            return Health.down().withDetail("error", "the broker did not answer within " + timeout.toMillis() + " ms").build();
        } catch (ExecutionException e) {
            return Health.down().withDetail("error", String.valueOf(e.getCause().getMessage())).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down().withDetail("error", "interrupted").build();
        }
    }

    private synchronized Future<String> check() {
        if (running == null || running.isDone()) {
            running = checker.submit(this::connect);
        }
        return running;
    }

    private String connect() throws Exception {
        try (Connection connection = connections.createConnection()) {
            connection.start();
            return connection.getMetaData().getJMSProviderName();
        }
    }

    @Override
    public void destroy() {
        checker.shutdownNow();
    }
}
