package sandbox.kit;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where the sandbox may send Outbound Messages. Its logins are public, so it must not become a way to make
 * this machine call anywhere: by default only the hub's own origin (a loopback host on the port the sandbox
 * is served on, where the hub's webhook receiver listens); {@code hub.sandbox.salesforce.outbound-allowed-hosts}
 * replaces that with {@code host} (any port) or {@code host:port} entries.
 */
public final class WebhookDestinations {

    private static final Pattern IP_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|\\[[0-9a-fA-F:.]+\\]");

    private WebhookDestinations() {
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
