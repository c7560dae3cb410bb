package store;

/**
 * A notification template: the {@code title} and {@code text} of a group's message and the {@code example} line of each
 * event in it, with {@code {placeholders}}; {@code eventType} is the type it is for ({@code *}: every type).
 */
public record NotificationTemplate(String eventType, String title, String text, String example) {
}
