package api;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.ProducerTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import processors.webhooks.DeliveryLog;
import processors.webhooks.WebhookReceipt;
import processors.webhooks.WebhookSettings;
import providers.webhooks.InboundWebhook;
import providers.webhooks.Response;

/**
 * The public door for providers: {@code POST /webhooks/{registrationId}}. It only reads the raw
 * bytes (bounded), the headers and the query, refuses what is too large or of a type no provider
 * sends, and hands the request to the webhook-receiver route, whose reply it returns. Request
 * headers travel inside the request object, never as Camel headers, so a "Camel*" header sent by
 * a caller cannot steer a route. On the hub's own port {@link WebhookReceiverFilter} answers these
 * requests ahead of Spring MVC through {@link #receive(String, HttpServletRequest)}; this mapping serves the
 * sandbox's TLS port (Graph's https notifications).
 */
@RestController
public class WebhookEndpoint {

    private static final Set<String> CONTENT_TYPES = Set.of("application/json", "text/xml", "application/xml", "application/soap+xml",
            "application/x-www-form-urlencoded", "text/plain", "application/cloudevents+json");

    private final ProducerTemplate producer;
    private final DeliveryLog log;
    private final int maxBodyBytes;

    public WebhookEndpoint(ProducerTemplate producer, DeliveryLog log, WebhookSettings settings) {
        this.producer = producer;
        this.log = log;
        this.maxBodyBytes = settings.maxBodyBytes();
    }

    @PostMapping("/webhooks/{registrationId}")
    public ResponseEntity<byte[]> post(@PathVariable String registrationId, HttpServletRequest request) throws IOException {
        return respond(receive(registrationId, request));
    }

    /** The reply to a delivery for the registration: 2xx only once it is durable, else the refusal and its reason. */
    Response receive(String registrationId, HttpServletRequest request) throws IOException {
        long start = System.nanoTime();
        Instant receivedAt = Instant.now();
        String contentType = request.getContentType();
        if (contentType != null && !CONTENT_TYPES.contains(baseType(contentType))) {
            return log.refusedAtDoor(415, "content_type", "unsupported content type " + baseType(contentType));
        }
        long length = request.getContentLengthLong();
        if (length > maxBodyBytes) {
            return log.refusedAtDoor(413, "too_large", "body larger than " + maxBodyBytes + " bytes");
        }
        byte[] body = length >= 0 ? readExactly(request.getInputStream(), (int) length) : readBounded(request.getInputStream());
        if (body == null) {
            return log.refusedAtDoor(413, "too_large", "body larger than " + maxBodyBytes + " bytes");
        }
        InboundWebhook inbound = new InboundWebhook(request.getMethod(), request.getRequestURI(), request.getQueryString(),
                query(request.getQueryString()), headers(request), body, receivedAt);
        WebhookReceipt receipt = producer.requestBody("direct:webhook-receiver", new WebhookReceipt(registrationId, inbound, start),
                WebhookReceipt.class);
        return receipt.reply();
    }

    /** A body of announced length read straight into one array of that size (no growing buffer, no copy). */
    private static byte[] readExactly(InputStream in, int length) throws IOException {
        byte[] body = new byte[length];
        int read = 0;
        while (read < length) {
            int n = in.read(body, read, length - read);
            if (n < 0) {
                throw new java.io.EOFException("request body ended after " + read + " of " + length + " bytes");
            }
            read += n;
        }
        return body;
    }

    private byte[] readBounded(InputStream in) throws IOException {
        byte[] body = in.readNBytes(maxBodyBytes + 1);
        return body.length > maxBodyBytes ? null : body;
    }

    private static String baseType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static Map<String, String> headers(HttpServletRequest request) {
        Map<String, String> headers = new HashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name.toLowerCase(Locale.ROOT), request.getHeader(name));
        }
        return headers;
    }

    /** Decoded query parameters, read from the raw query string: the servlet's own parameters would consume a form body. */
    private static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.putIfAbsent(name, value);
            } catch (IllegalArgumentException malformed) {
                // a malformed escape: the parameter is left out rather than guessed
            }
        }
        return query;
    }

    private static ResponseEntity<byte[]> respond(Response reply) {
        // replies may echo what the caller sent (handshake tokens): never let a browser sniff them into another type
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(reply.status()).header("X-Content-Type-Options", "nosniff");
        if (reply.contentType() != null) {
            builder.header(HttpHeaders.CONTENT_TYPE, reply.contentType());
        }
        return builder.body(reply.body() == null ? new byte[0] : reply.body());
    }
}
