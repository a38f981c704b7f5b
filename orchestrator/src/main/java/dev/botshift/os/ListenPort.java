package dev.botshift.os;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A free port for a process started later to listen on (a bot, the demo's router).
 *
 * <p>Why not the kernel's answer to port 0: it comes from the ephemeral range, the range the kernel also takes the
 * local port of every outgoing connection from. Between this pick and the child's bind (a JVM start: seconds) any
 * outgoing connection on the machine (the bots' database connections, the chat traffic's) may take that port, and
 * the child cannot listen ("port already in use": two demo runs failed so). A port below the ephemeral range is
 * only ever taken by a program that asks for it, and one that listens there already is skipped.
 */
public final class ListenPort {
    /** The lowest port picked: below, the well-known and most registered services' ports. */
    static final int LOWEST = 10_000;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** Linux's default start of the ephemeral range, where the kernel does not tell. */
    private static final int DEFAULT_EPHEMERAL_START = 32_768;
    private static final int TRIES = 50;

    private ListenPort() {
    }

    /** A port nothing listens on now, below the ephemeral range when there is room there. */
    public static int pick() {
        return pick(ephemeralStart());
    }

    static int pick(int ephemeralStart) {
        if (ephemeralStart - LOWEST >= 1_000) {
            for (int i = 0; i < TRIES; i++) {
                int port = ThreadLocalRandom.current().nextInt(LOWEST, ephemeralStart);
                if (free(port)) {
                    return port;
                }
            }
        }
        // a machine whose ephemeral range leaves no room below it (or a crowded one): the kernel's pick
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port", e);
        }
    }

    /** Bindable on every interface (the stricter test: a listener on any one address makes it fail). */
    static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    static int ephemeralStart() {
        // read as lines: Files.readString reads one byte of a /proc/sys file (its size reads as 0; a second read at
        // an offset finds nothing)
        try (java.io.BufferedReader reader = Files.newBufferedReader(EPHEMERAL_RANGE)) {
            String[] range = reader.readLine().trim().split("\\s+");
            return Integer.parseInt(range[0]);
        } catch (IOException | RuntimeException unknown) {
            return DEFAULT_EPHEMERAL_START;
        }
    }
}
