package providers.webhooks;

import java.nio.charset.StandardCharsets;

/** An HTTP response the receiver sends as is. contentType null means none (an empty body). */
public record Response(int status, String contentType, byte[] body) {

    public Response {
        body = body == null ? new byte[0] : body;
    }

    public static Response empty(int status) {
        return new Response(status, null, new byte[0]);
    }

    public static Response text(String text) {
        return new Response(200, "text/plain", text.getBytes(StandardCharsets.UTF_8));
    }

    /** Handshake bodies echo challenges and computed tokens, so only their size is shown. */
    @Override
    public String toString() {
        return "Response[" + status + ", " + contentType + ", " + body.length + " bytes]";
    }
}
