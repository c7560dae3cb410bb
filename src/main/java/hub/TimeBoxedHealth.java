package hub;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * A part of {@code /actuator/health} whose check may hang when what it checks is gone (a connection attempt to a broker
 * or database that does not answer waits for many seconds): the check runs on a thread of its own and is waited for at
 * most the timeout; longer is DOWN ("did not answer within ..."), so the health endpoint answers at once and an
 * orchestrator sees DOWN. One check runs at a time: while one still waits, later calls wait on it instead of piling up.
 */
public abstract class TimeBoxedHealth implements HealthIndicator, DisposableBean {

    private final String what;
    private final Duration timeout;
    private final ExecutorService checker;
    private Future<String> running;

    /**
     * @param what    what is checked, as the DOWN detail names it ("the broker")
     * @param timeout how long a check is waited for
     */
    protected TimeBoxedHealth(String what, Duration timeout) {
        this.what = what;
        this.timeout = timeout;
        this.checker = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "health-" + what.replace(' ', '-'));
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The check: returns a detail for UP (what answered), throws when it fails. */
    protected abstract String check() throws Exception;

    /** The name of the UP detail. */
    protected abstract String detail();

    @Override
    public Health health() {
        Future<String> check = start();
        try {
            return Health.up().withDetail(detail(), check.get(timeout.toMillis(), TimeUnit.MILLISECONDS)).build();
        } catch (TimeoutException e) {
            return Health.down().withDetail("error", what + " did not answer within " + timeout.toMillis() + " ms").build();
        } catch (ExecutionException e) {
            return Health.down().withDetail("error", String.valueOf(e.getCause().getMessage())).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down().withDetail("error", "interrupted").build();
        }
    }

    private synchronized Future<String> start() {
        if (running == null || running.isDone()) {
            Callable<String> task = this::check;
            running = checker.submit(task);
        }
        return running;
    }

    @Override
    public void destroy() {
        checker.shutdownNow();
    }
}
