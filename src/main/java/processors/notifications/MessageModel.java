package processors.notifications;

import java.util.List;

/**
 * One notification as the platforms render it: Slack Block Kit ({@link BlockKitMessage}) and an Adaptive Card
 * ({@link AdaptiveCardMessage}) are two views of the same model. {@code facts} are name/value pairs, {@code examples} the
 * first events of the group, {@code link} where the operator reads the rest.
 */
public record MessageModel(String eventType, String severity, String title, String text, List<Fact> facts, List<String> examples,
                           long count, String link) {

    public record Fact(String name, String value) {
    }
}
