package security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import sandbox.kit.SandboxCertificate;

/** The Microsoft adapters' trust: the sandbox certificate when the sandboxes are on, and no other self-signed one. */
class SandboxTrustTest {

    @TempDir
    Path temp;

    @Test
    void trustsTheSandboxCertificateAndNotAnotherSelfSignedOne() throws Exception {
        SandboxCertificate sandbox = SandboxCertificate.loadOrCreate(temp.resolve("sandbox-tls"));
        SandboxCertificate stranger = SandboxCertificate.loadOrCreate(temp.resolve("elsewhere"));
        SandboxTrust trust = new SandboxTrust(true, sandbox.directory().toString());
        HttpClient client = trust.httpClient().build();

        assertThat(get(client, sandbox.serverContext())).isEqualTo("hello");
        assertThatThrownBy(() -> get(client, stranger.serverContext())).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void withTheSandboxesOffItIsTheJdkTrustAlone() throws Exception {
        SandboxCertificate sandbox = SandboxCertificate.loadOrCreate(temp.resolve("sandbox-tls"));
        SandboxTrust off = new SandboxTrust(false, sandbox.directory().toString());
        assertThat(off.sslContext()).isSameAs(SSLContext.getDefault());
        assertThatThrownBy(() -> get(off.httpClient().build(), sandbox.serverContext())).isInstanceOf(SSLHandshakeException.class);
        // on, but no certificate made yet: the JDK's trust until it appears
        SandboxTrust early = new SandboxTrust(true, temp.resolve("not-yet").toString());
        assertThat(early.sslContext()).isSameAs(SSLContext.getDefault());
        SandboxCertificate.loadOrCreate(temp.resolve("not-yet"));
        assertThat(early.sslContext()).isNotSameAs(SSLContext.getDefault());
    }

    @Test
    void theCertificateIsKeptInItsDirectory() throws Exception {
        SandboxCertificate first = SandboxCertificate.loadOrCreate(temp);
        byte[] keystore = Files.readAllBytes(first.keyStorePath());
        SandboxCertificate second = SandboxCertificate.loadOrCreate(temp);
        assertThat(second.certificate()).isEqualTo(first.certificate());
        assertThat(Files.readAllBytes(second.keyStorePath())).isEqualTo(keystore);
        assertThat(Files.readString(first.pemPath())).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.getPosixFilePermissions(first.keyStorePath())).containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    /** GET / from a local https server presenting {@code server}'s certificate. */
    private static String get(HttpClient client, SSLContext server) throws Exception {
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(server));
        https.createContext("/", exchange -> {
            byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        https.start();
        try {
            return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + https.getAddress().getPort() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } finally {
            https.stop(0);
        }
    }
}
