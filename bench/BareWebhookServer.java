import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The floor bench/webhooks.py compares the hub with: the JDK's own HTTP server verifying the same Standard Webhooks
 * signatures (HMAC-SHA256 of id.timestamp.body, one Mac per thread) and answering 202, storing nothing.
 *
 *   java bench/BareWebhookServer.java <port> <whsec_ secret> [threads]
 */
public class BareWebhookServer {

    private static final byte[] ACCEPTED = "{\"status\":\"accepted\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] REFUSED = "{\"status\":\"rejected\"}".getBytes(StandardCharsets.UTF_8);

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        byte[] key = Base64.getDecoder().decode(args[1].substring("whsec_".length()));
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        ThreadLocal<Mac> macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                return mac;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(Executors.newFixedThreadPool(threads));
        server.createContext("/webhooks/", exchange -> answer(exchange, macs.get()));
        server.start();
        System.out.println("listening on " + port);
    }

    private static void answer(HttpExchange exchange, Mac mac) throws IOException {
        try (InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
            byte[] body = in.readAllBytes();
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
            String signatures = exchange.getRequestHeaders().getFirst("webhook-signature");
            boolean genuine = false;
            if (id != null && timestamp != null && signatures != null) {
                mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
                byte[] expected = mac.doFinal(body);
                for (String entry : signatures.trim().split(" +")) {
                    if (entry.startsWith("v1,")
                            && MessageDigest.isEqual(expected, Base64.getDecoder().decode(entry.substring(3)))) {
                        genuine = true;
                    }
                }
            }
            byte[] reply = genuine ? ACCEPTED : REFUSED;
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(genuine ? 202 : 401, reply.length);
            out.write(reply);
        }
    }
}
