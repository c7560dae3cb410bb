package hub;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;

/**
 * The packaged hub run as a separate process, so tests can kill it the hard way and start it again. It is launched as the
 * README's quick start runs it (the extracted jar, its class data sharing archive and the JVM options for a fast start),
 * with at most 512 MB of heap; where the package phase left the extraction out ({@code -Dhub.cds.skip=true}) or the
 * extraction is older than the jar, from the jar itself.
 */
public final class HubProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target", "castiel-integration-hub.jar");
    /** The jar the package phase extracts (with lib/ beside it), and its class data sharing archive: the README's run command. */
    public static final Path EXTRACTED_JAR = Path.of("target", "hub", "castiel-integration-hub.jar");
    public static final Path CDS_ARCHIVE = Path.of("target", "hub", "castiel-integration-hub.jsa");
    private static final String README_RUN = "mvn -B -DskipTests package && java ";

    private final Path dataDir;
    private final int port;
    private final List<String> args;
    private final Path log;
    /** JVM options and jar: null for the default launch. */
    private List<String> launch;
    private Map<String, String> environment = Map.of();
    private Process process;

    /** A hub on this data directory and port; a restart uses the same port, as a real deployment would. */
    public HubProcess(Path dataDir, int port, List<String> args) {
        this.dataDir = dataDir;
        this.port = port;
        this.args = args;
        this.log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
    }

    /** Starts it with these JVM options and jar instead of {@code -Xmx512m -jar target/castiel-integration-hub.jar}. */
    public HubProcess launchedWith(List<String> jvmOptionsAndJar) {
        this.launch = List.copyOf(jvmOptionsAndJar);
        return this;
    }

    /** Starts it with these variables added to the test's environment (e.g. an LD_PRELOAD library). */
    public HubProcess withEnvironment(Map<String, String> variables) {
        this.environment = Map.copyOf(variables);
        return this;
    }

    public HubProcess start() {
        List<String> command = new ArrayList<>(List.of(javaBin()));
        command.addAll(launch != null ? launch : defaultLaunch());
        command.addAll(List.of("--hub.data-dir=" + dataDir, "--server.port=" + port, "--hub.admin-api-key=" + EmbeddedHubTest.ADMIN_KEY));
        command.addAll(args);
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the hub jar (run 'mvn package' first)", e);
        }
        return this;
    }

    /**
     * Waits until the hub answers its health endpoint with UP. A hub that does not come up in time is killed: the
     * caller's try-with-resources never got it to close.
     */
    public HubProcess awaitUp(Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        try {
            Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("hub exited with " + process.exitValue() + ":\n" + output());
                }
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/actuator/health/readiness")).build(),
                        HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 && r.body().contains("UP");
            });
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
        return this;
    }

    /** kill -9: no shutdown hooks, no graceful stop, nothing flushed that was not already durable. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM: a graceful stop, as an orchestrator stops a container. */
    public void terminate() {
        process.destroy();
    }

    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("hub did not exit within " + timeout);
        }
        return process.exitValue();
    }

    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * The log's entries at WARN or ERROR whose line names {@code text} (a logger, an id), each with the stack trace that
     * follows it: what a failed assertion shows of a hub whose log is gone with the test's temporary directory.
     */
    public String logEntries(String text) {
        StringBuilder entries = new StringBuilder();
        boolean inEntry = false;
        for (String line : output().split("\n")) {
            boolean entryStart = line.matches("^\\d{4}-\\d{2}-\\d{2}T.*");
            if (entryStart) {
                inEntry = (line.contains(" WARN ") || line.contains(" ERROR ")) && line.contains(text);
            }
            if (inEntry) {
                entries.append(line).append('\n');
            }
        }
        return entries.toString();
    }

    public String url() {
        return "http://localhost:" + port;
    }

    public HubClient client() {
        return new HubClient(url());
    }

    /**
     * The overall health as anyone may read it (UP or DOWN); it must answer within 10 s, whatever is gone (the database's
     * and the broker's checks wait 2 s), or this throws.
     */
    public String health() throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url() + "/actuator/health"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return HubClient.JSON.readTree(r.body()).path("status").asText();
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

    /** The JVM options and jar of the README's quick start, its paths made absolute. */
    public static List<String> readmeLaunch() {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("README.md"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read README.md", e);
        }
        String line = lines.stream().filter(l -> l.startsWith(README_RUN)).findFirst()
                .orElseThrow(() -> new AssertionError("README.md has no line starting with " + README_RUN));
        String command = line.substring(README_RUN.length());
        command = command.contains("#") ? command.substring(0, command.indexOf('#')) : command;
        List<String> launch = new ArrayList<>();
        for (String argument : command.trim().split("\\s+")) {
            launch.add(argument.replace("target/", Path.of("target").toAbsolutePath() + "/"));
        }
        return launch;
    }

    private static List<String> defaultLaunch() {
        List<String> launch = new ArrayList<>(List.of("-Xmx512m"));
        if (extractedIsCurrent()) {
            launch.addAll(readmeLaunch());
        } else {
            launch.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
        }
        return List.copyOf(launch);
    }

    /**
     * Whether the extraction and its archive were made from the jar as it is now: a package with
     * {@code -Dhub.cds.skip=true} after an earlier one rebuilds the jar and leaves an older extraction behind, which
     * would run the earlier build's code.
     */
    private static boolean extractedIsCurrent() {
        try {
            return Files.exists(JAR) && Files.exists(EXTRACTED_JAR) && Files.exists(CDS_ARCHIVE)
                    && Files.getLastModifiedTime(EXTRACTED_JAR).compareTo(Files.getLastModifiedTime(JAR)) >= 0
                    && Files.getLastModifiedTime(CDS_ARCHIVE).compareTo(Files.getLastModifiedTime(EXTRACTED_JAR)) >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
