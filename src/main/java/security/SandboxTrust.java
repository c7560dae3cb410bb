package security;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The TLS trust of the hub's OAuth token requests ({@link TokenExchange}: Entra's sandbox over https) and of adapters
 * whose provider clients need https (Microsoft Graph): the JDK's certificate authorities, plus, when the sandboxes are on
 * ({@code hub.sandbox.enabled=true}, the default profile), the self-signed certificate of the hub's sandbox TLS port, read from {@code hub.sandbox.tls-dir}
 * ({@code ${hub.data-dir}/sandbox-tls/sandbox-tls.pem}, made by the hub on its first start with a TLS port). With the
 * sandboxes off, or no certificate there yet, it is the JDK's trust and nothing more; nothing else in the hub trusts
 * the sandbox certificate.
 * <p>
 * How an adapter uses it: {@code HttpClient http = sandboxTrust.httpClient().connectTimeout(...).build();} for
 * {@code java.net.http}, or {@link #sslContext()} for another client (camel-http: an {@code SSLContextParameters}
 * whose key and trust managers wrap it, or the HTTP client configurer's {@code setSSLContext}). Call it when the client
 * is made, not at start: the certificate appears once the web server has started. The trust is read once and kept;
 * a certificate made afresh later (its directory removed) needs a restart.
 */
@Component
public class SandboxTrust {

    static final String PEM = "sandbox-tls.pem";

    private final boolean sandboxEnabled;
    private final Path pem;
    private volatile SSLContext context;

    public SandboxTrust(@Value("${hub.sandbox.enabled:false}") boolean sandboxEnabled,
            @Value("${hub.sandbox.tls-dir:${hub.data-dir:./data}/sandbox-tls}") String directory) {
        this.sandboxEnabled = sandboxEnabled;
        this.pem = Path.of(directory).resolve(PEM);
    }

    /** A client builder with {@link #sslContext()}: add timeouts and redirects, then build. */
    public HttpClient.Builder httpClient() {
        return HttpClient.newBuilder().sslContext(sslContext());
    }

    /** The JDK's trust, with the sandbox certificate added when the sandboxes are on and it exists. */
    public SSLContext sslContext() {
        SSLContext current = context;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (context == null) {
                try {
                    boolean withSandbox = sandboxEnabled && Files.isRegularFile(pem);
                    SSLContext made = withSandbox ? trusting(pem) : SSLContext.getDefault();
                    if (!withSandbox && sandboxEnabled) {
                        // the TLS port may not be up yet: look again next time
                        return made;
                    }
                    context = made;
                } catch (GeneralSecurityException | IOException e) {
                    throw new IllegalStateException("cannot build the TLS trust with the sandbox certificate " + pem
                            + ": " + e.getMessage(), e);
                }
            }
            return context;
        }
    }

    /** The JDK's default trust anchors and the certificates of one PEM file, as one trust store. */
    static SSLContext trusting(Path pemFile) throws GeneralSecurityException, IOException {
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        jdk.init((KeyStore) null);
        int n = 0;
        for (TrustManager manager : jdk.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                for (X509Certificate anchor : x509.getAcceptedIssuers()) {
                    anchors.setCertificateEntry("jdk-" + n++, anchor);
                }
            }
        }
        Collection<? extends Certificate> added;
        try (InputStream in = Files.newInputStream(pemFile)) {
            added = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (added.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + pemFile);
        }
        for (Certificate certificate : added) {
            anchors.setCertificateEntry("sandbox-" + n++, certificate);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(anchors);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
