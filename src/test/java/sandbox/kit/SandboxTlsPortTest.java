package sandbox.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import hub.EmbeddedHubTest;
import hub.HubClient;

/**
 * The sandbox TLS port (the shared test context turns it on at a free port): https with the certificate the hub made
 * in its data directory, trusted by a client that trusts that certificate and nothing else; it serves the sandboxes and
 * the webhook receiver, binds loopback only, and gives Graph registrations their https receiver URL.
 */
class SandboxTlsPortTest extends EmbeddedHubTest {

    @Autowired
    private SandboxTlsPort tlsPort;

    @Test
    void aClientTrustingOnlyTheGeneratedCertificateReachesTheSandboxesAndTheWebhookReceiver() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(trustingOnly(tlsPort.certificate().pemPath().toFile())).build();
        String origin = "https://localhost:" + tlsPort.localPort();
        assertThat(tlsPort.certificate().pemPath()).isEqualTo(dataDir().resolve("sandbox-tls").resolve(SandboxCertificate.PEM)
                .toAbsolutePath().normalize());

        HttpResponse<String> metadata = client.send(HttpRequest.newBuilder(URI.create(origin
                + "/sandbox/entra/sandbox-tenant/v2.0/.well-known/openid-configuration")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metadata.statusCode()).as(metadata.body()).isEqualTo(200);
        JsonNode config = HubClient.JSON.readTree(metadata.body());
        // Entra's metadata names the TLS origin it was reached at, as MSAL requires of an authority
        assertThat(config.get("token_endpoint").asText()).startsWith(origin + "/sandbox/entra/");
        assertThat(config.get("issuer").asText()).startsWith(origin + "/sandbox/entra/");
        // by address too (the certificate names 127.0.0.1)
        assertThat(client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + tlsPort.localPort()
                + "/sandbox/entra/sandbox-tenant/discovery/v2.0/keys")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);

        // the webhook receiver: a Graph registration is given its https URL on this port, and answers the handshake there
        String key = hub().newTenantKey(ADMIN_KEY);
        String integration = hub().connectedSalesforce(key, "tls-" + UUID.randomUUID().toString().substring(0, 8), Map.of());
        HubClient.Response created = hub().call("POST", "/api/tenant/integrations/" + integration + "/webhooks", key,
                Map.of("scheme", "microsoft_graph", "events", List.of("*")));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        String url = created.body().get("url").asText();
        assertThat(url).isEqualTo(origin + "/webhooks/" + created.body().get("id").asText());
        HttpResponse<String> handshake = client.send(HttpRequest.newBuilder(URI.create(url + "?validationToken=Validation%3A%20tls"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(handshake.statusCode()).isEqualTo(200);
        assertThat(handshake.body()).isEqualTo("Validation: tls");
        assertThat(client.send(HttpRequest.newBuilder(URI.create(origin + "/webhooks/no-such-registration?validationToken=x"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        // other hooks keep the main port's URL
        HubClient.Response plain = hub().call("POST", "/api/tenant/integrations/" + integration + "/webhooks", key,
                Map.of("scheme", "standard_webhooks", "events", List.of("*")));
        assertThat(plain.body().get("url").asText()).startsWith("http://").doesNotContain(":" + tlsPort.localPort() + "/");

        // nothing else of the hub is on this port
        for (String path : new String[] {"/api/tenant/integrations", "/actuator/health", "/", "/v1.0x"}) {
            assertThat(client.send(HttpRequest.newBuilder(URI.create(origin + path)).header("Authorization", "Bearer " + key).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as(path).isEqualTo(404);
        }
    }

    @Test
    void aClientWithTheJdkTrustAloneRefusesTheCertificate() {
        HttpClient jdkOnly = HttpClient.newHttpClient();
        assertThatThrownBy(() -> jdkOnly.send(HttpRequest.newBuilder(URI.create("https://localhost:" + tlsPort.localPort()
                + "/sandbox/entra/sandbox-tenant/discovery/v2.0/keys")).build(), HttpResponse.BodyHandlers.discarding()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void thePortListensOnLoopbackOnly() throws Exception {
        try (Socket local = new Socket()) {
            local.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), tlsPort.localPort()), 2000);
            assertThat(local.isConnected()).isTrue();
        }
        Optional<InetAddress> external = NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
        org.junit.jupiter.api.Assumptions.assumeTrue(external.isPresent(), "this machine has no non-loopback address");
        try (Socket outside = new Socket()) {
            assertThatThrownBy(() -> outside.connect(new InetSocketAddress(external.get(), tlsPort.localPort()), 2000))
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void theCertificateIsMadeOnceAndReusedAcrossRestarts() throws Exception {
        byte[] before = Files.readAllBytes(tlsPort.certificate().keyStorePath());
        String pem = Files.readString(tlsPort.certificate().pemPath());
        // a second start with the same data directory
        SandboxTlsPort again = new SandboxTlsPort(0, tlsPort.certificate().directory().toString(),
                new org.springframework.mock.env.MockEnvironment());
        assertThat(again.certificate().certificate()).isEqualTo(tlsPort.certificate().certificate());
        assertThat(Files.readAllBytes(again.certificate().keyStorePath())).isEqualTo(before);
        assertThat(Files.readString(again.certificate().pemPath())).isEqualTo(pem);
        X509Certificate certificate = again.certificate().certificate();
        assertThat(certificate.getSubjectAlternativeNames().stream().map(name -> String.valueOf(name.get(1))).toList())
                .containsExactlyInAnyOrder("localhost", "127.0.0.1");
        assertThatThrownBy(() -> new SandboxTlsPort(70_000, tlsPort.certificate().directory().toString(),
                new org.springframework.mock.env.MockEnvironment())).hasMessageContaining("hub.sandbox.tls-port");
    }

    /** An SSL context whose only trust anchor is the certificate in this PEM file. */
    static SSLContext trustingOnly(java.io.File pem) throws Exception {
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        try (InputStream in = Files.newInputStream(pem.toPath())) {
            anchors.setCertificateEntry("sandbox", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(anchors);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
