package providers.webhooks;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** Form-encoded bodies (Slack interactivity and slash commands, GitHub's form content type). */
public final class Forms {

    private Forms() {
    }

    public static boolean isForm(InboundWebhook request) {
        String type = request.header("content-type");
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    public static Map<String, String> fields(byte[] body) {
        try {
            return InboundWebhook.decodeQuery(new String(body, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new MalformedWebhookException("body is not a valid form");
        }
    }
}
