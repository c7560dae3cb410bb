package messaging;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * A hub pointed at a broker elsewhere ({@code spring.artemis.mode=native}, e.g. {@code HUB_ARTEMIS_MODE=native}) starts
 * no broker of its own: Spring Boot would otherwise start the embedded one beside the connection to the real one,
 * unless {@code spring.artemis.embedded.enabled} says so explicitly.
 */
public class NativeBrokerMode implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if ("native".equalsIgnoreCase(environment.getProperty("spring.artemis.mode"))
                && !environment.containsProperty("spring.artemis.embedded.enabled")) {
            environment.getPropertySources().addLast(new MapPropertySource("hub-native-broker",
                    Map.of("spring.artemis.embedded.enabled", "false")));
        }
    }
}
