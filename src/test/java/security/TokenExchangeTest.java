package security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Token requests go out in the provider's style: the client in the form, or by HTTP Basic with a form or JSON body. */
class TokenExchangeTest {

    private record Seen(String authorization, String contentType, String body) {
    }

    private final AtomicReference<Seen> seen = new AtomicReference<>();
    private HttpServer server;
    private TokenExchange exchange;
    private String tokenUrl;

    @BeforeEach
    void server() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", http -> {
            seen.set(new Seen(http.getRequestHeaders().getFirst("Authorization"), http.getRequestHeaders().getFirst("Content-Type"),
                    new String(http.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            byte[] answer = "{\"access_token\":\"at\",\"token_type\":\"bearer\"}".getBytes(StandardCharsets.UTF_8);
            http.getResponseHeaders().add("Content-Type", "application/json");
            http.sendResponseHeaders(200, answer.length);
            http.getResponseBody().write(answer);
            http.close();
        });
        server.start();
        tokenUrl = "http://localhost:" + server.getAddress().getPort() + "/token";
        exchange = new TokenExchange(Duration.ofSeconds(5), new ObjectMapper(), new OutboundGuard("localhost:" + server.getAddress().getPort()));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static Map<String, String> refresh() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", "rt&1");
        form.put("client_id", "client");
        form.put("client_secret", "s3cret");
        return form;
    }

    @Test
    void theDefaultSendsTheClientInTheForm() throws IOException {
        assertThat(exchange.send(tokenUrl, refresh()).ok()).isTrue();
        assertThat(seen.get().authorization()).isNull();
        assertThat(seen.get().contentType()).isEqualTo("application/x-www-form-urlencoded");
        assertThat(seen.get().body()).isEqualTo("grant_type=refresh_token&refresh_token=rt%261&client_id=client&client_secret=s3cret");
    }

    @Test
    void basicStylesAuthenticateTheClientInTheHeaderAndKeepItOutOfTheBody() throws IOException {
        String basic = "Basic " + Base64.getEncoder().encodeToString("client:s3cret".getBytes(StandardCharsets.UTF_8));

        assertThat(exchange.send(tokenUrl, refresh(), OAuthServer.TokenRequestStyle.FORM_WITH_BASIC).ok()).isTrue();
        assertThat(seen.get().authorization()).isEqualTo(basic);
        assertThat(seen.get().contentType()).isEqualTo("application/x-www-form-urlencoded");
        assertThat(seen.get().body()).isEqualTo("grant_type=refresh_token&refresh_token=rt%261");

        assertThat(exchange.send(tokenUrl, refresh(), OAuthServer.TokenRequestStyle.JSON_WITH_BASIC).ok()).isTrue();
        assertThat(seen.get().authorization()).isEqualTo(basic);
        assertThat(seen.get().contentType()).isEqualTo("application/json");
        assertThat(new ObjectMapper().readTree(seen.get().body())).isEqualTo(new ObjectMapper().readTree(
                "{\"grant_type\":\"refresh_token\",\"refresh_token\":\"rt&1\"}"));
    }
}
