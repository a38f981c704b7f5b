package dev.botshift.traffic.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.resolver.dns.DefaultDnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.UnixResolverDnsServerAddressStreamProvider;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The router never asks a bot's name of a public name server: the machine's, or the local one as libc would. */
class MachineNameServersTest {
    @TempDir
    Path dir;

    @Test
    void aMachineThatNamesNoNameServerIsAskedLocallyNotOfNettysPublicFallback() {
        List<InetSocketAddress> fallback = List.of(new InetSocketAddress("8.8.8.8", 53),
                new InetSocketAddress("8.8.4.4", 53));

        DnsServerAddressStreamProvider chosen = MachineNameServers.of(DefaultDnsServerAddressStreamProvider.INSTANCE,
                fallback);

        assertThat(first(chosen)).isEqualTo(MachineNameServers.LOCAL);
        assertThat(first(chosen).getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void theNameServersOfResolvConfAreKept() throws Exception {
        Path resolvConf = Files.writeString(dir.resolve("resolv.conf"),
                "search botshift.svc.cluster.local svc.cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n");
        DnsServerAddressStreamProvider platform = new UnixResolverDnsServerAddressStreamProvider(resolvConf.toFile());

        DnsServerAddressStreamProvider chosen = MachineNameServers.of(platform,
                List.of(new InetSocketAddress("8.8.8.8", 53)));

        assertThat(chosen).isSameAs(platform);
        assertThat(first(chosen)).isEqualTo(new InetSocketAddress("10.96.0.10", 53));
    }

    @Test
    void nameServersTheJdkFoundAreKept() {
        // Netty's default provider also hands out what the JDK's resolver configuration names (e.g. on a Mac)
        DnsServerAddressStreamProvider chosen = MachineNameServers.of(DefaultDnsServerAddressStreamProvider.INSTANCE,
                List.of(new InetSocketAddress("192.168.1.1", 53), new InetSocketAddress("8.8.8.8", 53)));

        assertThat(chosen).isSameAs(DefaultDnsServerAddressStreamProvider.INSTANCE);
    }

    private static InetSocketAddress first(DnsServerAddressStreamProvider provider) {
        return provider.nameServerAddressStream("bot-green").next();
    }
}
