package routes.integrator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code integratorRoutes} in {@code /actuator/health}: the folder, the files loaded with their route ids, and each
 * refused file with its line and reason. The status stays UP with refused files: a broken integrator file leaves the
 * hub and every route it was running as they were, so it must not take the instance out of a load balancer (DOWN) or
 * change the aggregate status monitors read; the refusals are in the details ({@code refused} lists them).
 */
@Component("integratorRoutes")
public class IntegratorRoutesHealth implements HealthIndicator {

    private final IntegratorRouteFiles files;

    public IntegratorRoutesHealth(IntegratorRouteFiles files) {
        this.files = files;
    }

    @Override
    public Health health() {
        if (files.directory() == null) {
            return Health.up().withDetail("directory", "none (hub.routes.dir is empty)").build();
        }
        List<Map<String, Object>> refused = files.refusedFiles().values().stream().map(IntegratorRoutesHealth::view).toList();
        return Health.up()
                .withDetail("directory", files.directory().toString())
                .withDetail("loaded", files.loadedFiles())
                .withDetail("refused", refused)
                .build();
    }

    private static Map<String, Object> view(RouteFileRefusal r) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("file", r.file());
        if (r.line() != null) {
            view.put("line", r.line());
        }
        view.put("reason", r.reason());
        view.put("at", r.at().toString());
        return view;
    }
}
