package dev.botshift.traffic.router;

import io.netty.resolver.dns.DefaultDnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;

/**
 * Where the router asks the bots' names: the name servers the machine names ({@code /etc/resolv.conf}), and where it
 * names none, the local one (127.0.0.1:53), as the C library does. Netty's own fallback for a machine that names none
 * is Google's public name servers: the router would then send the bots' names (a cluster's Service names) off the
 * machine, to a server that cannot know them, and wait out each query's timeout before its 502.
 */
final class MachineNameServers {
    /** Netty's fallback (DefaultDnsServerAddressStreamProvider) when the machine names no name server. */
    private static final Set<String> PUBLIC_FALLBACK = Set.of("8.8.8.8", "8.8.4.4", "2001:4860:4860:0:0:0:0:8888",
            "2001:4860:4860:0:0:0:0:8844");
    static final InetSocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 53);

    private MachineNameServers() {
    }

    /** The machine's name servers, as {@link #of} decides from Netty's reading of the machine's files. */
    static DnsServerAddressStreamProvider ofThisMachine() {
        return of(DnsServerAddressStreamProviders.platformDefault(), DefaultDnsServerAddressStreamProvider.defaultAddressList());
    }

    /**
     * {@code platform} as read from the machine's files, unless it is Netty's default provider handing out only its
     * public fallback ({@code defaults}): then the local name server.
     */
    static DnsServerAddressStreamProvider of(DnsServerAddressStreamProvider platform, List<InetSocketAddress> defaults) {
        boolean onlyFallback = platform instanceof DefaultDnsServerAddressStreamProvider && !defaults.isEmpty()
                && defaults.stream().allMatch(a -> a.getAddress() != null
                        && PUBLIC_FALLBACK.contains(a.getAddress().getHostAddress()));
        return onlyFallback ? new SingletonDnsServerAddressStreamProvider(LOCAL) : platform;
    }
}
