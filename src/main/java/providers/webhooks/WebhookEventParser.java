package providers.webhooks;

import java.util.List;

/** Turns a verified request into hub events; call only after the verifier said Verified. */
public interface WebhookEventParser {

    WebhookScheme scheme();

    List<HubEvent> parse(InboundWebhook request) throws MalformedWebhookException;
}
