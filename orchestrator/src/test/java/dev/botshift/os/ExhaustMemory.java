package dev.botshift.os;

import java.util.ArrayList;
import java.util.List;

/**
 * A main that runs out of heap, for the tests of a supervisor's and a router's JVM out of memory: says "caught" if
 * the error reaches it and "hook ran" if its shutdown hook runs, neither of which a JVM Botshift starts may do.
 */
public final class ExhaustMemory {
    private ExhaustMemory() {
    }

    public static void main(String[] args) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("hook ran")));
        List<byte[]> held = new ArrayList<>();
        try {
            while (true) {
                held.add(new byte[1 << 20]);
            }
        } catch (OutOfMemoryError e) {
            held.clear();
            System.out.println("caught");
        }
    }
}
