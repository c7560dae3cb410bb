package sandbox.webhook_receiver;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A test receiver for the hub's outgoing webhooks, under {@code /sandbox/webhook-receiver/{name}}: {@code POST} to it as
 * an endpoint (recorded: headers and body; answered 200, or as told); {@code GET .../received} reads what it received
 * ({@code {"count", "items": [{"receivedAt", "headers", "body", "status"}]}}, oldest first); {@code PUT .../behaviour}
 * tells it how to answer ({@code {"failStatus": 503, "failCount": 3, "delayMs": 2000, "gone": true, "status": 204}}, each
 * optional); {@code DELETE} forgets it. It verifies nothing: the receiver's side of the check is the extension builder's.
 */
@RestController
@ConditionalOnProperty(name = "hub.sandbox.enabled", havingValue = "true")
public class WebhookReceiverController {

    static final String BASE = "/sandbox/webhook-receiver/{name}";
    /** The longest a receiver may be told to wait before it answers. */
    private static final long MAX_DELAY_MS = 120_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebhookReceivers receivers;

    WebhookReceiverController(WebhookReceivers receivers) {
        this.receivers = receivers;
    }

    @PostMapping(BASE)
    public ResponseEntity<Map<String, Object>> receive(@PathVariable String name, @RequestBody(required = false) byte[] body,
                                                       HttpServletRequest request) throws InterruptedException {
        WebhookReceivers.Receiver receiver = receivers.receiver(name);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header : Collections.list(request.getHeaderNames())) {
            headers.put(header.toLowerCase(Locale.ROOT), request.getHeader(header));
        }
        WebhookReceivers.Received received = receiver.receive(receivers.now(), headers,
                body == null ? "" : new String(body, StandardCharsets.UTF_8));
        long delay = receiver.delayMs();
        if (delay > 0) {
            // a slow receiver, as asked: the request's own thread waits, as a slow server's would
            TimeUnit.MILLISECONDS.sleep(delay);
        }
        return ResponseEntity.status(received.status()).contentType(MediaType.APPLICATION_JSON).body(Map.of("received", receiver.count()));
    }

    @GetMapping(BASE + "/received")
    public Map<String, Object> received(@PathVariable String name, @RequestParam(defaultValue = "1000") int limit) {
        WebhookReceivers.Receiver receiver = receivers.receiver(name);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("count", receiver.count());
        List<WebhookReceivers.Received> items = receiver.received(Math.max(1, Math.min(limit, 10_000)));
        view.put("items", items);
        return view;
    }

    @GetMapping(BASE + "/behaviour")
    public WebhookReceivers.Behaviour behaviour(@PathVariable String name) {
        return receivers.receiver(name).behaviour();
    }

    @PutMapping(BASE + "/behaviour")
    public ResponseEntity<Object> behave(@PathVariable String name, @RequestBody(required = false) byte[] body) {
        JsonNode root;
        try {
            root = body == null || body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (java.io.IOException e) {
            return badRequest("the body must be a JSON object");
        }
        if (root == null || !root.isObject()) {
            return badRequest("the body must be a JSON object");
        }
        int status = root.path("status").asInt(200);
        int failStatus = root.path("failStatus").asInt(500);
        int failCount = root.path("failCount").asInt(0);
        long delayMs = root.path("delayMs").asLong(0);
        if (status < 200 || status > 599 || failStatus < 200 || failStatus > 599) {
            return badRequest("status and failStatus must be HTTP statuses (200-599)");
        }
        if (failCount < 0 || delayMs < 0 || delayMs > MAX_DELAY_MS) {
            return badRequest("failCount must be 0 or more, delayMs between 0 and " + MAX_DELAY_MS);
        }
        WebhookReceivers.Behaviour behaviour = new WebhookReceivers.Behaviour(status, failStatus, failCount, delayMs,
                root.path("gone").asBoolean(false));
        receivers.receiver(name).behave(behaviour);
        return ResponseEntity.ok(behaviour);
    }

    @DeleteMapping(BASE)
    public ResponseEntity<Void> reset(@PathVariable String name) {
        receivers.reset(name);
        return ResponseEntity.noContent().build();
    }

    private static ResponseEntity<Object> badRequest(String message) {
        return ResponseEntity.badRequest().body(Map.of("error", message));
    }
}
