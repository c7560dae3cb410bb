package hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Two hubs on one PostgreSQL schema and keyset whose clocks disagree by 5 s: one runs 5 s ahead (Debian's libfaketime,
 * preloaded into its JVM), the other on time (the same library, no offset). Quartz's clustered job store takes each
 * fire under a database row lock, so every scheduled fire time of every trigger fires on exactly one of them, none is
 * skipped, and neither takes the other for dead. The maintenance crons are set to every 2 s, so seven triggers fire dozens of times; Quartz's
 * trigger-history plugin logs each fire (trigger and scheduled time) in the instance that ran it, as in
 * {@code bench/scale-out.py}.
 *
 * <p>The bound: an instance takes another for dead when that one's last check-in, read on its own clock, is more than
 * the check-in interval plus 7.5 s old (Quartz's fixed margin). Clocks 9 s apart (+5 s and -4 s) cross it: the
 * instance ahead "recovers" the other every few check-ins, releases the triggers it holds and fires them too, and
 * scheduled fires ran twice. 5 s apart leave 2.5 s for a late check-in.
 *
 * <p>Needs {@value #LIBFAKETIME} (Debian's {@code faketime} package; {@code .ci/run} installs it): without it the test
 * fails rather than skip, since a skipped skew test proves nothing.
 */
class ClockSkewIT {

    static final String LIBFAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";
    private static final String SCHEMA = System.getProperty("hub.test.pg-schema", "hub_test") + "_clock_skew";
    private static final Duration UP = Duration.ofSeconds(240);
    private static final String EVERY_2_S = "0/2 * * * * ?";
    private static final List<String> CRONS = List.of("hub.scheduler.cron", "hub.tokens.refresh-cron", "hub.webhooks.retention-cron",
            "hub.webhooks.renewal-cron", "hub.webhooks.recovery-cron", "hub.events.retention-cron",
            "hub.notifications.intake-retention-cron");
    private static final Pattern FIRED = Pattern.compile("QUARTZ-FIRED (\\S+) scheduled (\\S+) job (\\S+)");
    private static final DateTimeFormatter SCHEDULED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    /** One fire, from an instance's log: the trigger and the time it was scheduled for. */
    record Fire(String instance, String trigger, long scheduledFor) {
    }

    @Test
    void instancesWhoseClocksAreFiveSecondsApartFireEachScheduledTimeOnceAndSkipNone() throws Exception {
        assertThat(Files.isReadable(Path.of(LIBFAKETIME)))
                .as(LIBFAKETIME + " is missing: install Debian's faketime package (apt-get install faketime; .ci/run does) "
                        + "to run this test, which shifts the hubs' clocks with it").isTrue();
        recreateSchema();
        Path work = Files.createTempDirectory("hub-clock-skew-it");
        List<String> args = hubArgs(work.resolve("keyset.json"));
        try (HubProcess ahead = new HubProcess(work.resolve("ahead"), HubProcess.freePort(), args).withEnvironment(skewed("+5s"));
             HubProcess exact = new HubProcess(work.resolve("exact"), HubProcess.freePort(), args).withEnvironment(skewed("+0s"))) {
            // the first migrates the fresh schema and writes the keyset file; the second starts once it is there
            ahead.start();
            Awaitility.await().atMost(UP).pollInterval(Duration.ofMillis(500))
                    .until(() -> ahead.output().contains("Generated a new credential keyset"));
            exact.start();
            ahead.awaitUp(UP);
            exact.awaitUp(UP);

            assertThat(clockOffset(ahead).toMillis()).as("the ahead instance's clock (its HTTP Date header) runs 5 s ahead")
                    .isBetween(3_500L, 6_500L);
            assertThat(clockOffset(exact).toMillis()).as("the other instance's clock (its HTTP Date header) is the test's")
                    .isBetween(-1_500L, 1_500L);

            // 25 s of both at work: seven triggers every 2 s, about 90 fires
            long bothUp = System.currentTimeMillis();
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> fires(Map.of("ahead", ahead, "exact", exact)).stream().filter(f -> f.scheduledFor() > bothUp).count() >= 84);
            // both in the cluster all along: the instance ahead sees each fire time come due first, so it takes most
            // fires and at times all of them; the other competes for every one
            assertThat(clusterMembers()).as("instances checked in to the clustered job store").isEqualTo(2);
            ahead.terminate();
            exact.terminate();
            ahead.awaitExit(Duration.ofSeconds(60));
            exact.awaitExit(Duration.ofSeconds(60));

            List<Fire> fires = fires(Map.of("ahead", ahead, "exact", exact));
            Map<String, Long> perInstance = fires.stream().collect(Collectors.groupingBy(Fire::instance, TreeMap::new, Collectors.counting()));
            System.out.println("Quartz fires: " + fires.size() + " " + perInstance);
            Map<String, List<String>> byFireTime = new TreeMap<>();
            for (Fire f : fires) {
                byFireTime.computeIfAbsent(f.trigger() + " at " + f.scheduledFor(), k -> new ArrayList<>()).add(f.instance());
            }
            assertThat(byFireTime).as("instances that ran each (trigger, scheduled fire time)")
                    .allSatisfy((fire, instances) -> assertThat(instances).as(fire).hasSize(1));
            for (HubProcess hub : List.of(ahead, exact)) {
                assertThat(hub.output().lines().filter(l -> l.contains("is still active but was recovered by another instance")))
                        .as("no instance took the other for dead (Quartz's cluster recovery of a live instance)").isEmpty();
            }
            assertThat(fires.stream().filter(f -> f.trigger().startsWith("RECOVERING_JOBS")).toList())
                    .as("no job was run again by a recovery").isEmpty();
            assertThat(perInstance.keySet()).as("instances that fired triggers").isNotEmpty().isSubsetOf("ahead", "exact");
            Map<String, TreeSet<Long>> timesByTrigger = new TreeMap<>();
            fires.forEach(f -> timesByTrigger.computeIfAbsent(f.trigger(), t -> new TreeSet<>()).add(f.scheduledFor()));
            assertThat(timesByTrigger).as("the maintenance triggers, each set to every 2 s").hasSize(CRONS.size());
            timesByTrigger.forEach((trigger, times) -> {
                long expected = (times.last() - times.first()) / 2_000 + 1;
                assertThat(times).as(trigger + ": every 2 s from its first fire to its last, none skipped").hasSize((int) expected);
            });
        }
    }

    private static Map<String, String> skewed(String offset) {
        // The monotonic clock moves by the same offset: the JVM reads it only for intervals (System.nanoTime, timed
        // waits). Left real (FAKETIME_DONT_FAKE_MONOTONIC=1), libfaketime 0.9.10 makes the JVM's timed waits return at
        // once, and a hub spins on them and takes minutes to start.
        return Map.of("LD_PRELOAD", LIBFAKETIME, "FAKETIME", offset, "FAKETIME_DONT_FAKE_MONOTONIC", "0");
    }

    private static List<String> hubArgs(Path keyset) {
        List<String> args = new ArrayList<>(List.of("--spring.profiles.active=postgres",
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + SCHEMA,
                "--spring.flyway.schemas=" + SCHEMA, "--spring.flyway.default-schema=" + SCHEMA,
                "--hub.crypto.keyset-file=" + keyset,
                // Quartz's own record of each fire, in the log of the instance that ran it
                "--spring.quartz.properties.org.quartz.plugin.triggerHistory.class=org.quartz.plugins.history.LoggingTriggerHistoryPlugin",
                "--spring.quartz.properties.org.quartz.plugin.triggerHistory.triggerFiredMessage="
                        + "QUARTZ-FIRED {1}.{0} scheduled {2,date,yyyy-MM-dd'T'HH:mm:ss.SSSZ} job {6}.{5}",
                "--logging.level.org.quartz.plugins.history=INFO"));
        CRONS.forEach(cron -> args.add("--" + cron + "=" + EVERY_2_S));
        return args;
    }

    /** The instance's wall clock minus the test's, from the Date header of an answer (whole seconds, hence the margins). */
    private static Duration clockOffset(HubProcess hub) throws Exception {
        long before = System.currentTimeMillis();
        HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(hub.url() + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.discarding());
        long after = System.currentTimeMillis();
        long stated = ZonedDateTime.parse(r.headers().firstValue("Date").orElseThrow(), DateTimeFormatter.RFC_1123_DATE_TIME)
                .toInstant().toEpochMilli();
        // the header is truncated to the second: the instance's clock read stated + [0, 1000) while the test's read [before, after]
        return Duration.ofMillis(stated + 500 - (before + after) / 2);
    }

    private static List<Fire> fires(Map<String, HubProcess> hubs) {
        List<Fire> fires = new ArrayList<>();
        hubs.forEach((name, hub) -> {
            Matcher m = FIRED.matcher(hub.output());
            while (m.find()) {
                fires.add(new Fire(name, m.group(1), ZonedDateTime.parse(m.group(2), SCHEDULED).toInstant().toEpochMilli()));
            }
        });
        return fires;
    }

    private static long clusterMembers() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
             var rows = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + SCHEMA + ".qrtz_scheduler_state")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void recreateSchema() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "")) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            c.createStatement().execute("CREATE SCHEMA " + SCHEMA);
        }
    }
}
