package connections.oauth;

import java.time.OffsetDateTime;

/**
 * An authorization URL handed out and not redeemed yet: whose it is, where its code goes back, and
 * under which vault name its PKCE verifier and client credentials are sealed; {@code returnTo}: the console page the
 * browser goes back to after the callback (null: the callback answers JSON).
 */
public record OAuthState(
        String state,
        String tenantId,
        String integrationId,
        String secretName,
        String loginUrl,
        String redirectUri,
        String actor,
        OffsetDateTime expiresAt,
        boolean used,
        OffsetDateTime createdAt,
        String returnTo) {

    public boolean expiredAt(OffsetDateTime now) {
        return !now.isBefore(expiresAt);
    }
}
