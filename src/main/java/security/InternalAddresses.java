package security;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

/**
 * Which IP addresses are not on the public internet: loopback, private (RFC 1918), carrier-grade NAT,
 * link-local (with the cloud metadata service), unique-local, unspecified, multicast, broadcast and the
 * reserved and documentation ranges; IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64,
 * 6to4) are judged by that address. The outbound guard refuses them unless an operator allowed the host.
 */
public final class InternalAddresses {

    /** One IPv4 or IPv6 block and what it is called in a refusal. */
    private record Block(byte[] network, int prefix, String kind) {

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private static final String METADATA = "cloud metadata";

    private static final List<Block> BLOCKS = List.of(
            v4(169, 254, 169, 254, 32, METADATA),
            v4(0, 0, 0, 0, 8, "unspecified"),
            v4(10, 0, 0, 0, 8, "private"),
            v4(100, 64, 0, 0, 10, "shared (carrier-grade NAT)"),
            v4(127, 0, 0, 0, 8, "loopback"),
            v4(169, 254, 0, 0, 16, "link-local"),
            v4(172, 16, 0, 0, 12, "private"),
            v4(192, 0, 0, 0, 24, "reserved"),
            v4(192, 0, 2, 0, 24, "documentation"),
            v4(192, 168, 0, 0, 16, "private"),
            v4(198, 18, 0, 0, 15, "benchmarking"),
            v4(198, 51, 100, 0, 24, "documentation"),
            v4(203, 0, 113, 0, 24, "documentation"),
            v4(224, 0, 0, 0, 4, "multicast"),
            v4(240, 0, 0, 0, 4, "reserved"),
            v6("fd00:ec2::254", 128, METADATA),
            v6("::", 128, "unspecified"),
            v6("::1", 128, "loopback"),
            v6("fe80::", 10, "link-local"),
            v6("fec0::", 10, "site-local"),
            v6("fc00::", 7, "unique-local"),
            v6("ff00::", 8, "multicast"),
            v6("100::", 64, "discard"),
            v6("2001:db8::", 32, "documentation"));

    private InternalAddresses() {
    }

    /** What kind of internal address this is ("loopback", "private", "cloud metadata", ...), or null for a public one. */
    public static String kind(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            byte[] embedded = embeddedIpv4(bytes);
            if (embedded != null) {
                return kind(embedded);
            }
        }
        return kind(bytes);
    }

    public static boolean isInternal(InetAddress address) {
        return kind(address) != null;
    }

    private static String kind(byte[] bytes) {
        for (Block block : BLOCKS) {
            if (block.contains(bytes)) {
                return block.kind();
            }
        }
        if (bytes.length == 4 && (bytes[0] & 0xff) == 255 && (bytes[1] & 0xff) == 255 && (bytes[2] & 0xff) == 255 && (bytes[3] & 0xff) == 255) {
            return "broadcast";
        }
        return null;
    }

    /**
     * The IPv4 address inside an IPv6 one that routes to it: mapped (::ffff:a.b.c.d; Java usually
     * hands those back as IPv4 already), compatible (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and 6to4
     * (2002:aabb:ccdd::); null when there is none.
     */
    private static byte[] embeddedIpv4(byte[] v6) {
        boolean zeroTen = true;
        for (int i = 0; i < 10; i++) {
            zeroTen &= v6[i] == 0;
        }
        boolean mapped = zeroTen && (v6[10] & 0xff) == 0xff && (v6[11] & 0xff) == 0xff;
        boolean compatible = zeroTen && v6[10] == 0 && v6[11] == 0 && !allZero(v6, 12, 16) && !(allZero(v6, 12, 15) && v6[15] == 1);
        boolean nat64 = (v6[0] & 0xff) == 0x00 && (v6[1] & 0xff) == 0x64 && (v6[2] & 0xff) == 0xff && (v6[3] & 0xff) == 0x9b
                && allZero(v6, 4, 12);
        if (mapped || compatible || nat64) {
            return new byte[] {v6[12], v6[13], v6[14], v6[15]};
        }
        if ((v6[0] & 0xff) == 0x20 && (v6[1] & 0xff) == 0x02) {
            return new byte[] {v6[2], v6[3], v6[4], v6[5]};
        }
        return null;
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static Block v4(int a, int b, int c, int d, int prefix, String kind) {
        return new Block(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}, prefix, kind);
    }

    private static Block v6(String literal, int prefix, String kind) {
        try {
            // a literal: no name lookup
            return new Block(InetAddress.getByName(literal).getAddress(), prefix, kind);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
