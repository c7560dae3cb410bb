package providers.webhooks;

import java.util.List;

/**
 * Turns a verified request into hub events; call only after the verifier said Verified. A Spring bean of the
 * provider package, beside the verifier of the same scheme.
 */
public interface WebhookEventParser {

    WebhookScheme scheme();

    List<HubEvent> parse(InboundWebhook request) throws MalformedWebhookException;
}
