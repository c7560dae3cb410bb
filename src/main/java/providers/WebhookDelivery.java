package providers;

import java.util.Map;

/** A webhook request as received: the raw body bytes and the headers (lower-cased names). */
public record WebhookDelivery(String method, String uri, Map<String, String> headers, byte[] body) {
}
