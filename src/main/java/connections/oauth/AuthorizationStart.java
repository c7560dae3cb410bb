package connections.oauth;

import java.time.OffsetDateTime;

/** Where to send the user's browser, the state the callback must bring back, and until when it may. */
public record AuthorizationStart(String authorizationUrl, String state, OffsetDateTime expiresAt) {
}
