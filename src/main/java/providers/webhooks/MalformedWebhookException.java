package providers.webhooks;

/** The body cannot be understood (answer 400). The message is short and never quotes the payload. */
public class MalformedWebhookException extends RuntimeException {

    public MalformedWebhookException(String message) {
        // no cause: parser messages quote the offending input, which may hold secrets or personal data
        super(message, null, false, false);
    }
}
