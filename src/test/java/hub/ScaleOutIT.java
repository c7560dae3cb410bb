package hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The three-instance proof, as an operator runs it: {@code bench/scale-out.py} starts PostgreSQL's schema, a standalone
 * broker, a provider with latency and three hubs, runs the mixed workload while one instance is killed, one paused for
 * 30 s and the broker restarted, and checks that nothing was lost or done twice and that three instances did the
 * I/O-bound work at least twice as fast as one. This test runs the script and asserts each of its checks.
 *
 * <p>Failsafe group {@code scale-out}, in the Maven profile of that name (it takes minutes and four hub processes):
 * {@code mvn -B -Pscale-out verify -Dsurefire.skip=true -Dskip.browser.tests=true -Dit.test=ScaleOutIT}.
 */
@Tag("scale-out")
class ScaleOutIT {

    @Test
    void threeInstancesShareTheWorkThroughKillPauseAndBrokerRestartLosingAndRepeatingNothing() throws Exception {
        Path figures = Files.createTempFile("scale-out", ".json");
        List<String> command = new ArrayList<>(List.of("python3", "bench/scale-out.py", "--json", figures.toString(),
                "--schema", System.getProperty("hub.test.pg-schema", "hub_test") + "_scale_out"));
        Path output = Files.createTempFile("scale-out", ".log");
        Process script = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean ended = script.waitFor(20, TimeUnit.MINUTES);
        if (!ended) {
            script.destroy();
            script.waitFor(60, TimeUnit.SECONDS);
        }
        String printed = Files.readString(output);
        System.out.println(printed);
        assertThat(ended).as("the script ended within 20 minutes:\n" + printed).isTrue();
        assertThat(Files.size(figures)).as("the script got to its checks:\n" + printed).isPositive();
        JsonNode result = HubClient.JSON.readTree(figures.toFile());
        List<String> checks = new ArrayList<>();
        result.get("checks").fieldNames().forEachRemaining(checks::add);
        assertThat(checks).containsExactlyInAnyOrder("one shard per source record", "no trigger fired twice",
                "every acknowledged webhook delivery processed", "every shard change reached the provider exactly once",
                "interrupted runs resumed from their checkpoints", "broker restart: health DOWN, then UP", "three instances >= 2x one");
        for (String check : checks) {
            JsonNode c = result.get("checks").get(check);
            assertThat(c.get("ok").asBoolean()).as(check + ": " + c.get("detail").asText()).isTrue();
        }
        assertThat(result.at("/figures/webhook deliveries lost").asInt()).isZero();
        assertThat(result.at("/figures/writes duplicated").asInt()).isZero();
        assertThat(script.exitValue()).as(printed).isZero();
    }
}
