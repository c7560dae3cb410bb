package sandbox.kit;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a sandbox may send webhooks (Salesforce's outbound messages, HubSpot's events...). Its logins are public, so
 * it must not become a way to make this machine call anywhere: by default only the hub's own origin (a loopback host
 * on the port the sandbox is served on, where the hub's webhook receiver listens); a sandbox setting such as
 * {@code hub.sandbox.salesforce.outbound-allowed-hosts} replaces that with {@code host} (any port) or
 * {@code host:port} entries.
 */
public final class WebhookDestinations {

    private static final Pattern IP_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|\\[[0-9a-fA-F:.]+\\]");

    /** What is wrong with a URL a setup request gives. */
    public enum Problem { MISSING, MALFORMED, NOT_HTTP, NO_HOST, CREDENTIALS, NOT_ALLOWED }

    /**
     * A URL the sandbox will not send to. The message says why, to follow the field's name ({@code "targetUrl: " +
     * getMessage()}): {@code required}, {@code not a valid URL: ...}, {@code must start with http:// or https://: ...},
     * {@code has no host: ...}, {@code must not carry credentials}, {@code <host>:<port> is not one this sandbox may
     * call: ... (<setting>)}; {@link #detail()} is what a sandbox words its own message from.
     */
    public static final class Refused extends IllegalArgumentException {
        private final Problem problem;
        private final String detail;

        Refused(Problem problem, String detail, String message) {
            super(message);
            this.problem = problem;
            this.detail = detail;
        }

        public Problem problem() {
            return problem;
        }

        /** The parser's complaint (MALFORMED), the URL as given (NOT_HTTP, NO_HOST), or null. */
        public String detail() {
            return detail;
        }
    }

    private WebhookDestinations() {
    }

    /**
     * The URL a setup request gives, when the sandbox may send to it: an absolute http(s) URL with a host and no
     * credentials, allowed by {@link #allows}; {@code allowedHostsSetting} names the setting in the refusal.
     *
     * @throws Refused otherwise
     */
    public static URI check(String text, List<String> allowedHosts, int ownPort, String allowedHostsSetting) {
        if (text == null || text.isBlank()) {
            throw new Refused(Problem.MISSING, null, "required");
        }
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new Refused(Problem.MALFORMED, e.getMessage(), "not a valid URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Refused(Problem.NOT_HTTP, text, "must start with http:// or https://: " + text);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new Refused(Problem.NO_HOST, text, "has no host: " + text);
        }
        if (uri.getRawUserInfo() != null) {
            throw new Refused(Problem.CREDENTIALS, null, "must not carry credentials");
        }
        if (!allows(allowedHosts, uri, ownPort)) {
            throw new Refused(Problem.NOT_ALLOWED, null, uri.getHost() + ":" + port(uri) + " is not one this sandbox may"
                    + " call: " + describe(allowedHosts, ownPort) + " (" + allowedHostsSetting + ")");
        }
        return uri;
    }

    /** Whether a message may go to the URL, for a sandbox served on {@code ownPort}. */
    public static boolean allows(List<String> allowedHosts, URI url, int ownPort) {
        String host = url.getHost().toLowerCase(Locale.ROOT);
        int port = port(url);
        if (allowedHosts.isEmpty()) {
            return isLoopback(host) && port == ownPort;
        }
        for (String entry : allowedHosts) {
            String allowed = entry.toLowerCase(Locale.ROOT);
            int colon = allowed.lastIndexOf(':');
            boolean hasPort = colon > 0 && colon > allowed.lastIndexOf(']');
            if (hasPort ? allowed.equals(host + ":" + port) : allowed.equals(host)) {
                return true;
            }
        }
        return false;
    }

    /** The URL's port, or its scheme's default. */
    public static int port(URI url) {
        return url.getPort() >= 0 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }

    public static String describe(List<String> allowedHosts, int ownPort) {
        return allowedHosts.isEmpty() ? "the hub's own origin (localhost, 127.0.0.1 or [::1] on port " + ownPort + ")"
                : String.join(", ", allowedHosts);
    }

    /** localhost, or a loopback address literal (no name is looked up). */
    private static boolean isLoopback(String host) {
        if (host.equals("localhost")) {
            return true;
        }
        if (!IP_LITERAL.matcher(host).matches()) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
