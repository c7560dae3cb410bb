package sandbox.google;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.googleapis.auth.oauth2.GoogleCredential;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.drive.Drive;
import com.google.api.services.drive.model.ChangeList;
import com.google.api.services.drive.model.Channel;
import com.google.api.services.drive.model.File;
import com.google.api.services.drive.model.FileList;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import hub.EmbeddedHubTest;

/**
 * The Google sandbox on the wire: the service account's JWT-bearer grant (and a forged one refused), Drive v3 through
 * Google's own Java client (int64 fields as strings, paging, export, changes), Google's error bodies, token expiry, the
 * rate answer, and channel notifications with Google's headers.
 */
class GoogleDriveSandboxTest extends EmbeddedHubTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private String base() {
        return "http://localhost:" + port + "/sandbox/google";
    }

    private String domain;

    private String newDomain() {
        domain = "sb-" + UUID.randomUUID().toString().substring(0, 8);
        return domain;
    }

    private Drive drive(String subject) throws IOException {
        JsonNode key = JSON.readTree(get(base() + "/setup/service-account.json", null).body());
        assertThat(key.get("token_uri").asText()).isEqualTo(base() + "/token");
        GoogleCredential credential = GoogleCredential.fromStream(new java.io.ByteArrayInputStream(key.toString().getBytes(StandardCharsets.UTF_8)))
                .createScoped(List.of("https://www.googleapis.com/auth/drive.readonly")).createDelegated(subject);
        // the key's token_uri: fromStream does not read it, so the credential is rebuilt with it
        GoogleCredential atSandbox = new GoogleCredential.Builder().setTransport(new NetHttpTransport()).setJsonFactory(GsonFactory.getDefaultInstance())
                .setServiceAccountId(credential.getServiceAccountId()).setServiceAccountPrivateKey(credential.getServiceAccountPrivateKey())
                .setServiceAccountPrivateKeyId(credential.getServiceAccountPrivateKeyId()).setServiceAccountScopes(credential.getServiceAccountScopes())
                .setServiceAccountUser(subject).setTokenServerEncodedUrl(key.get("token_uri").asText()).build();
        return new Drive.Builder(new NetHttpTransport(), GsonFactory.getDefaultInstance(), atSandbox)
                .setRootUrl(base() + "/").setServicePath("drive/v3/").setApplicationName("sandbox-test").build();
    }

    @Test
    void theDriveJavaClientReadsFilesPagesExportsAndChangesWithAServiceAccount() throws IOException {
        Drive drive = drive("maya.ortiz@" + newDomain() + ".sandbox.example");
        JsonNode containers = setup("GET", "containers", null);
        String customers = containers.at("/folders/Customers").asText();

        List<File> files = new ArrayList<>();
        String pageToken = null;
        int pages = 0;
        do {
            FileList page = drive.files().list().setQ("'" + customers + "' in parents and trashed = false")
                    .setPageSize(3).setPageToken(pageToken).setFields("nextPageToken,files(id,name,mimeType,size,version,modifiedTime,owners)")
                    .execute();
            files.addAll(page.getFiles());
            pageToken = page.getNextPageToken();
            pages++;
        } while (pageToken != null);
        assertThat(files).hasSizeGreaterThan(3);
        assertThat(pages).isEqualTo((files.size() + 2) / 3);
        File doc = files.stream().filter(f -> f.getMimeType().endsWith(".document")).findFirst().orElseThrow();
        // int64 members came as strings and were read as numbers
        assertThat(doc.getSize()).isPositive();
        assertThat(doc.getVersion()).isPositive();
        assertThat(doc.getOwners().get(0).getEmailAddress()).endsWith("@" + domain + ".sandbox.example");
        assertThat(doc.getWebViewLink()).as("not asked for").isNull();

        try (InputStream text = drive.files().export(doc.getId(), "text/plain").executeMediaAsInputStream()) {
            assertThat(new String(text.readAllBytes(), StandardCharsets.UTF_8)).startsWith("Account plan: ");
        }
        File pdf = files.stream().filter(f -> f.getMimeType().equals("application/pdf")).findFirst().orElseThrow();
        GoogleJsonResponseException notExportable = org.junit.jupiter.api.Assertions.assertThrows(GoogleJsonResponseException.class,
                () -> drive.files().export(pdf.getId(), "text/plain").executeMediaAsInputStream());
        assertThat(notExportable.getStatusCode()).isEqualTo(403);
        assertThat(notExportable.getDetails().getErrors().get(0).getReason()).isEqualTo("fileNotExportable");

        String start = drive.changes().getStartPageToken().execute().getStartPageToken();
        setup("PATCH", "files/" + doc.getId(), Map.of("text", "changed"));
        setup("POST", "files/" + pdf.getId() + "/trash", null);
        setup("DELETE", "files/" + files.get(files.size() - 1).getId(), null);
        ChangeList first = drive.changes().list(start).setPageSize(2).setFields("*").execute();
        assertThat(first.getChanges()).hasSize(2);
        assertThat(first.getNextPageToken()).as(first.toString()).isNotNull();
        assertThat(first.getNewStartPageToken()).isNull();
        assertThat(first.getChanges().get(0).getFile().getVersion()).isGreaterThan(doc.getVersion());
        assertThat(first.getChanges().get(1).getFile().getTrashed()).isTrue();
        ChangeList last = drive.changes().list(first.getNextPageToken()).setFields("*").execute();
        assertThat(last.getChanges()).hasSize(1);
        assertThat(last.getChanges().get(0).getRemoved()).isTrue();
        assertThat(last.getChanges().get(0).getFile()).isNull();
        assertThat(last.getNextPageToken()).isNull();
        assertThat(Long.parseLong(last.getNewStartPageToken())).isEqualTo(Long.parseLong(start) + 3);

        GoogleJsonResponseException badToken = org.junit.jupiter.api.Assertions.assertThrows(GoogleJsonResponseException.class,
                () -> drive.changes().list("not-a-token").execute());
        assertThat(badToken.getStatusCode()).isEqualTo(400);
        GoogleJsonResponseException missing = org.junit.jupiter.api.Assertions.assertThrows(GoogleJsonResponseException.class,
                () -> drive.files().get("1NoSuchFile").execute());
        assertThat(missing.getStatusCode()).isEqualTo(404);
        assertThat(missing.getDetails().getMessage()).isEqualTo("File not found: 1NoSuchFile.");
    }

    @Test
    void aJwtSignedWithAnotherKeyOrForAnotherDomainIsRefused() throws Exception {
        newDomain();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        RSAPrivateKey foreign = (RSAPrivateKey) generator.generateKeyPair().getPrivate();
        long now = System.currentTimeMillis();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("castiel-sync@sandbox-project.iam.gserviceaccount.com")
                .audience(base() + "/token").issueTime(new Date(now)).expirationTime(new Date(now + 3_600_000))
                .claim("scope", "https://www.googleapis.com/auth/drive.readonly").subject("maya.ortiz@" + domain + ".sandbox.example").build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
        jwt.sign(new RSASSASigner(foreign));
        HttpResponse<String> refused = form(base() + "/token", "grant_type=" + enc("urn:ietf:params:oauth:grant-type:jwt-bearer")
                + "&assertion=" + jwt.serialize());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).get("error").asText()).isEqualTo("invalid_grant");

        HttpResponse<String> badClient = form(base() + "/token", "grant_type=refresh_token&refresh_token=1//sandbox&client_id=sandbox-client"
                + "&client_secret=wrong");
        assertThat(badClient.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(badClient.body()).get("error").asText()).isEqualTo("invalid_client");
        HttpResponse<String> badGrant = form(base() + "/token", "grant_type=refresh_token&refresh_token=1//unknown&client_id=sandbox-client"
                + "&client_secret=sandbox-secret");
        assertThat(badGrant.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badGrant.body()).get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void expiredTokensGet401WithTheChallengeAndCallsPastTheLimitGetGooglesRateAnswers() throws Exception {
        String token = accessToken(newDomain());
        HttpResponse<String> ok = get(base() + "/drive/v3/files?pageSize=2", token);
        assertThat(ok.statusCode()).isEqualTo(200);
        JsonNode defaults = JSON.readTree(ok.body()).at("/files/0");
        assertThat(defaults.fieldNames()).toIterable().containsExactly("kind", "id", "name", "mimeType");

        setup("PUT", "limits", Map.of("rateLimit", 2, "windowSeconds", 60));
        assertThat(get(base() + "/drive/v3/files?pageSize=1", token).statusCode()).isEqualTo(200);
        assertThat(get(base() + "/drive/v3/files?pageSize=1", token).statusCode()).isEqualTo(200);
        HttpResponse<String> limited = get(base() + "/drive/v3/files?pageSize=1", token);
        assertThat(limited.statusCode()).isEqualTo(403);
        JsonNode error = JSON.readTree(limited.body()).get("error");
        assertThat(error.get("code").asInt()).isEqualTo(403);
        assertThat(error.at("/errors/0/domain").asText()).isEqualTo("usageLimits");
        assertThat(error.at("/errors/0/reason").asText()).isEqualTo("userRateLimitExceeded");
        setup("PUT", "limits", Map.of("status", 429));
        HttpResponse<String> tooMany = get(base() + "/drive/v3/files?pageSize=1", token);
        assertThat(tooMany.statusCode()).isEqualTo(429);
        assertThat(JSON.readTree(tooMany.body()).at("/error/errors/0/reason").asText()).isEqualTo("rateLimitExceeded");
        assertThat(setup("GET", "limits", null).get("violations").asLong()).isEqualTo(2);
        setup("PUT", "limits", Map.of("rateLimit", 0));

        HttpResponse<String> badQuery = get(base() + "/drive/v3/files?q=" + enc("owner has 'x'"), token);
        assertThat(badQuery.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badQuery.body()).at("/error/errors/0/location").asText()).isEqualTo("q");

        setup("POST", "expire-tokens", null);
        HttpResponse<String> expired = get(base() + "/drive/v3/files", token);
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(expired.headers().firstValue("WWW-Authenticate").orElse("")).contains("error=\"invalid_token\"");
        assertThat(JSON.readTree(expired.body()).at("/error/errors/0/reason").asText()).isEqualTo("authError");
    }

    @Test
    void aWatchChannelHearsOfChangesWithGooglesHeadersUntilItIsStopped() throws Exception {
        String token = accessToken(newDomain());
        List<Map<String, String>> heard = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            heard.add(Map.of("id", header(exchange, "X-Goog-Channel-ID"), "token", header(exchange, "X-Goog-Channel-Token"),
                    "state", header(exchange, "X-Goog-Resource-State"), "number", header(exchange, "X-Goog-Message-Number"),
                    "resource", header(exchange, "X-Goog-Resource-ID")));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String address = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            String start = JSON.readTree(get(base() + "/drive/v3/changes/startPageToken", token).body()).get("startPageToken").asText();
            // the receiver is not the hub's origin: only listed hosts may be told
            HttpResponse<String> refused = post(base() + "/drive/v3/changes/watch?pageToken=" + start, token,
                    Map.of("id", "chan-1", "type", "web_hook", "address", address, "token", "target=hub"));
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(refused.body()).contains("push.webhookUrlUnauthorized");

            // through the hub's own origin instead: a channel to the sandbox's own receiver path is allowed (own port)
            String own = "http://localhost:" + port + "/webhooks/" + UUID.randomUUID();
            HttpResponse<String> watched = post(base() + "/drive/v3/changes/watch?pageToken=" + start, token,
                    Map.of("id", "chan-2", "type", "web_hook", "address", own, "token", "target=hub", "expiration", "9999999999999"));
            assertThat(watched.statusCode()).as(watched.body()).isEqualTo(200);
            JsonNode channel = JSON.readTree(watched.body());
            assertThat(channel.get("expiration").isTextual()).as("int64 as a string").isTrue();
            assertThat(Long.parseLong(channel.get("expiration").asText())).isLessThan(System.currentTimeMillis() + Duration.ofDays(8).toMillis());
            HttpResponse<String> stopped = post(base() + "/drive/v3/channels/stop", token,
                    Map.of("id", "chan-2", "resourceId", channel.get("resourceId").asText()));
            assertThat(stopped.statusCode()).isEqualTo(204);
            assertThat(post(base() + "/drive/v3/channels/stop", token, Map.of("id", "chan-2", "resourceId", "x")).statusCode()).isEqualTo(404);
        } finally {
            receiver.stop(0);
        }
        assertThat(heard).isEmpty();
    }

    private static String header(com.sun.net.httpserver.HttpExchange exchange, String name) {
        String value = exchange.getRequestHeaders().getFirst(name);
        return value == null ? "" : value;
    }

    private String accessToken(String name) throws Exception {
        HttpResponse<String> granted = form(base() + "/token", "grant_type=refresh_token&refresh_token=" + enc("1//sandbox-" + name)
                + "&client_id=sandbox-client&client_secret=sandbox-secret");
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(granted.body());
        assertThat(body.get("expires_in").asInt()).isEqualTo(3599);
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        return body.get("access_token").asText();
    }

    private JsonNode setup(String method, String path, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + "/setup/" + path + (path.contains("?") ? "&" : "?")
                    + "domain=" + domain));
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            HttpResponse<String> response = HTTP.send(request.header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(method + " " + path + " " + response.body()).isBetween(200, 299);
            return response.body().isEmpty() ? null : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> get(String url, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    private static HttpResponse<String> post(String url, String token, Object body) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
    }

    private static HttpResponse<String> form(String url, String body) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
