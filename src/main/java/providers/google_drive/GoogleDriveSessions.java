package providers.google_drive;

import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.auth.oauth2.TokenResponse;
import com.google.api.client.googleapis.auth.oauth2.GoogleCredential;
import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.JsonFactory;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.drive.Drive;
import org.apache.camel.CamelContext;
import org.apache.camel.component.google.drive.GoogleDriveClientFactory;
import org.apache.camel.component.google.drive.GoogleDriveComponent;
import org.apache.camel.component.google.drive.GoogleDriveConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import providers.AuthProviderException;
import providers.ConnectionContext;
import providers.PermanentProviderException;
import providers.ProviderException;
import security.OutboundGuard;
import security.RefusedAddressException;
import security.TokenLifecycle;

/**
 * One Drive client per connection (rebuilt when its credentials change), and a camel-google-drive component bound to
 * it ({@code google-drive-<integration>}), whose client factory hands the component that client: the component has no
 * root-URL option, so this is how its calls reach a Drive other than www.googleapis.com (the sandbox). The client's
 * credential is Google's own: a service account signs a JWT-bearer assertion (RS256, {@code sub} the delegated user)
 * at the key's {@code token_uri}; an OAuth connection's token is refreshed on a 401 by the hub's token lifecycle
 * (which holds the refresh token, stores the new access token, or marks the integration auth_failed when Google refuses).
 */
@Component
class GoogleDriveSessions {

    static final String GOOGLE_ROOT = "https://www.googleapis.com/";
    static final String GOOGLE_TOKEN = "https://oauth2.googleapis.com/token";
    static final String READONLY_SCOPE = "https://www.googleapis.com/auth/drive.readonly";

    /** A connection's client and the name of its Camel component. */
    record Session(String fingerprint, Drive drive, String component, String root) {
    }

    private static final JsonFactory JSON = GsonFactory.getDefaultInstance();
    private final HttpTransport transport = new NetHttpTransport();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final CamelContext camel;
    private final OutboundGuard guard;
    private final ObjectMapper json;
    private final int timeoutMs;
    private final TokenLifecycle tokens;

    GoogleDriveSessions(CamelContext camel, OutboundGuard guard, ObjectMapper json, TokenLifecycle tokens,
                        @Value("${hub.providers.google_drive.request-timeout-ms:60000}") int timeoutMs) {
        this.camel = camel;
        this.tokens = tokens;
        this.guard = guard;
        this.json = json;
        this.timeoutMs = timeoutMs;
    }

    Session session(ConnectionContext connection) {
        String fingerprint = connection.fingerprint();
        Session current = sessions.get(connection.integrationId());
        if (current != null && current.fingerprint().equals(fingerprint)) {
            return current;
        }
        synchronized (this) {
            current = sessions.get(connection.integrationId());
            if (current != null && current.fingerprint().equals(fingerprint)) {
                return current;
            }
            if (current != null) {
                camel.removeComponent(current.component());
            }
            Session made = open(connection, fingerprint);
            sessions.put(connection.integrationId(), made);
            return made;
        }
    }

    void close(String integrationId) {
        Session session = sessions.remove(integrationId);
        if (session != null) {
            camel.removeComponent(session.component());
        }
    }

    private Session open(ConnectionContext connection, String fingerprint) {
        Credentials credentials = credentials(connection);
        check("tokenUrl", credentials.tokenUrl());
        check("Drive API root", credentials.root());
        Drive drive = new Drive.Builder(transport, JSON, request -> {
            credentials.credential().initialize(request);
            request.setConnectTimeout(Math.min(timeoutMs, 30_000));
            request.setReadTimeout(timeoutMs);
            // one retry: the credential's own, after a 401 made it take a new token
            request.setNumberOfRetries(1);
        }).setRootUrl(credentials.root()).setServicePath("drive/v3/").setApplicationName("castiel-hub").build();
        String name = "google-drive-" + connection.integrationId().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "-");
        GoogleDriveComponent component = new GoogleDriveComponent(camel);
        component.setClientFactory(new BoundClient(drive));
        // the component creates its client only for a client id and secret or a key: the factory ignores them
        GoogleDriveConfiguration configuration = new GoogleDriveConfiguration();
        configuration.setClientId("bound");
        configuration.setClientSecret("bound");
        configuration.setApplicationName("castiel-hub");
        component.setConfiguration(configuration);
        camel.removeComponent(name);
        camel.addComponent(name, component);
        return new Session(fingerprint, drive, name, credentials.root());
    }

    private void check(String what, String url) {
        try {
            guard.check(url);
        } catch (RefusedAddressException e) {
            throw new PermanentProviderException("Google Drive: the " + what + " is refused by the outbound guard: " + e.getMessage());
        } catch (IOException e) {
            // unresolvable now: the call says so
        }
    }

    private record Credentials(GoogleCredential credential, String tokenUrl, String root) {
    }

    /** The client's credential, token endpoint and Drive root from the connection's credentials. */
    private Credentials credentials(ConnectionContext connection) {
        String key = connection.credential("serviceAccountJson");
        if (key != null) {
            return serviceAccount(connection, key);
        }
        String accessToken = connection.credential("accessToken");
        if (accessToken == null) {
            throw new AuthProviderException("Google Drive: the connection has neither a service-account key nor an access token; reconnect",
                    0, null);
        }
        String tokenUrl = orDefault(connection.credential("tokenUrl"), GOOGLE_TOKEN);
        GoogleCredential.Builder builder = new GoogleCredential.Builder().setTransport(transport).setJsonFactory(JSON)
                .setTokenServerEncodedUrl(tokenUrl);
        String integrationId = connection.integrationId();
        // the hub holds the refresh token: a 401 has its token lifecycle refresh (and store, or mark auth_failed)
        GoogleCredential credential = new GoogleCredential(builder) {
            @Override
            protected TokenResponse executeRefreshToken() throws IOException {
                TokenLifecycle.Outcome outcome = tokens.refreshRejected(integrationId, getAccessToken());
                String current = tokens.currentAccessToken(integrationId).orElse(null);
                if (outcome == TokenLifecycle.Outcome.AUTH_FAILED || outcome == TokenLifecycle.Outcome.NOT_REFRESHABLE || current == null) {
                    throw new IOException("the access token was refused and could not be refreshed (" + outcome + ")");
                }
                return new TokenResponse().setAccessToken(current).setExpiresInSeconds(3000L);
            }
        };
        credential.setAccessToken(accessToken);
        String root = connection.credential("instanceUrl") != null ? slash(connection.credential("instanceUrl")) : rootFor(tokenUrl);
        return new Credentials(credential, tokenUrl, root);
    }

    /**
     * Google refused the connection's service-account key (revoked, its delegation withdrawn): the key does not come back,
     * so the integration is auth_failed until it is reconnected. An OAuth connection's refusals go through the refresh.
     */
    void refused(ConnectionContext connection, ProviderException failure) {
        String key = connection.credential("serviceAccountJson");
        if (key != null && connection.integrationId() != null) {
            tokens.rejectedForGood(connection.integrationId(), "serviceAccountJson", key, failure.getMessage());
        }
    }

    private Credentials serviceAccount(ConnectionContext connection, String keyJson) {
        JsonNode key;
        PrivateKey privateKey;
        try {
            key = json.readTree(keyJson);
            privateKey = privateKey(key.path("private_key").asText(""));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new AuthProviderException("Google Drive: the service-account key cannot be read (private_key); paste the key file again",
                    0, null);
        }
        String tokenUrl = orDefault(key.path("token_uri").asText(null), GOOGLE_TOKEN);
        String scope = orDefault(connection.credential("scope"), READONLY_SCOPE);
        GoogleCredential credential = new GoogleCredential.Builder().setTransport(transport).setJsonFactory(JSON)
                .setServiceAccountId(key.path("client_email").asText(null))
                .setServiceAccountPrivateKey(privateKey)
                .setServiceAccountPrivateKeyId(key.path("private_key_id").asText(null))
                .setServiceAccountScopes(List.of(scope.split("[\\s,]+")))
                .setServiceAccountUser(connection.credential("subject"))
                .setTokenServerEncodedUrl(tokenUrl)
                .build();
        return new Credentials(credential, tokenUrl, rootFor(tokenUrl));
    }

    /**
     * Drive's root for a token endpoint: Google's for Google's endpoint, else the endpoint's base (a sandbox serves both,
     * {@code http://host/sandbox/google/token} → {@code http://host/sandbox/google/}).
     */
    static String rootFor(String tokenUrl) {
        URI uri = URI.create(tokenUrl);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (host.endsWith("googleapis.com") || host.endsWith("google.com")) {
            return GOOGLE_ROOT;
        }
        String text = tokenUrl;
        int query = text.indexOf('?');
        text = query < 0 ? text : text.substring(0, query);
        return text.substring(0, text.lastIndexOf('/') + 1);
    }

    private static PrivateKey privateKey(String pem) throws GeneralSecurityException {
        String body = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    private static String slash(String url) {
        return url.endsWith("/") ? url : url + "/";
    }

    /** The component's client factory: the connection's client, whatever the component's own settings. */
    private record BoundClient(Drive drive) implements GoogleDriveClientFactory {
        @Override
        public Drive makeClient(String clientId, String clientSecret, java.util.Collection<String> scopes, String applicationName,
                                String refreshToken, String accessToken) {
            return drive;
        }

        @Override
        public Drive makeClient(CamelContext camelContext, String serviceAccountKey, java.util.Collection<String> scopes,
                                String applicationName, String delegate) {
            return drive;
        }
    }

    static boolean isServiceAccount(ConnectionContext connection) {
        return connection.credential("serviceAccountJson") != null;
    }
}
