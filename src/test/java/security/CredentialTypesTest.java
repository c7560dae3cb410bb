package security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;


/** Each of the nine credential types: a valid set is accepted (trimmed), and each kind of mistake is named. */
class CredentialTypesTest {

    private static final String CERT = resource("client-cert.pem");
    private static final String KEY = resource("client-key.pem");
    private static final String OTHER_KEY = resource("other-key.pem");

    static Map<String, Map<String, Object>> validExamples() {
        String serviceAccount;
        try {
            serviceAccount = new ObjectMapper().writeValueAsString(Map.of("type", "service_account", "project_id", "p",
                    "client_email", "hub@p.iam.gserviceaccount.com", "private_key", KEY, "token_uri", "https://oauth2.googleapis.com/token"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of(
                CredentialTypes.OAUTH2_AUTHORIZATION_CODE, Map.of("clientId", "cid", "clientSecret", "cs-0f9e8d7c", "accessToken", "at-1a2b3c4d5e",
                        "refreshToken", "rt-6f7a8b9c0d", "expiresAt", "2030-01-01T00:00:00Z"),
                CredentialTypes.OAUTH2_CLIENT_CREDENTIALS, Map.of("clientId", "cid", "clientSecret", "cs",
                        "tokenUrl", "https://login.example.com/oauth2/token"),
                CredentialTypes.OAUTH2_JWT_BEARER, Map.of("clientId", "cid", "subject", "user@example.com", "privateKey", KEY,
                        "tokenUrl", "https://login.example.com/services/oauth2/token"),
                CredentialTypes.API_KEY, Map.of("apiKey", "  k-123  ", "headerName", "X-Api-Key"),
                CredentialTypes.BASIC, Map.of("username", "svc", "password", "p w"),
                CredentialTypes.BEARER_TOKEN, Map.of("token", "tok-5b7e0c9a1d", "expiresAt", "2030-01-01T00:00:00+02:00"),
                CredentialTypes.SERVICE_ACCOUNT, Map.of("serviceAccountJson", serviceAccount),
                CredentialTypes.CERTIFICATE, Map.of("certificate", CERT, "privateKey", KEY),
                CredentialTypes.WEBHOOK_SECRET, Map.of("secret", "0123456789abcdef0123"));
    }

    @Test
    void everyTypeAcceptsAValidSetAndKeepsItTrimmed() {
        assertThat(CredentialTypes.names()).hasSize(9);
        validExamples().forEach((type, given) -> {
            Map<String, String> stored = CredentialTypes.validate(type, given);
            assertThat(stored.keySet()).as(type).isEqualTo(given.keySet());
            given.forEach((field, value) -> assertThat(stored.get(field)).as(type + "." + field).isEqualTo(value.toString().trim()));
        });
    }

    @Test
    void missingUnknownAndMalformedFieldsAreNamed() {
        assertField(CredentialTypes.BASIC, Map.of("username", "svc"), "password", "required");
        assertField(CredentialTypes.BASIC, Map.of("username", "a:b", "password", "x"), "username", "':'");
        assertField(CredentialTypes.API_KEY, Map.of("apiKey", "k", "colour", "red"), "colour", "not a field");
        assertField(CredentialTypes.API_KEY, Map.of("apiKey", "k 1"), "apiKey", "whitespace");
        assertField(CredentialTypes.OAUTH2_CLIENT_CREDENTIALS, Map.of("clientId", "c", "clientSecret", "s", "tokenUrl", "ftp://x"),
                "tokenUrl", "http(s) URL");
        assertField(CredentialTypes.BEARER_TOKEN, Map.of("token", "t", "expiresAt", "tomorrow"), "expiresAt", "ISO-8601");
        assertField(CredentialTypes.OAUTH2_JWT_BEARER, Map.of("clientId", "c", "subject", "s", "privateKey", "not a key",
                "tokenUrl", "https://x.example"), "privateKey", "PKCS#8");
        assertField(CredentialTypes.CERTIFICATE, Map.of("certificate", "garbage", "privateKey", KEY), "certificate", "X.509");
        assertField(CredentialTypes.CERTIFICATE, Map.of("certificate", CERT, "privateKey", OTHER_KEY), "privateKey", "does not belong");
        assertField(CredentialTypes.SERVICE_ACCOUNT, Map.of("serviceAccountJson", "{\"type\":\"authorized_user\"}"),
                "serviceAccountJson", "service_account");
        assertField(CredentialTypes.SERVICE_ACCOUNT, Map.of("serviceAccountJson",
                "{\"type\":\"service_account\",\"client_email\":\"a@b\",\"private_key\":\"x\",\"token_uri\":\"https://t.example\"}"),
                "serviceAccountJson.private_key", "PKCS#8");
        assertField(CredentialTypes.WEBHOOK_SECRET, Map.of("secret", "short"), "secret", "16");
        assertField("kerberos", Map.of(), "type", "unknown credential type");
    }

    @Test
    void messagesNeverRepeatTheValue() {
        Map<String, Object> given = new HashMap<>(Map.of("apiKey", "SuperSecret Value"));
        assertThatThrownBy(() -> CredentialTypes.validate(CredentialTypes.API_KEY, given)).hasMessageNotContaining("SuperSecret");
    }

    private static void assertField(String type, Map<String, Object> given, String field, String reason) {
        assertThatThrownBy(() -> CredentialTypes.validate(type, given)).as(type + " " + given.keySet())
                .isInstanceOfSatisfying(InvalidCredentialsException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).contains(reason);
                });
    }

    private static String resource(String name) {
        try (var in = CredentialTypesTest.class.getResourceAsStream("/credentials/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
