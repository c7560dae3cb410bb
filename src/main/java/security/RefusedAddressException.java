package security;

import java.io.IOException;

/**
 * The outbound guard refused a call: the URL is not http(s), or its host resolves to an internal
 * address that no one allowed. An {@link IOException}, so every HTTP path fails the call before it
 * connects; the message is fixed and names neither the host nor the port.
 */
public class RefusedAddressException extends IOException {

    public static final String MESSAGE = "refers to an internal address";
    public static final String NOT_HTTP = "must be an http(s) URL";

    private final String kind;

    RefusedAddressException(String message, String kind) {
        super(message);
        this.kind = kind;
    }

    /** What the address is ("loopback", "private", "cloud metadata", ...), or "scheme" for a URL that is not http(s); for logs. */
    public String kind() {
        return kind;
    }
}
