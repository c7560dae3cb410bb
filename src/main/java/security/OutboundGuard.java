package security;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.catalina.connector.Connector;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;


/**
 * The one gate for every URL a tenant or a webhook registration can make the hub call (Salesforce
 * login and instance URLs, token endpoints, JWKS URIs): only http(s), and the host is resolved and
 * refused when any of its addresses is internal ({@link InternalAddresses}), unless the host and port
 * are listed in {@code hub.outbound.allowed-hosts}. The entry {@code self} allows the hub's own ports on loopback
 * (the server port and the sandbox ports, where its sandboxes are served), known once the web server is up.
 * <p>
 * Jetty clients (camel-salesforce) check at connection time through {@link #resolver}, Apache HttpClient's (camel-http)
 * through {@link #addresses}: the addresses
 * checked are the ones connected to, on every redirect hop, so a name that resolves differently the
 * second time (DNS rebinding) gains nothing. Callers of other clients {@link #check} before the call;
 * such a client resolves the name again itself.
 */
@Component
public class OutboundGuard {

    public static final String SELF = "self";
    /** Names of metadata services, refused before any lookup. */
    private static final Set<String> METADATA_NAMES = Set.of("metadata.google.internal", "metadata.goog", "metadata");
    private static final Logger LOG = LoggerFactory.getLogger(OutboundGuard.class);

    /** Allowed "host:port" entries, host lower-case without brackets. */
    private final Set<String> allowed = ConcurrentHashMap.newKeySet();
    private final boolean allowSelf;
    /** The hub's own ports, allowed on loopback when {@code self} is listed. */
    private final Set<Integer> selfPorts = ConcurrentHashMap.newKeySet();

    public OutboundGuard(@Value("${hub.outbound.allowed-hosts:}") String allowedHosts) {
        boolean self = false;
        for (String entry : allowedHosts == null ? new String[0] : allowedHosts.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.equalsIgnoreCase(SELF)) {
                self = true;
                continue;
            }
            int colon = trimmed.lastIndexOf(':');
            String port = colon <= 0 ? "" : trimmed.substring(colon + 1);
            if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) == 0 || Integer.parseInt(port) > 65535) {
                throw new IllegalArgumentException("hub.outbound.allowed-hosts: '" + trimmed + "' is not host:port or self");
            }
            allowed.add(key(trimmed.substring(0, colon), Integer.parseInt(port)));
        }
        this.allowSelf = self;
    }

    /** An allowance added at run time; closing it takes it back (one that was listed already stays). */
    public final class Allowance implements AutoCloseable {
        private final String key;
        private final boolean added;

        private Allowance(String key, boolean added) {
            this.key = key;
            this.added = added;
        }

        @Override
        public void close() {
            if (added) {
                allowed.remove(key);
            }
        }
    }

    /** Allows one more host and port, e.g. a provider stand-in a test starts on a port chosen at run time. */
    public Allowance allow(String host, int port) {
        String key = key(host, port);
        return new Allowance(key, allowed.add(key));
    }

    /**
     * The hub's own ports: its sandboxes are served there (the server port, and the sandbox ports plain and TLS, each a
     * connector of the same server), so {@code self} allows them on loopback.
     */
    @EventListener
    public void onWebServer(WebServerInitializedEvent event) {
        String namespace = event.getApplicationContext().getServerNamespace();
        if (allowSelf && (namespace == null || namespace.isEmpty())) {
            selfPorts.add(event.getWebServer().getPort());
            if (event.getWebServer() instanceof TomcatWebServer tomcat) {
                for (Connector connector : tomcat.getTomcat().getService().findConnectors()) {
                    if (connector.getLocalPort() > 0) {
                        selfPorts.add(connector.getLocalPort());
                    }
                }
            }
        }
    }

    /**
     * The URL's host resolved and checked.
     *
     * @throws RefusedAddressException not an http(s) URL, or an internal address not allowed
     * @throws java.net.UnknownHostException the host does not resolve
     */
    public URI check(String url) throws IOException {
        URI uri = httpUri(url);
        resolve(uri.getHost(), port(uri), null);
        return uri;
    }

    /**
     * Checks a provider API base URL a tenant gives in a credential field: an http(s) URL with a host and no query,
     * fragment or user info, whose address the guard allows.
     *
     * @throws InvalidCredentialsException naming the field, with {@code example} as a URL it would take
     */
    public void checkBaseUrl(String field, String url, String example) {
        try {
            URI uri = URI.create(url);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null || uri.getRawQuery() != null
                    || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidCredentialsException(field, "must be an http(s) URL such as " + example);
        }
        checkField(field, url);
    }

    /**
     * Checks a URL a tenant gives (a credential field, a setting) before it is stored, for a clear 400
     * naming the field. A host that does not resolve now passes: the connection test tells it, and the
     * check at call time still applies.
     *
     * @throws InvalidCredentialsException naming the field when the URL is refused
     */
    public void checkField(String field, String url) {
        try {
            check(url);
        } catch (RefusedAddressException e) {
            throw new InvalidCredentialsException(field, e.getMessage());
        } catch (IOException e) {
            // unresolvable now: refused or reached at call time
        }
    }

    /**
     * Whether the URL's host and port are listed in {@code hub.outbound.allowed-hosts}, or are one of the hub's own ports on
     * loopback under {@code self}: destinations a tenant may reach over plain http (outgoing webhooks); any other must be
     * https.
     */
    public boolean listed(URI uri) {
        if (uri.getHost() == null) {
            return false;
        }
        int port = port(uri);
        if (allowed.contains(key(uri.getHost(), port))) {
            return true;
        }
        try {
            return selfPorts.contains(port) && Arrays.stream(InetAddress.getAllByName(bare(uri.getHost()))).allMatch(InetAddress::isLoopbackAddress);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A Jetty resolver that hands the client only checked addresses (each connection, each redirect hop).
     * {@code alsoAllowed}: one more origin this client may reach whatever the list says (the hub's own
     * token endpoint on loopback for sessions whose tokens the hub manages), or null.
     */
    public SocketAddressResolver resolver(URI alsoAllowed) {
        String extra = alsoAllowed == null || alsoAllowed.getHost() == null ? null : key(alsoAllowed.getHost(), port(alsoAllowed));
        return (host, port, promise) -> {
            List<InetSocketAddress> addresses = new ArrayList<>();
            try {
                for (InetAddress address : resolve(host, port, extra)) {
                    addresses.add(new InetSocketAddress(address, port));
                }
            } catch (IOException e) {
                promise.failed(e);
                return;
            }
            promise.succeeded(addresses);
        };
    }

    /**
     * The checked addresses of {@code host} on {@code port}, for an HTTP client that resolves names through its own
     * resolver (Apache HttpClient's {@code DnsResolver}, under camel-http): it connects only to these, on every connection.
     *
     * @throws RefusedAddressException an internal address not allowed
     * @throws java.net.UnknownHostException the host does not resolve
     */
    public List<InetSocketAddress> addresses(String host, int port) throws IOException {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (InetAddress address : resolve(host, port, null)) {
            addresses.add(new InetSocketAddress(address, port));
        }
        return addresses;
    }

    /** The addresses of {@code host}, all public, or allowed by the list, by {@code self} or by {@code extra}. */
    List<InetAddress> resolve(String host, int port, String extra) throws IOException {
        if (host == null || host.isBlank() || port <= 0) {
            throw new RefusedAddressException(RefusedAddressException.NOT_HTTP, "scheme");
        }
        String name = bare(host);
        if (METADATA_NAMES.contains(name)) {
            throw refused(name, port, "cloud metadata");
        }
        List<InetAddress> addresses = Arrays.asList(InetAddress.getAllByName(name));
        String key = key(name, port);
        if (allowed.contains(key) || key.equals(extra)) {
            return addresses;
        }
        if (selfPorts.contains(port) && addresses.stream().allMatch(InetAddress::isLoopbackAddress)) {
            return addresses;
        }
        for (InetAddress address : addresses) {
            String kind = InternalAddresses.kind(address);
            if (kind != null) {
                throw refused(name, port, kind);
            }
        }
        return addresses;
    }

    private static RefusedAddressException refused(String host, int port, String kind) {
        LOG.warn("Outbound call to {}:{} refused: {} address, not in hub.outbound.allowed-hosts", host, port, kind);
        return new RefusedAddressException(RefusedAddressException.MESSAGE, kind);
    }

    static URI httpUri(String url) throws RefusedAddressException {
        try {
            URI uri = URI.create(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException | NullPointerException e) {
            // refused below without echoing the value
        }
        throw new RefusedAddressException(RefusedAddressException.NOT_HTTP, "scheme");
    }

    static int port(URI uri) {
        if (uri.getPort() > 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String key(String host, int port) {
        return bare(host) + ":" + port;
    }

    /** Lower case, without IPv6 brackets or a trailing dot. */
    private static String bare(String host) {
        String name = host.trim().toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
