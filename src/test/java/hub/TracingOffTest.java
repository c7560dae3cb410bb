package hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.observation.MicrometerObservationTracer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.opentelemetry.OpenTelemetryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.tracing.MicrometerTracingAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.tracing.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.tracing.otlp.OtlpTracingAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcClientAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.simple.JdbcClient;

import store.EventStore;

/**
 * Tracing as the hub ships it: off. With the hub's own {@code application.properties} value of
 * {@code management.tracing.enabled}, even a configured collector URL gets no exporter, spans are not sampled (nothing
 * recorded, nothing carried: no trace context to store with an outbox row, and an event recorded in a span keeps none)
 * and the routes get no tracer. Spring Boot's
 * tracing auto-configuration with {@link TracingConfiguration}, without the rest of the hub.
 */
class TracingOffTest {

    private final ApplicationContextRunner tracing = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class, ObservationAutoConfiguration.class, OpenTelemetryAutoConfiguration.class,
                    OpenTelemetryTracingAutoConfiguration.class, MicrometerTracingAutoConfiguration.class, OtlpTracingAutoConfiguration.class))
            .withUserConfiguration(TracingConfiguration.class, Traces.class)
            .withPropertyValues("management.otlp.tracing.endpoint=http://127.0.0.1:9/v1/traces");

    @Test
    void theHubShipsWithTracingOff() throws IOException {
        assertThat(shipped("management.tracing.enabled")).isEqualTo("false");
    }

    @Test
    void offThereIsNoExporterNoSampledSpanAndNoRouteTracer() throws IOException {
        tracing.withPropertyValues("management.tracing.enabled=" + shipped("management.tracing.enabled"),
                "management.tracing.sampling.probability=" + shipped("management.tracing.sampling.probability")).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBeansOfType(SpanExporter.class)).isEmpty();
            assertThat(context.getBean(Sampler.class).getDescription()).isEqualTo(Sampler.alwaysOff().getDescription());
            assertThat(context).doesNotHaveBean(MicrometerObservationTracer.class);
            Tracer tracer = context.getBean(Tracer.class);
            Span span = tracer.nextSpan().name("a request").start();
            try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
                assertThat(span.isNoop() || !Boolean.TRUE.equals(span.context().sampled())).as("sampled").isTrue();
                assertThat(context.getBean(Traces.class).currentParent()).as("context to carry").isNull();
            } finally {
                span.end();
            }
        });
    }

    @Test
    void offAnEventRecordedInASpanKeepsNoTrace() throws IOException {
        tracing.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
                        JdbcTemplateAutoConfiguration.class, JdbcClientAutoConfiguration.class, JacksonAutoConfiguration.class))
                .withUserConfiguration(EventStore.class)
                .withPropertyValues("management.tracing.enabled=" + shipped("management.tracing.enabled"),
                        "spring.datasource.url=jdbc:h2:mem:tracing-off;DB_CLOSE_DELAY=-1", "spring.flyway.locations=classpath:db/migration")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    Tracer tracer = context.getBean(Tracer.class);
                    Span span = tracer.nextSpan().name("a request").start();
                    String id;
                    try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
                        id = context.getBean(EventStore.class).append(null, "sync.completed", "execution-1", Map.of());
                    } finally {
                        span.end();
                    }
                    assertThat(context.getBean(JdbcClient.class).sql("SELECT trace_parent FROM events WHERE id = ?").param(id)
                            .query(String.class).list()).containsExactly((String) null);
                    assertThat(context.getBean(Traces.class).currentParent()).isNull();
                });
    }

    @Test
    void onTheCollectorGetsAnExporterAndSpansAreSampled() {
        tracing.withBean(CamelContext.class, DefaultCamelContext::new)
                .withPropertyValues("management.tracing.enabled=true", "management.tracing.sampling.probability=1.0").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBeansOfType(SpanExporter.class)).isNotEmpty();
            assertThat(context).hasSingleBean(MicrometerObservationTracer.class);
            Tracer tracer = context.getBean(Tracer.class);
            Span span = tracer.nextSpan().name("a request").start();
            try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
                assertThat(context.getBean(Traces.class).currentParent()).startsWith("00-" + span.context().traceId() + "-");
            } finally {
                span.end();
            }
        });
    }

    private static String shipped(String property) throws IOException {
        Properties shipped = new Properties();
        try (InputStream in = TracingOffTest.class.getResourceAsStream("/application.properties")) {
            shipped.load(in);
        }
        return shipped.getProperty(property);
    }
}
