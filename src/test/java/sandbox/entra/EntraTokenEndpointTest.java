package sandbox.entra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import hub.EmbeddedHubTest;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The Entra ID sandbox over HTTP, as Dynamics and Graph clients reach it. */
class EntraTokenEndpointTest extends EmbeddedHubTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String DYNAMICS = "https://org.crm.dynamics.com";
    private static final String GRAPH = "https://graph.microsoft.com";

    @Autowired
    private EntraTokens tokens;

    @Test
    void clientCredentialsGiveASignedTokenForTheScopesResource() throws Exception {
        HttpResponse<String> response = token("sandbox-tenant", form(DYNAMICS + "/.default", "sandbox-secret"), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json;charset=utf-8");
        assertThat(response.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        JsonNode body = JSON.readTree(response.body());
        List<String> fields = new ArrayList<>();
        body.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("token_type", "expires_in", "ext_expires_in", "access_token");
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").asLong()).isEqualTo(3599);
        assertThat(body.get("ext_expires_in").asLong()).isEqualTo(3599);

        SignedJWT jwt = SignedJWT.parse(body.get("access_token").asText());
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getAudience()).containsExactly(DYNAMICS);
        assertThat(claims.getStringClaim("tid")).isEqualTo(EntraTokens.TENANT_ID);
        assertThat(claims.getStringClaim("appid")).isEqualTo("sandbox-client");
        assertThat(claims.getStringClaim("azp")).isEqualTo("sandbox-client");
        assertThat(claims.getStringClaim("idtyp")).isEqualTo("app");
        assertThat(claims.getStringListClaim("roles")).isEmpty();
        assertThat(claims.getIssuer()).isEqualTo(base() + "/" + EntraTokens.TENANT_ID + "/v2.0");
        assertThat(claims.getExpirationTime().toInstant())
                .isBetween(Instant.now().plusSeconds(3500), Instant.now().plusSeconds(3600));

        // the published keys verify it, and the sandbox's own check accepts it for its audience only
        JsonNode metadata = JSON.readTree(get(base() + "/sandbox-tenant/v2.0/.well-known/openid-configuration").body());
        JWKSet keys = JWKSet.parse(get(metadata.get("jwks_uri").asText()).body());
        RSAKey key = keys.getKeyByKeyId(jwt.getHeader().getKeyID()).toRSAKey();
        assertThat(key.isPrivate()).isFalse();
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
        assertThat(tokens.validate(body.get("access_token").asText(), DYNAMICS + "/")).isPresent();
        assertThat(tokens.validate(body.get("access_token").asText(), GRAPH)).isEmpty();
    }

    @Test
    void graphTokensCarryTheGrantedApplicationRolesAndTheSecretMayComeAsBasic() throws Exception {
        Map<String, String> form = new LinkedHashMap<>(Map.of("grant_type", "client_credentials",
                "scope", GRAPH + "/.default", "client_info", "1", "x-client-SKU", "msal.js.node"));
        String basic = "Basic " + Base64.getEncoder().encodeToString("sandbox-client:sandbox-secret".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = token(EntraTokens.TENANT_ID, form, basic);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JWTClaimsSet claims = SignedJWT.parse(JSON.readTree(response.body()).get("access_token").asText()).getJWTClaimsSet();
        assertThat(claims.getAudience()).containsExactly(GRAPH);
        assertThat(claims.getStringListClaim("roles")).contains("Files.Read.All", "ChannelMessage.Read.All");
    }

    @Test
    void aWrongSecretIsInvalidClientWithEntrasErrorBody() throws Exception {
        String correlation = "4f7e1c2a-9b3d-4e5f-8a6b-0c1d2e3f4a5b";
        HttpResponse<String> response = token("sandbox-tenant", form(GRAPH + "/.default", "wrong"), null, correlation);
        JsonNode body = assertEntraError(response, 401, "invalid_client", 7000215);
        assertThat(body.get("correlation_id").asText()).isEqualTo(correlation);
        assertThat(body.get("error_description").asText()).contains("Invalid client secret provided")
                .contains("\r\nTrace ID: " + body.get("trace_id").asText())
                .contains("\r\nCorrelation ID: " + correlation)
                .contains("\r\nTimestamp: " + body.get("timestamp").asText())
                .doesNotContain("wrong");
        assertThat(body.get("timestamp").asText()).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}Z");

        Map<String, String> noSecret = form(GRAPH + "/.default", "");
        assertEntraError(token("sandbox-tenant", noSecret, null), 401, "invalid_client", 7000218);
        Map<String, String> otherApp = form(GRAPH + "/.default", "sandbox-secret");
        otherApp.put("client_id", "someone-else");
        assertEntraError(token("sandbox-tenant", otherApp, null), 400, "unauthorized_client", 700016);
    }

    @Test
    void anUnknownTenantIsNotFound() throws Exception {
        JsonNode body = assertEntraError(token("contoso.onmicrosoft.com", form(GRAPH + "/.default", "sandbox-secret"), null),
                400, "invalid_request", 90002);
        assertThat(body.get("error_description").asText()).contains("Tenant 'contoso.onmicrosoft.com' not found");
        assertEntraError(get(base() + "/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration"),
                400, "invalid_request", 90002);
    }

    @Test
    void otherGrantTypesAreUnsupported() throws Exception {
        Map<String, String> form = form(GRAPH + "/.default", "sandbox-secret");
        form.put("grant_type", "password");
        JsonNode body = assertEntraError(token("sandbox-tenant", form, null), 400, "unsupported_grant_type", 70003);
        assertThat(body.get("error_description").asText()).contains("'password'");
        form.remove("grant_type");
        assertEntraError(token("sandbox-tenant", form, null), 400, "invalid_request", 900144);
    }

    @Test
    void aMissingOrInvalidScopeIsRefused() throws Exception {
        Map<String, String> form = form(GRAPH + "/.default", "sandbox-secret");
        form.remove("scope");
        JsonNode body = assertEntraError(token("sandbox-tenant", form, null), 400, "invalid_request", 900144);
        assertThat(body.get("error_description").asText()).contains("'scope'");
        for (String scope : List.of(GRAPH + "/Files.Read.All", GRAPH + "/.default " + DYNAMICS + "/.default", "/.default")) {
            assertEntraError(token("sandbox-tenant", form(scope, "sandbox-secret"), null), 400, "invalid_scope", 70011);
        }
    }

    @Test
    void theMetadataDocumentPointsAtThisSandbox() throws Exception {
        HttpResponse<String> response = get(base() + "/sandbox-tenant/v2.0/.well-known/openid-configuration");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode metadata = JSON.readTree(response.body());
        String tenantRoot = base() + "/" + EntraTokens.TENANT_ID;
        assertThat(metadata.get("token_endpoint").asText()).isEqualTo(tenantRoot + "/oauth2/v2.0/token");
        assertThat(metadata.get("authorization_endpoint").asText()).isEqualTo(tenantRoot + "/oauth2/v2.0/authorize");
        assertThat(metadata.get("issuer").asText()).isEqualTo(tenantRoot + "/v2.0");
        assertThat(metadata.get("jwks_uri").asText()).isEqualTo(tenantRoot + "/discovery/v2.0/keys");
        // the token endpoint the document names answers
        HttpResponse<String> token = HTTP.send(HttpRequest.newBuilder(URI.create(metadata.get("token_endpoint").asText()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form(GRAPH + "/.default", "sandbox-secret")))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
    }

    @Test
    void anAuthorizationCodeWithPkceGivesDelegatedTokensAndRefreshes() throws Exception {
        String verifier = "a-verifier-with-enough-entropy-0123456789-abcdefghijkl";
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                java.security.MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        String redirect = "http://localhost:3000/callback";
        String scope = "openid offline_access " + GRAPH + "/Files.Read " + GRAPH + "/Chat.Read";
        HttpResponse<String> authorize = get(base() + "/sandbox-tenant/oauth2/v2.0/authorize?" + encode(Map.of(
                "client_id", "sandbox-client", "response_type", "code", "redirect_uri", redirect, "scope", scope,
                "state", "s-1", "code_challenge", challenge, "code_challenge_method", "S256")));
        assertThat(authorize.statusCode()).isEqualTo(302);
        Map<String, String> back = org.springframework.web.util.UriComponentsBuilder
                .fromUriString(authorize.headers().firstValue("Location").orElseThrow()).build().getQueryParams()
                .toSingleValueMap();
        assertThat(back.get("state")).isEqualTo("s-1");
        String code = back.get("code");

        Map<String, String> exchange = new LinkedHashMap<>(Map.of("client_id", "sandbox-client",
                "client_secret", "sandbox-secret", "grant_type", "authorization_code", "code", code,
                "redirect_uri", redirect, "code_verifier", "not-the-verifier"));
        Map<String, String> wrongVerifier = new LinkedHashMap<>(exchange);
        assertEntraError(token("sandbox-tenant", wrongVerifier, null), 400, "invalid_grant", 501481);
        // a failed redemption used the code up, as a single-use code is
        authorize = get(base() + "/sandbox-tenant/oauth2/v2.0/authorize?" + encode(Map.of("client_id", "sandbox-client",
                "response_type", "code", "redirect_uri", redirect, "scope", scope, "code_challenge", challenge,
                "code_challenge_method", "S256")));
        code = org.springframework.web.util.UriComponentsBuilder.fromUriString(
                authorize.headers().firstValue("Location").orElseThrow()).build().getQueryParams().getFirst("code");
        exchange.put("code", code);
        exchange.put("code_verifier", verifier);
        HttpResponse<String> response = token("sandbox-tenant", exchange, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        List<String> fields = new ArrayList<>();
        body.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("token_type", "scope", "expires_in", "ext_expires_in", "access_token",
                "refresh_token", "id_token");
        JWTClaimsSet claims = SignedJWT.parse(body.get("access_token").asText()).getJWTClaimsSet();
        assertThat(claims.getAudience()).containsExactly(GRAPH);
        assertThat(claims.getStringClaim("scp")).isEqualTo("Files.Read Chat.Read");
        assertThat(claims.getStringClaim("oid")).isEqualTo(EntraTokens.USER_ID);
        assertThat(SignedJWT.parse(body.get("id_token").asText()).getJWTClaimsSet().getAudience())
                .containsExactly("sandbox-client");
        assertEntraError(token("sandbox-tenant", exchange, null), 400, "invalid_grant", 70008);

        Map<String, String> refresh = new LinkedHashMap<>(Map.of("client_id", "sandbox-client",
                "client_secret", "sandbox-secret", "grant_type", "refresh_token",
                "refresh_token", body.get("refresh_token").asText()));
        HttpResponse<String> refreshed = token("sandbox-tenant", refresh, null);
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        JsonNode again = JSON.readTree(refreshed.body());
        assertThat(again.get("refresh_token").asText()).isNotEqualTo(body.get("refresh_token").asText());
        assertThat(tokens.validate(again.get("access_token").asText(), GRAPH)).isPresent();
        refresh.put("refresh_token", "unknown");
        assertEntraError(token("sandbox-tenant", refresh, null), 400, "invalid_grant", 9002313);
        refresh.put("refresh_token", body.get("refresh_token").asText());
        refresh.put("client_secret", "wrong");
        assertEntraError(token("sandbox-tenant", refresh, null), 401, "invalid_client", 7000215);
    }

    @Test
    void theAuthorizationEndpointRedirectsToThisMachineOnly() throws Exception {
        HttpResponse<String> elsewhere = get(base() + "/sandbox-tenant/oauth2/v2.0/authorize?" + encode(Map.of(
                "client_id", "sandbox-client", "response_type", "code", "redirect_uri", "https://evil.example/cb",
                "scope", GRAPH + "/Files.Read")));
        assertThat(elsewhere.headers().firstValue("Location")).isEmpty();
        assertEntraError(elsewhere, 400, "invalid_request", 50011);
        HttpResponse<String> token = get(base() + "/sandbox-tenant/oauth2/v2.0/authorize?" + encode(Map.of(
                "client_id", "sandbox-client", "response_type", "token", "redirect_uri", "http://127.0.0.1:9/cb",
                "scope", GRAPH + "/Files.Read", "state", "x")));
        assertThat(token.statusCode()).isEqualTo(302);
        assertThat(token.headers().firstValue("Location").orElseThrow())
                .isEqualTo("http://127.0.0.1:9/cb?error=unsupported_response_type&state=x");
    }

    private JsonNode assertEntraError(HttpResponse<String> response, int status, String error, int code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json;charset=utf-8");
        JsonNode body = JSON.readTree(response.body());
        List<String> fields = new ArrayList<>();
        body.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("error", "error_description", "error_codes", "timestamp", "trace_id",
                "correlation_id");
        assertThat(body.get("error").asText()).isEqualTo(error);
        assertThat(body.get("error_codes").size()).isEqualTo(1);
        assertThat(body.get("error_codes").get(0).asInt()).isEqualTo(code);
        assertThat(body.get("error_description").asText()).startsWith("AADSTS" + code + ": ");
        return body;
    }

    private String base() {
        return "http://localhost:" + port + "/sandbox/entra";
    }

    private static Map<String, String> form(String scope, String secret) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("client_id", "sandbox-client");
        form.put("scope", scope);
        form.put("client_secret", secret);
        form.put("grant_type", "client_credentials");
        return form;
    }

    private HttpResponse<String> token(String tenant, Map<String, String> form, String authorization) throws Exception {
        return token(tenant, form, authorization, null);
    }

    private HttpResponse<String> token(String tenant, Map<String, String> form, String authorization, String correlation)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + "/" + tenant + "/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form)));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (correlation != null) {
            request.header("client-request-id", correlation);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(Map<String, String> form) {
        return form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }
}
