package security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which addresses are internal, and what the guard makes of URLs that hide them (only literals: nothing is looked up or reached). */
class InternalAddressesTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.255.255.254", "10.0.0.1", "10.255.1.2", "172.16.0.1", "172.31.255.255", "192.168.1.1",
            "100.64.0.1", "100.127.255.255", "169.254.0.1", "169.254.169.254", "0.0.0.0", "0.1.2.3", "224.0.0.1", "239.255.255.250",
            "255.255.255.255", "240.0.0.1", "198.18.0.1", "192.0.0.8",
            "::1", "::", "fe80::1", "febf::1", "fc00::1", "fd12:3456::1", "fd00:ec2::254", "ff02::1", "fec0::1",
            "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1", "::10.0.0.1",
            "64:ff9b::127.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::", "2002:c0a8:101::1"})
    void internalAddressesAreRecognised(String literal) throws UnknownHostException {
        assertThat(InternalAddresses.kind(InetAddress.getByName(literal))).as(literal).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.1", "172.15.255.255", "172.32.0.1", "192.167.1.1",
            "169.253.255.255", "11.0.0.1", "2607:f8b0:4004:c07::64", "2a00:1450:4001::1", "::ffff:8.8.8.8", "64:ff9b::808:808",
            "2002:808:808::1"})
    void publicAddressesPass(String literal) throws UnknownHostException {
        assertThat(InternalAddresses.kind(InetAddress.getByName(literal))).as(literal).isNull();
    }

    @Test
    void metadataAndLoopbackAreNamedForTheLog() throws UnknownHostException {
        assertThat(InternalAddresses.kind(InetAddress.getByName("169.254.169.254"))).isEqualTo("cloud metadata");
        assertThat(InternalAddresses.kind(InetAddress.getByName("fd00:ec2::254"))).isEqualTo("cloud metadata");
        assertThat(InternalAddresses.kind(InetAddress.getByName("::ffff:127.0.0.1"))).isEqualTo("loopback");
        assertThat(InternalAddresses.kind(InetAddress.getByName("10.1.2.3"))).isEqualTo("private");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/", "http://127.1/", "http://2130706433/", "http://0x7f.0.0.1/",
            "http://0x7f000001/", "http://[::1]:8080/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/", "http://[0:0:0:0:0:ffff:a9fe:a9fe]/",
            "https://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/", "http://metadata.google.internal/computeMetadata/v1/",
            "http://0.0.0.0:5432/", "http://10.0.0.1/", "http://192.168.0.1:6379/", "http://100.64.1.1/", "http://[fe80::1%251]/"})
    void urlsHidingAnInternalAddressAreNeverLetThrough(String url) {
        OutboundGuard guard = new OutboundGuard("");
        // refused (as internal, or as no URL with a host: java.net.URI has none for 127.1 or 0x7f.0.0.1); or, where Java does not
        // read the trick as an address, a name that does not resolve (nothing is reached either way)
        assertThatThrownBy(() -> guard.check(url)).as(url).isInstanceOfAny(RefusedAddressException.class, UnknownHostException.class);
    }

    @Test
    void aLeadingZeroIsDecimalToJavaSoTheAddressCheckedIsTheOneConnectedTo() throws IOException {
        // curl reads 0177.0.0.1 as octal (127.0.0.1); Java, whose resolver every client of the hub uses, as 177.0.0.1
        assertThat(InetAddress.getByName("0177.0.0.1").getHostAddress()).isEqualTo("177.0.0.1");
        assertThat(InternalAddresses.kind(InetAddress.getByName("0177.0.0.1"))).isNull();
        assertThat(InetAddress.getByName("2130706433").getHostAddress()).isEqualTo("127.0.0.1");
        assertThatThrownBy(() -> new OutboundGuard("").check("http://2130706433:5432/")).isInstanceOf(RefusedAddressException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://login.example.com/", "file:///etc/passwd", "jar:file:/x.jar!/", "gopher://127.0.0.1:6379/_INFO",
            "//127.0.0.1/", "http:///x", "not a url", "ldap://10.0.0.1/"})
    void onlyHttpUrlsWithAHostAreCalled(String url) {
        OutboundGuard guard = new OutboundGuard("");
        assertThatThrownBy(() -> guard.check(url)).as(url).isInstanceOf(RefusedAddressException.class)
                .hasMessage(RefusedAddressException.NOT_HTTP);
    }

    @Test
    void aListedHostAndPortIsAllowedAndNoOtherPort() throws IOException {
        OutboundGuard guard = new OutboundGuard("localhost:8443, 127.0.0.1:9000,[::1]:9001");
        assertThat(guard.check("https://LOCALHOST:8443/services/oauth2/token").getPort()).isEqualTo(8443);
        assertThat(guard.check("http://127.0.0.1:9000/").getPort()).isEqualTo(9000);
        assertThat(guard.check("http://[::1]:9001/").getPort()).isEqualTo(9001);
        assertThatThrownBy(() -> guard.check("https://localhost:8444/")).isInstanceOf(RefusedAddressException.class);
        assertThatThrownBy(() -> guard.check("http://127.0.0.1/")).isInstanceOf(RefusedAddressException.class);
        // the name is what is listed: another spelling of the same address is not
        assertThatThrownBy(() -> guard.check("http://127.1:9000/")).isInstanceOf(RefusedAddressException.class);
    }

    @Test
    void anAllowanceCanBeTakenBack() throws IOException {
        OutboundGuard guard = new OutboundGuard("");
        try (OutboundGuard.Allowance allowed = guard.allow("127.0.0.1", 9100)) {
            guard.check("http://127.0.0.1:9100/");
        }
        assertThatThrownBy(() -> guard.check("http://127.0.0.1:9100/")).isInstanceOf(RefusedAddressException.class);
    }

    @Test
    void aMalformedListIsRefusedAtStart() {
        for (String wrong : new String[] {"localhost", "localhost:http", "[::1]", ":8080", "localhost:70000"}) {
            assertThatThrownBy(() -> new OutboundGuard("self," + wrong)).as(wrong).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("hub.outbound.allowed-hosts");
        }
    }
}
