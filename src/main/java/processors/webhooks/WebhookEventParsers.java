package processors.webhooks;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Every scheme's event parser; thread-safe. The event-type table is in this package's README.md. */
public final class WebhookEventParsers {

    private final Map<WebhookScheme, WebhookEventParser> parsers = new EnumMap<>(WebhookScheme.class);

    public WebhookEventParsers() {
        for (WebhookEventParser parser : List.of(new GitHubEventParser(), new SlackEventParser(),
                new HubSpotEventParser(), new ZoomEventParser(), new NotionEventParser(),
                new MicrosoftGraphEventParser(), new GooglePubSubEventParser(), new GoogleDriveEventParser(),
                new SalesforceOutboundEventParser(), new StandardWebhooksEventParser())) {
            parsers.put(parser.scheme(), parser);
        }
    }

    public WebhookEventParser get(WebhookScheme scheme) {
        return parsers.get(Objects.requireNonNull(scheme, "scheme"));
    }

    /** Shorthand for {@code get(scheme).parse(request)}. */
    public List<HubEvent> parse(WebhookScheme scheme, InboundWebhook request) {
        return get(scheme).parse(request);
    }
}
