package processors.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.junit.jupiter.api.Test;

import store.NotificationTemplate;

/**
 * One message model, two renderings: Block Kit and an Adaptive Card, compared with golden files
 * ({@code src/test/resources/notifications/golden}; {@code -Dgolden.update=true} writes them anew); and each platform's
 * limits refuse a message past them, naming the limit.
 */
class MessageRenderingTest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Path GOLDEN = Path.of("src/test/resources/notifications/golden");

    private static MessageModel syncFailedStorm() {
        NotificationTemplate template = NotificationTemplates.builtIn("sync.failed");
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("count", 412);
        values.put("eventType", "sync.failed");
        values.put("category", "sync");
        values.put("integrationId", "int-salesforce-eu");
        values.put("provider", "salesforce");
        values.put("severity", "warning");
        values.put("since", "2026-12-05T01:00:30Z");
        List<String> examples = List.of(
                NotificationTemplates.fill(template.example(), Map.of("occurredAt", "2026-12-05T01:00:00Z", "entity", "Account", "mode", "incremental",
                        "executionId", "exec-1", "error", "Salesforce answered 503 Service Unavailable")),
                NotificationTemplates.fill(template.example(), Map.of("occurredAt", "2026-12-05T01:00:01Z", "entity", "Contact", "mode", "incremental",
                        "executionId", "exec-2", "error", "Salesforce answered 503 Service Unavailable")),
                NotificationTemplates.fill(template.example(), Map.of("occurredAt", "2026-12-05T01:00:02Z", "entity", "Account", "mode", "full",
                        "executionId", "exec-3", "error", "connect timed out")));
        return new NotificationTemplates(null, JSON).model(template, "sync.failed", Severity.WARNING, values, examples, 412,
                "https://hub.example.com/api/events?type=sync.failed");
    }

    @Test
    void blockKitMatchesItsGoldenFile() throws IOException {
        Map<String, Object> slack = BlockKitMessage.render(syncFailedStorm());
        BlockKitMessage.check("text", slack);
        assertGolden("sync.failed.slack.json", JSON.valueToTree(slack));
    }

    @Test
    void adaptiveCardMatchesItsGoldenFile() throws IOException {
        Map<String, Object> teams = AdaptiveCardMessage.render(syncFailedStorm());
        AdaptiveCardMessage.check("text", JSON, teams);
        assertGolden("sync.failed.teams.json", JSON.valueToTree(teams));
    }

    @Test
    void slackLimitsAreNamed() {
        MessageModel longText = new MessageModel("sync.failed", "warning", "title", "x".repeat(3001), List.of(), List.of(), 1, null);
        assertThatThrownBy(() -> BlockKitMessage.check("text", BlockKitMessage.render(longText)))
                .isInstanceOf(PlatformLimitException.class).hasMessageContaining("3000 characters").hasMessageStartingWith("text:");
        MessageModel manyExamples = new MessageModel("sync.failed", "warning", "title", "text", List.of(),
                java.util.Collections.nCopies(50, "example"), 1, null);
        assertThatThrownBy(() -> BlockKitMessage.check("text", BlockKitMessage.render(manyExamples)))
                .isInstanceOf(PlatformLimitException.class).hasMessageContaining("limit of 50 blocks");
    }

    @Test
    void teamsSizeLimitIsNamed() {
        MessageModel big = new MessageModel("sync.failed", "warning", "title", "text", List.of(),
                java.util.Collections.nCopies(40, "y".repeat(800)), 1, null);
        assertThatThrownBy(() -> AdaptiveCardMessage.check("text", JSON, AdaptiveCardMessage.render(big)))
                .isInstanceOf(PlatformLimitException.class).hasMessageContaining("28000 bytes");
    }

    @Test
    void aTenantTemplatePastSlacksSectionLimitIsRefused() {
        NotificationTemplates templates = new NotificationTemplates(null, JSON);
        assertThatThrownBy(() -> templates.validate("sync.failed", new NotificationTemplate("sync.failed", "Failed {count}×", "z".repeat(3100), "{error}")))
                .isInstanceOf(PlatformLimitException.class).hasMessageContaining("Slack's limit of 3000 characters");
        templates.validate("sync.failed", new NotificationTemplate("sync.failed", "Failed {count}×", "Runs failed since {since}.", "{error}"));
    }

    @Test
    void quietHoursCrossMidnightInTheTenantsZone() {
        QuietHours q = QuietHours.parse("22:00", "07:00", "Europe/Berlin");
        assertThat(q.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(q.quiet(Instant.parse("2026-12-04T23:30:00Z"))).isTrue();   // 00:30 in Berlin
        assertThat(q.quiet(Instant.parse("2026-12-05T05:59:00Z"))).isTrue();   // 06:59
        assertThat(q.quiet(Instant.parse("2026-12-05T06:00:00Z"))).isFalse();  // 07:00
        assertThat(q.quiet(Instant.parse("2026-12-05T20:00:00Z"))).isFalse();  // 21:00
        assertThat(q.endAfter(Instant.parse("2026-12-04T23:30:00Z"))).isEqualTo(Instant.parse("2026-12-05T06:00:00Z"));
    }

    @Test
    void wildcardsMatchFamilies() {
        assertThat(EventPatterns.matches(List.of("sync.*"), "sync.failed")).isTrue();
        assertThat(EventPatterns.matches(List.of("sync.*"), "shard.created")).isFalse();
        assertThat(EventPatterns.matches(List.of("*"), "shard.created")).isTrue();
        assertThat(EventPatterns.matches(List.of("integration.auth_failed"), "integration.auth_failed")).isTrue();
    }

    private static void assertGolden(String name, JsonNode actual) throws IOException {
        Path file = GOLDEN.resolve(name);
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(file, JSON.writeValueAsString(actual) + "\n");
        }
        assertThat(actual).as(name).isEqualTo(JSON.readTree(file.toFile()));
    }
}
