package sandbox.kit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The self-signed certificate of the sandbox TLS port ({@link SandboxTlsPort}), made once in a directory and kept
 * there: {@value #KEYSTORE} (PKCS12, key and certificate, password in {@value #PASSWORD}, both readable by the owner
 * only) and {@value #PEM} (the certificate alone, for {@code curl --cacert} and Node's {@code NODE_EXTRA_CA_CERTS}).
 * Subject alternative names {@code localhost} and {@code 127.0.0.1}; ten years, RSA 2048, SHA-256. Built with
 * BouncyCastle's X.509 builder.
 */
public final class SandboxCertificate {

    public static final String KEYSTORE = "sandbox-tls.p12";
    public static final String PASSWORD = "sandbox-tls.password";
    public static final String PEM = "sandbox-tls.pem";
    static final String ALIAS = "sandbox";
    private static final Duration VALIDITY = Duration.ofDays(3650);

    private final Path directory;
    private final char[] password;
    private final KeyStore keyStore;
    private final X509Certificate certificate;

    private SandboxCertificate(Path directory, char[] password, KeyStore keyStore) throws GeneralSecurityException {
        this.directory = directory;
        this.password = password;
        this.keyStore = keyStore;
        this.certificate = (X509Certificate) keyStore.getCertificate(ALIAS);
        if (certificate == null) {
            throw new GeneralSecurityException("no certificate '" + ALIAS + "' in " + directory.resolve(KEYSTORE));
        }
    }

    /** The certificate in {@code directory}, made there first when the keystore is not there yet. */
    public static synchronized SandboxCertificate loadOrCreate(Path directory) {
        Path keystore = directory.resolve(KEYSTORE);
        try {
            if (!Files.exists(keystore)) {
                create(directory);
            }
            char[] password = Files.readString(directory.resolve(PASSWORD), StandardCharsets.UTF_8).strip().toCharArray();
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                store.load(in, password);
            }
            SandboxCertificate loaded = new SandboxCertificate(directory, password, store);
            if (!Files.exists(directory.resolve(PEM))) {
                writeOwnerOnly(directory.resolve(PEM), pem(loaded.certificate).getBytes(StandardCharsets.US_ASCII), false);
            }
            return loaded;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make or read the sandbox TLS certificate in " + directory + ": "
                    + e.getMessage() + " (remove the directory to have a new one made)", e);
        }
    }

    private static void create(Path directory) throws IOException, GeneralSecurityException {
        Files.createDirectories(directory);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        X509Certificate certificate = selfSigned(keys);
        SecureRandom random = new SecureRandom();
        char[] password = TokenText.urlSafe(24).toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(ALIAS, keys.getPrivate(), password, new X509Certificate[] {certificate});
        writeOwnerOnly(directory.resolve(PASSWORD), new String(password).getBytes(StandardCharsets.UTF_8), true);
        Path temporary = directory.resolve(KEYSTORE + "." + random.nextInt(1_000_000) + ".tmp");
        try (OutputStream out = Files.newOutputStream(temporary)) {
            store.store(out, password);
        }
        restrict(temporary);
        writeOwnerOnly(directory.resolve(PEM), pem(certificate).getBytes(StandardCharsets.US_ASCII), false);
        // the keystore last: it is what says the certificate exists
        Files.move(temporary, directory.resolve(KEYSTORE), StandardCopyOption.ATOMIC_MOVE);
    }

    private static X509Certificate selfSigned(KeyPair keys) throws GeneralSecurityException, IOException {
        X500Name name = new X500Name("CN=Castiel hub sandbox, O=Castiel Integration Hub (local sandbox)");
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(127, new SecureRandom()),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(VALIDITY)), name, keys.getPublic())
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress())}))
                // a CA of its own too, so that trust stores that want an anchor (Node, Java) take it as one
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment
                        | KeyUsage.keyCertSign))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign the sandbox certificate", e);
        }
    }

    private static String pem(X509Certificate certificate) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(certificate);
        }
        return text.toString();
    }

    private static void writeOwnerOnly(Path file, byte[] content, boolean secret) throws IOException {
        Files.write(file, content);
        if (secret) {
            restrict(file);
        }
    }

    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its default permissions stay
        }
    }

    public Path directory() {
        return directory;
    }

    public Path keyStorePath() {
        return directory.resolve(KEYSTORE);
    }

    public Path pemPath() {
        return directory.resolve(PEM);
    }

    /** The keystore's password (also in {@value #PASSWORD}); for the TLS connector. */
    public String password() {
        return new String(password);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** A server context presenting this certificate (a test's own https listener, say). */
    public SSLContext serverContext() {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot use the sandbox TLS certificate", e);
        }
    }

    /**
     * A client context trusting the JDK's certificate authorities and this certificate: what a sandbox's webhook
     * sender uses, so that it reaches the hub's receiver on the TLS port and any public https host it is allowed.
     */
    public SSLContext trustingContext() {
        try {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            jdk.init((KeyStore) null);
            int n = 0;
            for (var manager : jdk.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    for (X509Certificate issuer : x509.getAcceptedIssuers()) {
                        anchors.setCertificateEntry("jdk-" + n++, issuer);
                    }
                }
            }
            anchors.setCertificateEntry(ALIAS, certificate);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust store with the sandbox certificate", e);
        }
    }
}
