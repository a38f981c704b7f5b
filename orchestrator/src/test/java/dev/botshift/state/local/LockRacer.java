package dev.botshift.state.local;

import dev.botshift.state.LockHeldException;
import dev.botshift.state.StateConflictException;
import dev.botshift.state.StateStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A second JVM for the cross-process tests. Args: stateDir app mode goFile. Prints READY, spins until goFile exists,
 * acts, prints the outcome, then stays alive (holding what it took) until its stdin closes.
 * Modes: {@code lock} (WON / HELD holder), {@code cas} (CAS-OK / CAS-CONFLICT), {@code take-and-exit} (takes the lock
 * and dies without releasing it).
 */
public final class LockRacer {
    public static void main(String[] args) throws Exception {
        FileStateStore store = new FileStateStore(Path.of(args[0]));
        String app = args[1];
        String mode = args[2];
        Path go = Path.of(args[3]);
        String holder = "racer pid " + ProcessHandle.current().pid();
        String seenVersion = store.read(app).map(StateStore.Versioned::version).orElse(null);
        System.out.println("READY");
        System.out.flush();
        while (!Files.exists(go)) {
            Thread.onSpinWait();
        }
        switch (mode) {
            case "lock" -> {
                try {
                    store.lock(app, holder, Duration.ofMinutes(1));
                    System.out.println("WON " + holder);
                } catch (LockHeldException e) {
                    System.out.println("HELD " + e.holder());
                }
            }
            case "write" -> {
                try (var lock = store.lock(app, holder, Duration.ofMinutes(1))) {
                    store.write(app, "{\"by\":\"" + holder + "\"}", seenVersion, lock);
                    System.out.println("WROTE " + holder);
                } catch (LockHeldException e) {
                    System.out.println("HELD " + e.holder());
                } catch (StateConflictException e) {
                    System.out.println("CONFLICT");
                }
            }
            case "take-and-exit" -> {
                store.lock(app, holder, Duration.ofHours(1));
                System.out.println("TOOK " + holder);
                System.out.flush();
                Runtime.getRuntime().halt(0);
            }
            default -> throw new IllegalArgumentException(mode);
        }
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }
}
