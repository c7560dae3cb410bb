package security;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;


/**
 * The hub's nine credential types and what each must hold. {@link #validate} checks the fields a
 * type requires and their formats (URLs, dates, PEM keys and certificates, a Google service-account
 * key) and answers the credentials to store, trimmed, or throws naming the field at fault. Error
 * messages never repeat a value.
 */
public final class CredentialTypes {

    public static final String OAUTH2_AUTHORIZATION_CODE = "oauth2_authorization_code";
    public static final String OAUTH2_CLIENT_CREDENTIALS = "oauth2_client_credentials";
    public static final String OAUTH2_JWT_BEARER = "oauth2_jwt_bearer";
    public static final String API_KEY = "api_key";
    public static final String BASIC = "basic";
    public static final String BEARER_TOKEN = "bearer_token";
    public static final String SERVICE_ACCOUNT = "service_account";
    public static final String CERTIFICATE = "certificate";
    public static final String WEBHOOK_SECRET = "webhook_secret";

    /** A field of a type: required or not, and its format check (null: any non-blank text). */
    private record Field(String name, boolean required, BiConsumer<String, String> check) {
    }

    /** What a form asks for a field of a type: its name, whether it is required, and whether it is secret (never shown back). */
    public record FieldSpec(String name, boolean required, boolean secret) {
    }

    /** The fields of the nine types that hold secrets: entered hidden, never shown back. */
    private static final Set<String> SECRET_FIELDS = Set.of("clientSecret", "accessToken", "refreshToken", "privateKey", "apiKey",
            "password", "token", "serviceAccountJson", "secret");

    /** Credential fields holding a URL the hub calls (a provider's loginUrl too): the outbound guard checks them. */
    private static final Set<String> CALLED_URLS = Set.of("tokenUrl", "instanceUrl", "identityUrl", "loginUrl");

    private static final Pattern TOKEN_CHARS = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Map<String, List<Field>> TYPES = Map.of(
            OAUTH2_AUTHORIZATION_CODE, List.of(required("clientId"), required("clientSecret"), required("accessToken"),
                    optional("refreshToken"), new Field("expiresAt", false, CredentialTypes::instant),
                    new Field("tokenUrl", false, CredentialTypes::url), optional("scope"), new Field("instanceUrl", false, CredentialTypes::url),
                    new Field("identityUrl", false, CredentialTypes::url)),
            OAUTH2_CLIENT_CREDENTIALS, List.of(required("clientId"), required("clientSecret"), new Field("tokenUrl", true, CredentialTypes::url),
                    optional("scope"), optional("audience")),
            OAUTH2_JWT_BEARER, List.of(required("clientId"), required("subject"), new Field("privateKey", true, CredentialTypes::privateKey),
                    new Field("tokenUrl", true, CredentialTypes::url), optional("audience"), optional("scope")),
            API_KEY, List.of(new Field("apiKey", true, CredentialTypes::noWhitespace), new Field("headerName", false, CredentialTypes::headerName)),
            BASIC, List.of(new Field("username", true, CredentialTypes::noColon), required("password")),
            BEARER_TOKEN, List.of(new Field("token", true, CredentialTypes::noWhitespace), new Field("expiresAt", false, CredentialTypes::instant)),
            SERVICE_ACCOUNT, List.of(new Field("serviceAccountJson", true, CredentialTypes::serviceAccount), optional("subject"),
                    optional("scope")),
            CERTIFICATE, List.of(new Field("certificate", true, CredentialTypes::certificate),
                    new Field("privateKey", true, CredentialTypes::privateKey)),
            WEBHOOK_SECRET, List.of(new Field("secret", true, CredentialTypes::longSecret)));

    private CredentialTypes() {
    }

    public static Set<String> names() {
        return new java.util.TreeSet<>(TYPES.keySet());
    }

    public static boolean isKnown(String type) {
        return TYPES.containsKey(type);
    }

    /** The fields {@link #validate} takes for a type, in order (the console's connect form is made from them); none for an unknown type. */
    public static List<FieldSpec> fields(String type) {
        return TYPES.getOrDefault(type, List.of()).stream()
                .map(f -> new FieldSpec(f.name(), f.required(), SECRET_FIELDS.contains(f.name()))).toList();
    }

    /**
     * The credentials of a type, checked and trimmed.
     *
     * @throws InvalidCredentialsException naming the missing, unknown or malformed field
     */
    public static Map<String, String> validate(String type, Map<String, Object> given) {
        List<Field> fields = TYPES.get(type);
        if (fields == null) {
            throw new InvalidCredentialsException("type", "unknown credential type '" + type + "'; one of " + String.join(", ", names()));
        }
        Map<String, Object> values = given == null ? Map.of() : given;
        for (String name : values.keySet()) {
            if (fields.stream().noneMatch(f -> f.name().equals(name))) {
                throw new InvalidCredentialsException(name, "not a field of " + type + " (fields: "
                        + String.join(", ", fields.stream().map(Field::name).toList()) + ")");
            }
        }
        Map<String, String> credentials = new LinkedHashMap<>();
        for (Field field : fields) {
            Object value = values.get(field.name());
            if (value == null || (value instanceof String s && s.isBlank())) {
                if (field.required()) {
                    throw new InvalidCredentialsException(field.name(), "required for " + type);
                }
                continue;
            }
            if (!(value instanceof String text)) {
                throw new InvalidCredentialsException(field.name(), "must be a string");
            }
            String trimmed = text.trim();
            if (field.check() != null) {
                field.check().accept(field.name(), trimmed);
            }
            credentials.put(field.name(), trimmed);
        }
        if (CERTIFICATE.equals(type)) {
            keyMatchesCertificate(credentials.get("certificate"), credentials.get("privateKey"));
        }
        return credentials;
    }

    /** The credentials that are URLs the hub calls, by field name. */
    public static Map<String, String> urlFields(Map<String, String> credentials) {
        Map<String, String> urls = new LinkedHashMap<>();
        credentials.forEach((name, value) -> {
            if (CALLED_URLS.contains(name) && value != null) {
                urls.put(name, value);
            }
        });
        return urls;
    }

    // ------------------------------------------------------------------ checks

    private static Field required(String name) {
        return new Field(name, true, null);
    }

    private static Field optional(String name) {
        return new Field(name, false, null);
    }

    private static void url(String field, String value) {
        try {
            URI uri = URI.create(value);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidCredentialsException(field, "must be an http(s) URL");
        }
    }

    private static void instant(String field, String value) {
        try {
            OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidCredentialsException(field, "must be an ISO-8601 date-time with offset, e.g. 2026-01-01T00:00:00Z");
        }
    }

    private static void noWhitespace(String field, String value) {
        if (value.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidCredentialsException(field, "must not contain whitespace");
        }
    }

    private static void noColon(String field, String value) {
        if (value.contains(":")) {
            throw new InvalidCredentialsException(field, "must not contain ':' (HTTP Basic separates user and password with it)");
        }
    }

    private static void headerName(String field, String value) {
        if (!TOKEN_CHARS.matcher(value).matches()) {
            throw new InvalidCredentialsException(field, "must be an HTTP header name");
        }
    }

    private static void longSecret(String field, String value) {
        if (value.length() < 16) {
            throw new InvalidCredentialsException(field, "must be at least 16 characters");
        }
    }

    private static void privateKey(String field, String value) {
        parsePrivateKey(field, value);
    }

    private static void certificate(String field, String value) {
        X509Certificate certificate = parseCertificate(field, value);
        if (certificate.getNotAfter().toInstant().isBefore(Instant.now())) {
            throw new InvalidCredentialsException(field, "the certificate expired on " + certificate.getNotAfter().toInstant());
        }
    }

    private static void serviceAccount(String field, String value) {
        JsonNode key;
        try {
            key = JSON.readTree(value);
        } catch (java.io.IOException e) {
            throw new InvalidCredentialsException(field, "must be the JSON key file Google issues for a service account");
        }
        if (key == null || !key.isObject() || !"service_account".equals(key.path("type").asText())) {
            throw new InvalidCredentialsException(field, "must be a Google key with \"type\": \"service_account\"");
        }
        for (String required : List.of("client_email", "private_key", "token_uri")) {
            if (key.path(required).asText("").isBlank()) {
                throw new InvalidCredentialsException(field + "." + required, "required in a service-account key");
            }
        }
        if (!key.path("client_email").asText().contains("@")) {
            throw new InvalidCredentialsException(field + ".client_email", "must be an email address");
        }
        url(field + ".token_uri", key.path("token_uri").asText());
        parsePrivateKey(field + ".private_key", key.path("private_key").asText());
    }

    private static void keyMatchesCertificate(String certificatePem, String keyPem) {
        X509Certificate certificate = parseCertificate("certificate", certificatePem);
        PrivateKey key = parsePrivateKey("privateKey", keyPem);
        String algorithm = "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
        try {
            byte[] probe = "castiel-key-pair-check".getBytes(StandardCharsets.UTF_8);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new InvalidCredentialsException("privateKey", "does not belong to the certificate");
            }
        } catch (GeneralSecurityException e) {
            throw new InvalidCredentialsException("privateKey", "does not belong to the certificate");
        }
    }

    private static X509Certificate parseCertificate(String field, String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException | ClassCastException e) {
            throw new InvalidCredentialsException(field, "must be an X.509 certificate in PEM (-----BEGIN CERTIFICATE-----)");
        }
    }

    private static PrivateKey parsePrivateKey(String field, String pem) {
        String body = pem.replace("\\n", "\n");
        if (!body.contains("-----BEGIN PRIVATE KEY-----") || !body.contains("-----END PRIVATE KEY-----")) {
            throw new InvalidCredentialsException(field, "must be a PKCS#8 private key in PEM (-----BEGIN PRIVATE KEY-----)");
        }
        String base64 = body.substring(body.indexOf("-----BEGIN PRIVATE KEY-----") + 27, body.indexOf("-----END PRIVATE KEY-----"))
                .replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new InvalidCredentialsException(field, "the PEM body is not base64");
        }
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new InvalidCredentialsException(field, "not an RSA or EC private key");
    }
}
