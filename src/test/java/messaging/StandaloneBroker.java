package messaging;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;

/**
 * A standalone ActiveMQ Artemis broker in its own process, made and run by {@code broker/artemis.sh} (Artemis's own
 * distribution, as an operator runs it): tests stop it hard and start it again on the same journal.
 */
final class StandaloneBroker implements AutoCloseable {

    static final String USER = "hub";
    static final String PASSWORD = "broker-it-secret";

    private final Path instance;
    private final int port;
    private final Path log;
    private Process process;

    private StandaloneBroker(Path instance, int port) {
        this.instance = instance;
        this.port = port;
        this.log = instance.resolveSibling(instance.getFileName() + ".log");
    }

    /** A new broker instance in the directory, listening on 127.0.0.1 at the port. */
    static StandaloneBroker create(Path instance, int port) throws IOException, InterruptedException {
        Process create = script("create", instance.toString(), String.valueOf(port)).redirectErrorStream(true).start();
        String output = new String(create.getInputStream().readAllBytes());
        if (create.waitFor() != 0) {
            throw new IllegalStateException("broker/artemis.sh create failed:\n" + output);
        }
        return new StandaloneBroker(instance, port);
    }

    StandaloneBroker start() throws IOException {
        process = script("run", instance.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the broker exited:\n" + output());
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
        return this;
    }

    /** kill -9: the broker's clients lose it mid-conversation; what it acknowledged is in its journal. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    private static ProcessBuilder script(String... args) {
        ProcessBuilder builder = new ProcessBuilder(new java.util.ArrayList<>(List.of("bash", "broker/artemis.sh")));
        builder.command().addAll(List.of(args));
        builder.environment().put("HUB_ARTEMIS_USER", USER);
        builder.environment().put("HUB_ARTEMIS_PASSWORD", PASSWORD);
        return builder;
    }
}
