package processors.notifications;

import hub.InvalidInputException;

/** A message that renders past a platform's limit (Slack's blocks or section text, the Teams webhook's payload size). */
public class PlatformLimitException extends InvalidInputException {

    public PlatformLimitException(String field, String message) {
        super(field, message);
    }
}
