package dev.botshift.os;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** The port for a child to listen on: below the ephemeral range, where outgoing connections do not take ports. */
class ListenPortTest {
    @Test
    void aPickIsBelowTheEphemeralRangeAndFree() throws Exception {
        int start = ListenPort.ephemeralStart();
        for (int i = 0; i < 20; i++) {
            int port = ListenPort.pick();
            assertTrue(port >= ListenPort.LOWEST && port < start, port + " within [" + ListenPort.LOWEST + ", " + start
                    + ")");
            try (ServerSocket listening = new ServerSocket(port)) {
                assertTrue(listening.isBound(), "the child can listen on " + port);
            }
        }
    }

    @Test
    void aPortSomethingListensOnIsNotFree() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            assertFalse(ListenPort.free(taken.getLocalPort()));
        }
    }

    @Test
    void withNoRoomBelowTheEphemeralRangeTheKernelPicks() {
        int port = ListenPort.pick(ListenPort.LOWEST + 10);
        assertTrue(port > 0);
        assertTrue(ListenPort.free(port), "what the kernel picked is free again");
    }
}
