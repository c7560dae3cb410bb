package providers.webhooks;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The body of an accepted delivery as the delivery log keeps it: the secrets some providers put inside
 * their payloads are replaced with {@value #REDACTED}. Microsoft Graph repeats the subscription's
 * clientState (the proof the hub checks) and its validationTokens in every notification; Slack's
 * payloads carry the app's verification token; a Salesforce Outbound Message may carry a session id
 * (an API session of the sending user). Handshake tokens (Graph validationToken, Slack challenge, Zoom
 * plainToken, Notion verification_token) are never logged with a body at all.
 */
public final class PayloadRedaction {

    public static final String REDACTED = "[redacted]";
    private static final Pattern SESSION_ID = Pattern.compile(
            "(<(?:[A-Za-z_][\\w.-]*:)?SessionId\\b[^>]*(?<!/)>)(.*?)(</(?:[A-Za-z_][\\w.-]*:)?SessionId\\s*>)", Pattern.DOTALL);

    private PayloadRedaction() {
    }

    /** The body to log for a verified delivery of this scheme. */
    public static String redact(WebhookScheme scheme, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return switch (scheme) {
            case MICROSOFT_GRAPH -> graph(text);
            case SLACK -> slack(text);
            case SALESFORCE_OUTBOUND -> SESSION_ID.matcher(text).replaceAll("$1" + REDACTED + "$3");
            default -> text;
        };
    }

    private static String graph(String text) {
        JsonNode root = parse(text);
        if (root == null || !(root.get("value") instanceof ArrayNode items)) {
            return text;
        }
        boolean changed = false;
        for (JsonNode item : items) {
            if (item instanceof ObjectNode notification) {
                changed |= replace(notification, "clientState");
            }
        }
        if (root instanceof ObjectNode object) {
            changed |= replace(object, "validationTokens");
        }
        return changed ? Json.write(root) : text;
    }

    private static String slack(String text) {
        JsonNode root = parse(text);
        if (root instanceof ObjectNode object) {
            return replace(object, "token") ? Json.write(object) : text;
        }
        if (root != null || text.indexOf('=') < 0) {
            return text;
        }
        // a form (slash command, or interactivity with its JSON in "payload"): the token field and the payload's token
        List<String> fields = new ArrayList<>();
        for (String pair : text.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (name.equals("token")) {
                pair = name + "=" + URLEncoder.encode(REDACTED, StandardCharsets.UTF_8);
            } else if (name.equals("payload") && eq > 0) {
                try {
                    String payload = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    String redacted = slack(payload);
                    if (!redacted.equals(payload)) {
                        pair = name + "=" + URLEncoder.encode(redacted, StandardCharsets.UTF_8);
                    }
                } catch (IllegalArgumentException malformed) {
                    pair = name + "=" + URLEncoder.encode(REDACTED, StandardCharsets.UTF_8);
                }
            }
            fields.add(pair);
        }
        return String.join("&", fields);
    }

    private static boolean replace(ObjectNode node, String field) {
        if (!node.has(field)) {
            return false;
        }
        node.put(field, REDACTED);
        return true;
    }

    private static JsonNode parse(String text) {
        try {
            return Json.tree(text.getBytes(StandardCharsets.UTF_8));
        } catch (MalformedWebhookException notJson) {
            return null;
        }
    }
}
