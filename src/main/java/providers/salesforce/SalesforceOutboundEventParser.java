package providers.salesforce;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import providers.webhooks.EventTypes;
import providers.webhooks.HubEvent;
import providers.webhooks.InboundWebhook;
import providers.webhooks.WebhookEventParser;
import providers.webhooks.WebhookScheme;

/**
 * Salesforce outbound messages fire on create and on edit and do not say which, so every Notification is
 * "&lt;noun&gt;.updated": Account -> company, Contact -> contact, Opportunity -> opportunity, Task and Event ->
 * note, any other sObject keeps its own name (Lead -> lead.updated).
 */
@Component
public final class SalesforceOutboundEventParser implements WebhookEventParser {

    private static final Map<String, String> NOUNS = Map.of(
            "Account", EventTypes.COMPANY, "Contact", EventTypes.CONTACT, "Opportunity", EventTypes.OPPORTUNITY,
            "Task", EventTypes.NOTE, "Event", EventTypes.NOTE);

    @Override
    public WebhookScheme scheme() {
        return SalesforceOutboundVerifier.SCHEME;
    }

    @Override
    public List<HubEvent> parse(InboundWebhook request) {
        OutboundMessage message = OutboundMessage.parse(request.body());
        List<HubEvent> events = new ArrayList<>(message.notifications().size());
        for (OutboundMessage.Notification n : message.notifications()) {
            String noun = NOUNS.getOrDefault(n.sObjectType(), n.sObjectType());
            events.add(new HubEvent(EventTypes.of(noun, EventTypes.UPDATED), n.sObjectType(), n.sObjectId(),
                    "sf:" + n.sObjectType()));
        }
        return events;
    }
}
