package sandbox.slack;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import sandbox.kit.AccessTokens;
import sandbox.kit.Workspaces;

/** What the Slack sandbox's controllers share: the base path, tokens, answers and Slack's error shape. */
abstract class SlackApiSupport {

    static final String BASE = "/sandbox/slack";
    static final MediaType JSON_UTF8 = new MediaType("application", "json", StandardCharsets.UTF_8);

    protected final SlackSandbox sandbox;

    SlackApiSupport(SlackSandbox sandbox) {
        this.sandbox = sandbox;
    }

    /** The token of the call: the {@code Authorization: Bearer} header, else the {@code token} parameter (query or form). */
    static String token(HttpServletRequest request) {
        String bearer = AccessTokens.bearer(request.getHeader(HttpHeaders.AUTHORIZATION), "Bearer");
        return bearer != null ? bearer : request.getParameter("token");
    }

    /** The workspace of a setup call: its static bot token ({@code xoxb-sandbox[-name]}), else {@code not_authed}. */
    SlackWorkspace workspace(HttpServletRequest request) {
        String token = token(request);
        SlackWorkspace workspace = token == null ? null : sandbox.ofStaticToken(token, request.getRemoteAddr());
        if (workspace == null) {
            throw SlackApiError.of("not_authed");
        }
        return workspace;
    }

    static ResponseEntity<byte[]> ok(ObjectNode body) {
        ObjectNode answer = SlackEvents.JSON.createObjectNode().put("ok", true);
        answer.setAll(body);
        return ResponseEntity.ok().contentType(JSON_UTF8).body(SlackEvents.bytes(answer));
    }

    static ObjectNode object() {
        return SlackEvents.JSON.createObjectNode();
    }

    static String cursor(String kind, long value) {
        return Base64.getEncoder().encodeToString((kind + ":" + value).getBytes(StandardCharsets.UTF_8));
    }

    /** The value of a cursor of this kind; {@code invalid_cursor} for anything else. */
    static long cursorValue(String cursor, String kind) {
        try {
            String text = new String(Base64.getDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith(kind + ":")) {
                return Long.parseLong(text.substring(kind.length() + 1));
            }
        } catch (IllegalArgumentException e) {
            // falls through
        }
        throw SlackApiError.of("invalid_cursor");
    }

    @ExceptionHandler(SlackApiError.class)
    ResponseEntity<byte[]> refused(SlackApiError e) {
        ObjectNode body = object().put("ok", false).put("error", e.error);
        if (e.status == 400) {
            body.put("detail", e.getMessage().substring(e.error.length() + 2));
        }
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(e.status).contentType(JSON_UTF8);
        if (e.status == 429) {
            answer.header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds));
        }
        return answer.body(SlackEvents.bytes(body));
    }

    @ExceptionHandler(Workspaces.Full.class)
    ResponseEntity<byte[]> full(Workspaces.Full e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(JSON_UTF8)
                .body(SlackEvents.bytes(object().put("ok", false).put("error", "service_unavailable").put("detail", e.getMessage())));
    }
}
