package hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Runs a contract script of {@code src/test/node/<name>} with Node ({@code node <script> <args>}, extra environment
 * given) and reads the one JSON object it prints; a script that fails or runs past the timeout fails the test, with
 * its stdout and stderr.
 */
public final class NodeScript {

    private NodeScript() {
    }

    public static JsonNode run(Path directory, String script, Map<String, String> environment, long timeoutSeconds, List<String> args)
            throws IOException, InterruptedException {
        Path stderr = Files.createTempFile("node-contract", ".err");
        List<String> command = new java.util.ArrayList<>(List.of("node", script));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectError(stderr.toFile());
        builder.environment().putAll(environment);
        Process node = builder.start();
        byte[] stdout = node.getInputStream().readAllBytes();
        boolean done = node.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        String errors = Files.readString(stderr);
        if (!done) {
            node.destroyForcibly();
        }
        String text = new String(stdout, StandardCharsets.UTF_8).trim();
        assertThat(done).as(script + " finished; stderr: " + errors).isTrue();
        assertThat(node.exitValue()).as(script + " exit; stdout: " + text + "; stderr: " + errors).isZero();
        return HubClient.JSON.readTree(text);
    }
}
