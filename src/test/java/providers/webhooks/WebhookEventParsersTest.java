package providers.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static providers.webhooks.Fixtures.*;

import java.util.List;

import org.junit.jupiter.api.Test;

import providers.salesforce.SalesforceOutboundVerifierTest;

class WebhookEventParsersTest {

    private static List<HubEvent> parse(WebhookScheme scheme, InboundWebhook request) {
        List<HubEvent> events = SCHEMES.parser(scheme).parse(request);
        events.forEach(e -> assertThat(EventPatterns.validate(e.type())).doesNotContain("*"));
        return events;
    }

    @Test
    void everySchemeHasAParser() {
        for (WebhookScheme scheme : SCHEMES.all()) {
            assertThat(SCHEMES.parser(scheme).scheme()).isEqualTo(scheme);
        }
    }

    @Test
    void salesforceNotificationsAreUpdatesOfTheirShardNoun() {
        List<HubEvent> events = parse(scheme("salesforce_outbound"),
                post(SalesforceOutboundVerifierTest.ENVELOPE.replace("sf:Task", "sf:Lead")));
        assertThat(events).containsExactly(
                new HubEvent("company.updated", "Account", "0015e00000ZkM3hAAF", "sf:Account"),
                new HubEvent("lead.updated", "Lead", "00T5e00000AbCdEAAV", "sf:Lead"));

        List<HubEvent> task = parse(scheme("salesforce_outbound"), post(SalesforceOutboundVerifierTest.ENVELOPE));
        assertThat(task.get(1).type()).isEqualTo("note.updated");
        assertThat(parse(scheme("salesforce_outbound"), post(SalesforceOutboundVerifierTest.ENVELOPE
                .replace("sf:Account", "sf:Opportunity").replace("sf:Task", "sf:Event"))))
                .extracting(HubEvent::type).containsExactly("opportunity.updated", "note.updated");
    }

    @Test
    void hubspotEventsMapTheirObjectAndChange() {
        String body = "[{\"eventId\":1,\"subscriptionType\":\"contact.creation\",\"objectId\":11},"
                + "{\"eventId\":2,\"subscriptionType\":\"company.propertyChange\",\"objectId\":12,\"propertyName\":\"name\"},"
                + "{\"eventId\":3,\"subscriptionType\":\"deal.deletion\",\"objectId\":13},"
                + "{\"eventId\":4,\"subscriptionType\":\"contact.merge\",\"objectId\":14,\"mergedObjectIds\":[15]},"
                + "{\"eventId\":5,\"subscriptionType\":\"contact.restore\",\"objectId\":16},"
                + "{\"eventId\":6,\"subscriptionType\":\"contact.privacyDeletion\",\"objectId\":17},"
                + "{\"eventId\":7,\"subscriptionType\":\"ticket.creation\",\"objectId\":18},"
                + "{\"eventId\":8,\"subscriptionType\":\"object.creation\",\"objectTypeId\":\"0-3\",\"objectId\":19}]";
        assertThat(parse(scheme("hubspot"), post(body))).containsExactly(
                new HubEvent("contact.created", "contacts", "11", "contact.creation"),
                new HubEvent("company.updated", "companies", "12", "company.propertyChange"),
                new HubEvent("opportunity.deleted", "deals", "13", "deal.deletion"),
                new HubEvent("contact.merged", "contacts", "14", "contact.merge"),
                new HubEvent("contact.created", "contacts", "16", "contact.restore"),
                new HubEvent("contact.deleted", "contacts", "17", "contact.privacyDeletion"),
                new HubEvent("ticket.created", "tickets", "18", "ticket.creation"),
                new HubEvent("opportunity.created", "deals", "19", "object.creation"));
        assertThatThrownBy(() -> parse(scheme("hubspot"), post("{\"eventId\":1}")))
                .isInstanceOf(MalformedWebhookException.class);
    }

    @Test
    void slackMessagesAreNotesAndChannelsKeepTheirNoun() {
        assertThat(parse(scheme("slack"), post("{\"type\":\"event_callback\",\"event_id\":\"E1\",\"event\":"
                + "{\"type\":\"message\",\"channel\":\"C1\",\"ts\":\"1700000000.000100\",\"text\":\"hi\"}}")))
                .containsExactly(new HubEvent("note.created", "message", "C1:1700000000.000100", "message"));
        assertThat(parse(scheme("slack"), post("{\"type\":\"event_callback\",\"event\":{\"type\":\"message\","
                + "\"subtype\":\"message_changed\",\"channel\":\"C1\",\"message\":{\"ts\":\"1.5\"}}}")))
                .containsExactly(new HubEvent("note.updated", "message", "C1:1.5", "message.message_changed"));
        assertThat(parse(scheme("slack"), post("{\"type\":\"event_callback\",\"event\":{\"type\":\"message\","
                + "\"subtype\":\"message_deleted\",\"channel\":\"C1\",\"deleted_ts\":\"1.5\"}}")))
                .containsExactly(new HubEvent("note.deleted", "message", "C1:1.5", "message.message_deleted"));
        assertThat(parse(scheme("slack"), post("{\"type\":\"event_callback\",\"event\":{\"type\":\"channel_created\","
                + "\"channel\":{\"id\":\"C9\",\"name\":\"x\"}}}")))
                .containsExactly(new HubEvent("channel.created", "channel", "C9", "channel_created"));
        assertThat(parse(scheme("slack"), post("{\"type\":\"event_callback\",\"event\":{\"type\":\"channel_rename\","
                + "\"channel\":{\"id\":\"C9\"}}}")).get(0).type()).isEqualTo("channel.updated");
        assertThat(parse(scheme("slack"), post("{\"type\":\"event_callback\",\"event\":{\"type\":\"reaction_added\"}}"))
                .get(0).type()).isEqualTo("reaction.added");
        assertThat(parse(scheme("slack"), post("{\"type\":\"url_verification\",\"challenge\":\"c\"}"))).isEmpty();
    }

    @Test
    void slackInteractivityAndSlashCommandsAreFormEncoded() {
        String payload = java.net.URLEncoder.encode("{\"type\":\"block_actions\",\"channel\":{\"id\":\"C1\"},"
                + "\"message\":{\"ts\":\"1.2\"},\"trigger_id\":\"t\"}", java.nio.charset.StandardCharsets.UTF_8);
        assertThat(parse(scheme("slack"), post("payload=" + payload, "Content-Type",
                "application/x-www-form-urlencoded")))
                .containsExactly(new HubEvent("interaction.block_actions", "interaction", "C1:1.2", "block_actions"));
        assertThat(parse(scheme("slack"), post("command=%2Fcastiel&text=sync&trigger_id=1", "Content-Type",
                "application/x-www-form-urlencoded; charset=utf-8")))
                .containsExactly(new HubEvent("command.invoked", "command", null, "/castiel"));
    }

    @Test
    void githubIssuesCommentsAndPullRequestsAreNotes() {
        assertThat(parse(scheme("github"), post("{\"action\":\"opened\",\"issue\":{\"id\":1001,\"number\":7}}",
                "X-GitHub-Event", "issues")))
                .containsExactly(new HubEvent("note.created", "issues", "1001", "issues.opened"));
        assertThat(parse(scheme("github"), post("{\"action\":\"closed\",\"issue\":{\"id\":1001}}",
                "X-GitHub-Event", "issues")).get(0).type()).isEqualTo("note.updated");
        assertThat(parse(scheme("github"), post("{\"action\":\"deleted\",\"comment\":{\"id\":55}}",
                "X-GitHub-Event", "issue_comment")))
                .containsExactly(new HubEvent("note.deleted", "issue_comments", "55", "issue_comment.deleted"));
        assertThat(parse(scheme("github"), post("{\"action\":\"labeled\",\"pull_request\":{\"id\":9}}",
                "X-GitHub-Event", "pull_request")).get(0).type()).isEqualTo("note.updated");
        assertThat(parse(scheme("github"), post("{\"ref\":\"refs/heads/main\",\"repository\":{\"full_name\":\"o/r\"}}",
                "X-GitHub-Event", "push")))
                .containsExactly(new HubEvent("document.updated", "push", "o/r:refs/heads/main", "push"));
        assertThat(parse(scheme("github"), post("{\"action\":\"published\",\"release\":{\"id\":3}}",
                "X-GitHub-Event", "release"))).containsExactly(new HubEvent("release.published", "release", "3",
                "release.published"));
        assertThatThrownBy(() -> parse(scheme("github"), post("{}"))).isInstanceOf(MalformedWebhookException.class);
    }

    @Test
    void githubFormEncodedPayloadsAreRead() {
        String payload = java.net.URLEncoder.encode("{\"action\":\"edited\",\"issue\":{\"id\":5}}",
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(parse(scheme("github"), post("payload=" + payload, "X-GitHub-Event", "issues",
                "Content-Type", "application/x-www-form-urlencoded")))
                .containsExactly(new HubEvent("note.updated", "issues", "5", "issues.edited"));
    }

    @Test
    void zoomRecordingsAreDocumentsAndMeetingsKeepTheirNoun() {
        assertThat(parse(scheme("zoom"), post("{\"event\":\"recording.completed\",\"event_ts\":1,\"payload\":"
                + "{\"object\":{\"id\":123456,\"uuid\":\"u==\"}}}")))
                .containsExactly(new HubEvent("document.created", "recording", "u==", "recording.completed"));
        assertThat(parse(scheme("zoom"), post("{\"event\":\"recording.deleted\",\"payload\":{\"object\":{\"id\":123456}}}")))
                .containsExactly(new HubEvent("document.deleted", "recording", "123456", "recording.deleted"));
        assertThat(parse(scheme("zoom"), post("{\"event\":\"recording.trashed\",\"payload\":{\"object\":{\"uuid\":\"u==\"}}}")))
                .containsExactly(new HubEvent("document.deleted", "recording", "u==", "recording.trashed"));
        assertThat(parse(scheme("zoom"), post("{\"event\":\"meeting.started\",\"payload\":{\"object\":{\"id\":\"85\"}}}")))
                .containsExactly(new HubEvent("meeting.started", "meeting", "85", "meeting.started"));
        assertThat(parse(scheme("zoom"), post("{\"event\":\"endpoint.url_validation\",\"payload\":{\"plainToken\":\"p\"}}")))
                .isEmpty();
    }

    @Test
    void notionPagesAndDatabasesAreDocumentsAndCommentsNotes() {
        assertThat(parse(scheme("notion"), post("{\"id\":\"e1\",\"type\":\"page.content_updated\",\"entity\":"
                + "{\"id\":\"p1\",\"type\":\"page\"}}")))
                .containsExactly(new HubEvent("document.updated", "page", "p1", "page.content_updated"));
        assertThat(parse(scheme("notion"), post("{\"type\":\"page.deleted\",\"entity\":{\"id\":\"p1\",\"type\":\"page\"}}"))
                .get(0).type()).isEqualTo("document.deleted");
        assertThat(parse(scheme("notion"), post("{\"type\":\"database.created\",\"entity\":{\"id\":\"d1\",\"type\":\"database\"}}")))
                .containsExactly(new HubEvent("document.created", "database", "d1", "database.created"));
        assertThat(parse(scheme("notion"), post("{\"type\":\"comment.created\",\"entity\":{\"id\":\"c1\",\"type\":\"comment\"}}"))
                .get(0).type()).isEqualTo("note.created");
        assertThat(parse(scheme("notion"), post("{\"verification_token\":\"secret_x\"}"))).isEmpty();
    }

    @Test
    void graphResourcesDecideTheNoun() {
        String body = "{\"value\":["
                + "{\"changeType\":\"created\",\"resource\":\"chats('19:abc@thread.v2')/messages('1616990032035')\","
                + "\"resourceData\":{\"id\":\"1616990032035\"}},"
                + "{\"changeType\":\"updated\",\"resource\":\"drives/b!xyz/root\",\"resourceData\":{\"id\":\"01ABC\"}},"
                + "{\"changeType\":\"deleted\",\"resource\":\"Users/ed8d2b81-5a64/contacts/AAMkAG\",\"resourceData\":{\"id\":\"AAMkAG\"}},"
                + "{\"changeType\":\"updated\",\"resource\":\"Users/ed8d2b81-5a64/Events/AAMkAE\",\"resourceData\":{\"id\":\"AAMkAE\"}},"
                + "{\"lifecycleEvent\":\"reauthorizationRequired\",\"subscriptionId\":\"sub-1\",\"resource\":\"x\"}]}";
        assertThat(parse(scheme("microsoft_graph"), post(body))).containsExactly(
                new HubEvent("note.created", "messages", "1616990032035", "created"),
                new HubEvent("document.updated", "root", "01ABC", "updated"),
                new HubEvent("contact.deleted", "contacts", "AAMkAG", "deleted"),
                new HubEvent("event.updated", "events", "AAMkAE", "updated"),
                new HubEvent("subscription.reauthorization_required", "subscription", "sub-1", "reauthorizationRequired"));
        assertThat(parse(scheme("microsoft_graph"), request("POST", "/g", "validationToken=abc", ""))).isEmpty();
    }

    @Test
    void pubsubAttributesAreMappedWhenKnown() {
        assertThat(parse(scheme("google_pubsub"), post("{\"message\":{\"attributes\":{\"eventType\":\"OBJECT_DELETE\","
                + "\"objectId\":\"docs/a.pdf\",\"bucketId\":\"b\"},\"messageId\":\"1\"}}")))
                .containsExactly(new HubEvent("document.deleted", "object", "docs/a.pdf", "OBJECT_DELETE"));
        assertThat(parse(scheme("google_pubsub"), post("{\"message\":{\"attributes\":{\"ce-type\":"
                + "\"google.workspace.chat.message.v1.created\",\"ce-subject\":\"//chat.googleapis.com/spaces/S/messages/M\"},"
                + "\"messageId\":\"2\"}}")))
                .containsExactly(new HubEvent("note.created", "message", "M", "google.workspace.chat.message.v1.created"));
        assertThat(parse(scheme("google_pubsub"), post("{\"message\":{\"data\":\"e30=\",\"messageId\":\"3\"}}")))
                .containsExactly(new HubEvent("document.updated", null, null, null));
        assertThatThrownBy(() -> parse(scheme("google_pubsub"), post("{\"subscription\":\"s\"}")))
                .isInstanceOf(MalformedWebhookException.class);
    }

    @Test
    void driveResourceStatesAreDocumentChanges() {
        assertThat(parse(scheme("google_drive"), post("", "X-Goog-Resource-State", "sync"))).isEmpty();
        assertThat(parse(scheme("google_drive"), post("", "X-Goog-Resource-State", "add",
                "X-Goog-Resource-URI", "https://www.googleapis.com/drive/v3/files/1AbC?alt=json")))
                .containsExactly(new HubEvent("document.created", "files", "1AbC", "add"));
        assertThat(parse(scheme("google_drive"), post("", "X-Goog-Resource-State", "change",
                "X-Goog-Resource-URI", "https://www.googleapis.com/drive/v3/changes?pageToken=5")))
                .containsExactly(new HubEvent("document.updated", "changes", null, "change"));
        assertThat(parse(scheme("google_drive"), post("", "X-Goog-Resource-State", "trash")).get(0).type())
                .isEqualTo("document.deleted");
        assertThat(parse(scheme("google_drive"), post("", "X-Goog-Resource-State", "remove")).get(0).type())
                .isEqualTo("document.deleted");
        assertThat(parse(scheme("google_drive"), post("", "X-Goog-Resource-State", "update")).get(0).type())
                .isEqualTo("document.updated");
    }

    @Test
    void standardWebhooksTypesAreUsedAsIsWhenValid() {
        assertThat(parse(scheme("standard_webhooks"), post("{\"type\":\"contact.created\",\"timestamp\":"
                + "\"2022-11-03T20:26:10.344522Z\",\"data\":{\"id\":\"1f81eb52\",\"type\":\"contact\"}}")))
                .containsExactly(new HubEvent("contact.created", "contact", "1f81eb52", "contact.created"));
        assertThat(parse(scheme("standard_webhooks"), post("{\"type\":\"Invoice.Paid-Late\",\"data\":{}}")))
                .containsExactly(new HubEvent("custom.invoice.paid_late", null, null, "Invoice.Paid-Late"));
        assertThatThrownBy(() -> parse(scheme("standard_webhooks"), post("{\"data\":{}}")))
                .isInstanceOf(MalformedWebhookException.class);
    }

    @Test
    void malformedBodiesThrowShortMessagesWithoutThePayload() {
        String secretish = "{\"type\": sk_live_DO_NOT_ECHO";
        for (WebhookScheme scheme : List.of(scheme("slack"), scheme("hubspot"), scheme("zoom"),
                scheme("notion"), scheme("microsoft_graph"), scheme("google_pubsub"),
                scheme("salesforce_outbound"), scheme("standard_webhooks"))) {
            assertThatThrownBy(() -> SCHEMES.parser(scheme).parse(post(secretish)))
                    .as(scheme.id())
                    .isInstanceOf(MalformedWebhookException.class)
                    .satisfies(e -> {
                        assertThat(e.getMessage()).doesNotContain("DO_NOT_ECHO").hasSizeLessThan(100);
                        assertThat(e.getCause()).isNull();
                    });
        }
    }
}
