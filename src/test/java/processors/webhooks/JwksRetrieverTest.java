package processors.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import security.OutboundGuard;
import security.RefusedAddressException;

/** A google_pubsub registration's jwksUri goes through the outbound guard, and its redirects are not followed. */
class JwksRetrieverTest {

    private ServerSocket trap;
    private HttpServer keys;

    @BeforeEach
    void setUp() throws IOException {
        trap = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        keys = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        keys.createContext("/certs", exchange -> {
            byte[] body = "{\"keys\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        keys.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + trap.getLocalPort() + "/certs");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        keys.start();
    }

    @AfterEach
    void tearDown() throws IOException {
        keys.stop(0);
        trap.close();
    }

    @Test
    void anInternalJwksUriIsRefusedBeforeAnyConnection() throws IOException {
        JwksRetriever retriever = new JwksRetriever(new OutboundGuard(""));
        for (String uri : new String[] {"http://127.0.0.1:" + trap.getLocalPort() + "/certs", "https://169.254.169.254/certs",
                "https://10.0.0.1/certs", "file:///etc/passwd"}) {
            assertThatThrownBy(() -> retriever.retrieveResource(URI.create(uri).toURL())).as(uri).isInstanceOf(RefusedAddressException.class);
        }
        assertNothingReached();
    }

    @Test
    void anAllowedHostIsFetchedButItsRedirectIsNotFollowed() throws IOException {
        OutboundGuard guard = new OutboundGuard("127.0.0.1:" + keys.getAddress().getPort());
        JwksRetriever retriever = new JwksRetriever(guard);
        String base = "http://127.0.0.1:" + keys.getAddress().getPort();
        assertThat(retriever.retrieveResource(URI.create(base + "/certs").toURL()).getContent()).isEqualTo("{\"keys\":[]}");
        assertThatThrownBy(() -> retriever.retrieveResource(URI.create(base + "/moved").toURL())).isInstanceOf(IOException.class);
        assertNothingReached();
    }

    private void assertNothingReached() throws IOException {
        trap.setSoTimeout(200);
        assertThatThrownBy(trap::accept).as("a connection reached the refused port").isInstanceOf(SocketTimeoutException.class);
    }
}
