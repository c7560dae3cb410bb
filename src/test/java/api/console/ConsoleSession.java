package api.console;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A browser's view of the console over HTTP: cookies kept, redirects not followed, the page's CSRF token at hand. */
final class ConsoleSession {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final String baseUrl;
    private final CookieManager cookies = new CookieManager();
    private final HttpClient http;
    private String csrf;

    ConsoleSession(String baseUrl) {
        this.baseUrl = baseUrl;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Signs in with the key (the login page's CSRF token first); returns the answer to the sign-in. */
    HttpResponse<String> signIn(String key, String next) {
        get("/console/login");
        return post("/console/login", next == null ? Map.of("key", key) : Map.of("key", key, "next", next), true);
    }

    HttpResponse<String> get(String path) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
        Matcher m = CSRF.matcher(response.body());
        if (m.find()) {
            csrf = m.group(1);
        }
        return response;
    }

    HttpResponse<String> post(String path, Map<String, String> form, boolean withCsrf) {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        if (withCsrf) {
            body = (body.isEmpty() ? "" : body + "&") + "_csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8);
        }
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> htmxPost(String path, String csrfHeader) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).header("HX-Request", "true")
                .header("HX-Current-URL", baseUrl + "/console/executions").POST(HttpRequest.BodyPublishers.noBody());
        if (csrfHeader != null) {
            request.header("X-CSRF-Token", csrfHeader);
        }
        return send(request);
    }

    String csrf() {
        return csrf;
    }

    HttpCookie sessionCookie() {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("JSESSIONID")).findFirst().orElse(null);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
