package providers.webhooks;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import providers.github.GitHubEventParser;
import providers.google.GooglePubSubEventParser;
import providers.google_drive.GoogleDriveEventParser;
import providers.hubspot.HubSpotEventParser;
import providers.microsoft.MicrosoftGraphEventParser;
import providers.notion.NotionEventParser;
import providers.salesforce.SalesforceOutboundEventParser;
import providers.slack.SlackEventParser;
import providers.zoom.ZoomEventParser;

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
