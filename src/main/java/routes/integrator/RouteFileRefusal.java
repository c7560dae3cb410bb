package routes.integrator;

import java.time.OffsetDateTime;

/** Why a route file was not loaded: the file, the line where Camel or the YAML parser gave one (else null), and the reason. */
public record RouteFileRefusal(String file, Integer line, String reason, OffsetDateTime at) {
}
