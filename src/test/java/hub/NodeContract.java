package hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A contract script of {@code src/test/node/<name>/} run with Node: {@code node contract.js <args>} in its folder, which
 * must end in time with exit 0 and print one JSON object (what it saw of the sandbox through the provider's own client).
 */
public final class NodeContract {

    private NodeContract() {
    }

    public static JsonNode run(Path dir, Duration timeout, String... args) throws IOException, InterruptedException {
        Path stderr = Files.createTempFile("node-contract", ".err");
        List<String> command = new ArrayList<>(List.of("node", "contract.js"));
        command.addAll(List.of(args));
        Process node = new ProcessBuilder(command).directory(dir.toFile()).redirectError(stderr.toFile()).start();
        byte[] stdout = node.getInputStream().readAllBytes();
        boolean done = node.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        String errors = Files.readString(stderr);
        if (!done) {
            node.destroyForcibly();
        }
        String text = new String(stdout, StandardCharsets.UTF_8).trim();
        assertThat(done).as("contract.js finished; stderr: " + errors).isTrue();
        assertThat(node.exitValue()).as("contract.js exit; stdout: " + text + "; stderr: " + errors).isZero();
        return new ObjectMapper().readTree(text);
    }
}
