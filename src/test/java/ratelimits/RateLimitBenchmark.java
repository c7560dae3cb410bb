package ratelimits;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.postgresql.ds.PGSimpleDataSource;

import providers.ConnectionContext;
import providers.ThrottledException;
import store.RateLimitOverrideStore;

/**
 * Rate-limit checks per second through {@link ProviderGate#acquire} (circuit, tenant bucket,
 * integration bucket), with buckets in this process and in PostgreSQL. Not a test: run it with
 * {@code bash bench/rate-limits.sh} (PostgreSQL at 127.0.0.1:5432, database test, for the second part).
 * Each check is a real decision: limits are high enough that nearly all are let through.
 */
public final class RateLimitBenchmark {

    private static final int KEYS = 64;

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        String pgUrl = args.length > 1 ? args[1] : "jdbc:postgresql://127.0.0.1:5432/test";
        System.out.println("rate-limit checks (tenant + integration bucket + circuit per check), " + seconds + " s per row");
        System.out.printf("%-16s %-28s %8s %14s %12s%n", "store", "integrations", "threads", "checks/s", "us/check");
        for (int threads : new int[] {1, 4}) {
            run("local", new LocalBuckets(), threads, false, seconds);
            run("local", new LocalBuckets(), threads, true, seconds);
        }
        try (HikariDataSource pg = pool(pgUrl)) {
            prepare(pg);
            for (int threads : new int[] {1, 4, 8}) {
                run("postgres", new PostgresBuckets(pg), threads, false, seconds);
                run("postgres", new PostgresBuckets(pg), threads, true, seconds);
                run("postgres+blocks", new ReservedBuckets(new PostgresBuckets(pg)), threads, false, seconds);
                run("postgres+blocks", new ReservedBuckets(new PostgresBuckets(pg)), threads, true, seconds);
            }
        }
    }

    private static void run(String store, Buckets buckets, int threads, boolean sharedKeys, double seconds) throws Exception {
        RateLimitSettings settings = new RateLimitSettings(store, Map.of(), Limit.MAX_REQUESTS, Map.of(), 3, 10, Duration.ofHours(1), 0.5, 0.5,
                Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(5), new RateLimitSettings.Circuit(50, 10, 20, Duration.ofSeconds(30), 3));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RateLimitOverrideStore none = new RateLimitOverrideStore(null) {
            @Override
            public java.util.Optional<String> integration(String integrationId) {
                return java.util.Optional.empty();
            }

            @Override
            public java.util.Optional<String> tenant(String tenantId) {
                return java.util.Optional.empty();
            }
        };
        ProviderGate gate = new ProviderGate(settings, buckets, new CircuitBreakers(settings.circuit(), Clock.systemUTC(), meters), none,
                new ObjectMapper(), Clock.systemUTC(), meters, new ProviderRateHeaders(List.of()));
        String run = Long.toString(System.nanoTime());
        AtomicLong checks = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        long durationNanos = (long) (seconds * 1e9);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int worker = t;
            Thread thread = new Thread(() -> {
                // 64 integrations (each of its own tenant) per thread, or 64 shared by all threads: each key's limit
                // (1,000,000 a minute, the most a limit may be) is then far above what one key gets
                ConnectionContext[] connections = new ConnectionContext[KEYS];
                for (int k = 0; k < KEYS; k++) {
                    String id = run + "-" + (sharedKeys ? "" : worker + "-") + k;
                    connections[k] = new ConnectionContext("bench-tenant-" + id, "bench-" + id, "bench", Map.of());
                }
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                long end = System.nanoTime() + durationNanos;
                long n = 0;
                while (System.nanoTime() < end) {
                    ConnectionContext connection = connections[(int) (n % KEYS)];
                    try {
                        gate.acquire(connection, Operation.FETCH, Limit.perMinute(Limit.MAX_REQUESTS));
                        gate.completed(connection, 1, null);
                    } catch (ThrottledException e) {
                        refused.incrementAndGet();
                    }
                    n++;
                }
                checks.addAndGet(n);
            });
            thread.start();
            workers.add(thread);
        }
        long start = System.nanoTime();
        go.countDown();
        for (Thread w : workers) {
            w.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double perSecond = checks.get() / elapsed;
        System.out.printf("%-16s %-28s %8d %,14.0f %12.1f%s%n", store, sharedKeys ? "64 keys shared by threads" : "64 keys per thread",
                threads, perSecond, threads * 1e6 / perSecond, refused.get() > 0 ? "  (" + refused.get() + " refused)" : "");
    }

    private static HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setUrl(url + (url.contains("?") ? "&" : "?") + "currentSchema=rate_limit_bench");
        pg.setUser("postgres");
        config.setDataSource(pg);
        config.setMaximumPoolSize(16);
        return new HikariDataSource(config);
    }

    private static void prepare(DataSource pg) throws Exception {
        try (Connection c = pg.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS rate_limit_bench");
            s.execute("CREATE TABLE IF NOT EXISTS rate_limit_bench.rate_limit_buckets (id VARCHAR(300) PRIMARY KEY, state BYTEA)");
            s.execute("TRUNCATE rate_limit_bench.rate_limit_buckets");
        }
    }
}
