package security;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.apache.hc.client5.http.DnsResolver;

/**
 * Apache HttpClient's name resolution (under camel-http) through the {@link OutboundGuard}: a connection pool built
 * with it connects only to addresses the guard allows for the port connected to, checked for every new connection,
 * so a name that later resolves to an internal address is refused then too.
 */
public final class GuardedDnsResolver implements DnsResolver {

    private final OutboundGuard guard;

    public GuardedDnsResolver(OutboundGuard guard) {
        this.guard = guard;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        // connections resolve with their port (below): refused here so no path goes around the guard
        throw new UnknownHostException("resolved only with the port connected to");
    }

    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        try {
            return guard.addresses(host, port);
        } catch (UnknownHostException e) {
            throw e;
        } catch (IOException e) {
            // the pool only takes UnknownHostException: the guard's refusal travels as its cause
            UnknownHostException refused = new UnknownHostException(e instanceof RefusedAddressException ? RefusedAddressException.MESSAGE
                    : "not resolved");
            refused.initCause(e);
            throw refused;
        }
    }

    @Override
    public String resolveCanonicalHostname(String host) {
        return host;
    }
}
