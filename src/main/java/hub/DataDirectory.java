package hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns {@code hub.data-dir} into an absolute, existing directory before anything reads it:
 * H2 refuses implicitly relative file URLs, and the broker journal must not land elsewhere.
 */
public class DataDirectory implements EnvironmentPostProcessor, Ordered {

    public static final String PROPERTY = "hub.data-dir";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String configured = environment.getProperty(PROPERTY, "./data");
        Path dir = Path.of(configured).toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dir, e);
        }
        environment.getPropertySources().addFirst(new MapPropertySource("hubDataDirectory", Map.of(PROPERTY, dir.toString())));
    }

    @Override
    public int getOrder() {
        // after application.properties and the command line are loaded
        return Ordered.LOWEST_PRECEDENCE;
    }
}
