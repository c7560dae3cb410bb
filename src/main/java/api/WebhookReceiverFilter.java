package api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerHttpObservationDocumentation;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import providers.webhooks.Response;

/**
 * The short way in for providers' deliveries: {@code POST /webhooks/{registrationId}} on the hub's own port is answered
 * here, first in the filter chain, without Spring MVC (handler lookup among every mapping, argument resolution, message
 * conversion) and without the filters the receiver has no use for (API keys, console sessions). The request is observed
 * as Spring's own observation filter would ({@code http.server.requests}, and with tracing on the server span that
 * continues the caller's {@code traceparent}), under the route {@code /webhooks/{registrationId}}. The
 * receiving itself is {@link WebhookEndpoint}'s, unchanged: same checks, same route, same replies. Anything else under
 * {@code /webhooks/} (another method, a deeper path) and every request on the sandbox's ports goes down the chain as
 * before.
 */
@Configuration(proxyBeanMethods = false)
public class WebhookReceiverFilter implements Filter {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookReceiverFilter.class);
    private static final String PREFIX = "/webhooks/";
    private static final byte[] FAILED = "{\"status\":\"error\",\"reason\":\"the delivery could not be received; send it again\"}"
            .getBytes(StandardCharsets.UTF_8);

    private static final String ROUTE = PREFIX + "{registrationId}";
    private static final DefaultServerRequestObservationConvention CONVENTION = new DefaultServerRequestObservationConvention();

    private final WebhookEndpoint endpoint;
    private final ObservationRegistry observations;
    private volatile int port = -1;

    public WebhookReceiverFilter(WebhookEndpoint endpoint, ObjectProvider<ObservationRegistry> observations) {
        this.endpoint = endpoint;
        this.observations = observations.getIfAvailable(() -> ObservationRegistry.NOOP);
    }

    /** Ahead of every other filter, on the receiver's paths only, for requests as they arrive (not forwards or errors). */
    @Bean
    FilterRegistrationBean<WebhookReceiverFilter> webhookReceiverFilterRegistration() {
        FilterRegistrationBean<WebhookReceiverFilter> registration = new FilterRegistrationBean<>(this);
        registration.addUrlPatterns(PREFIX + "*");
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @EventListener
    public void onWebServer(WebServerInitializedEvent event) {
        // the management server, when it has its own port, does not serve webhooks
        if (!"management".equals(event.getApplicationContext().getServerNamespace())) {
            port = event.getWebServer().getPort();
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        String registrationId = request.getLocalPort() == port && "POST".equals(request.getMethod()) ? registrationId(request) : null;
        if (registrationId == null) {
            chain.doFilter(req, res);
            return;
        }
        HttpServletResponse response = (HttpServletResponse) res;
        ServerRequestObservationContext context = new ServerRequestObservationContext(request, response);
        context.setPathPattern(ROUTE);
        Observation observation = ServerHttpObservationDocumentation.HTTP_SERVLET_SERVER_REQUESTS
                .observation(null, CONVENTION, () -> context, observations).start();
        try (Observation.Scope ignored = observation.openScope()) {
            answer(registrationId, request, response);
        } catch (IOException | RuntimeException e) {
            observation.error(e);
            throw e;
        } finally {
            observation.stop();
        }
    }

    private void answer(String registrationId, HttpServletRequest request, HttpServletResponse response) throws IOException {
        Response reply;
        // what Spring MVC would have bound: the receiver URL some schemes sign is built from the request at hand
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request, response));
        try {
            reply = endpoint.receive(registrationId, request);
        } catch (RuntimeException e) {
            LOG.error("Webhook delivery to registration {} failed before it could be answered", registrationId, e);
            reply = new Response(500, "application/json", FAILED);
        } finally {
            RequestContextHolder.resetRequestAttributes();
        }
        response.setStatus(reply.status());
        // replies may echo what the caller sent (handshake tokens): never let a browser sniff them into another type
        response.setHeader("X-Content-Type-Options", "nosniff");
        if (reply.contentType() != null) {
            response.setContentType(reply.contentType());
        }
        response.setContentLength(reply.body().length);
        response.getOutputStream().write(reply.body());
    }

    /** The registration id of {@code /webhooks/{id}} (decoded, normalised path), or null for any other path. */
    private static String registrationId(HttpServletRequest request) {
        String path = RequestPath.of(request);
        if (!path.startsWith(PREFIX) || path.length() == PREFIX.length() || path.indexOf('/', PREFIX.length()) >= 0) {
            return null;
        }
        return path.substring(PREFIX.length());
    }
}
