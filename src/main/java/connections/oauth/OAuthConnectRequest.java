package connections.oauth;

/**
 * What {@code connect/oauth} is given: the connected app's client id and secret, and optionally where
 * the code goes back ({@code redirectUri}, default the hub's callback), the {@code scope}, the
 * authorization server ({@code loginUrl}) and a {@code loginHint} for its login page.
 */
public record OAuthConnectRequest(String clientId, String clientSecret, String redirectUri, String scope, String loginUrl,
                                  String loginHint) {

    /** Without the client secret: a record's default toString would print it. */
    @Override
    public String toString() {
        return "OAuthConnectRequest[clientId=" + clientId + ", redirectUri=" + redirectUri + ", scope=" + scope + ", loginUrl="
                + loginUrl + ", loginHint=" + loginHint + "]";
    }
}
