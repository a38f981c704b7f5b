package dev.botshift.state.local;

import dev.botshift.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botshift.core.ExitCode;
import dev.botshift.core.InvalidInputException;
import dev.botshift.state.AppLock;
import dev.botshift.state.LockHeldException;
import dev.botshift.state.StateConflictException;
import dev.botshift.state.StateStore.Versioned;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStateStoreTest {
    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);

    private FileStateStore store() {
        return new FileStateStore(dir, clock);
    }

    @Test
    void absentDocumentReadsEmptyAndFirstWriteNeedsNullVersion() {
        FileStateStore store = store();
        assertThat(store.read("bot")).isEmpty();

        Versioned first = store.write("bot", "{\"phase\":\"PENDING\"}", null);

        assertThat(store.read("bot")).contains(first);
        assertThatThrownBy(() -> store.write("bot", "{}", null)).isInstanceOf(StateConflictException.class);
    }

    @Test
    void compareAndSetLetsExactlyOneOfTwoWritersWin() {
        FileStateStore alice = store();
        FileStateStore bob = new FileStateStore(dir, clock);
        Versioned base = alice.write("bot", "{\"step\":0}", null);

        Versioned aliceWrote = alice.write("bot", "{\"step\":1,\"by\":\"alice\"}", base.version());

        assertThatThrownBy(() -> bob.write("bot", "{\"step\":1,\"by\":\"bob\"}", base.version()))
                .isInstanceOf(StateConflictException.class)
                .hasMessageContaining("'bot'");
        assertThat(bob.read("bot")).contains(aliceWrote);
        assertThat(aliceWrote.version()).isNotEqualTo(base.version());
    }

    @Test
    void documentIsKeptVerbatimEvenWhenLargeOrOddlyFormatted() {
        String odd = "{ \"a\" : 1.50 ,\n \"text\": \"quotes \\\" and unicode \u00e9\", \"big\": \"" + "x".repeat(2_000_000) + "\"}";
        store().write("bot", odd, null);

        assertThat(store().read("bot").orElseThrow().json()).isEqualTo(odd);
    }

    @Test
    void readersNeverSeeAPartialDocument() throws Exception {
        FileStateStore store = store();
        String a = "{\"fill\":\"" + "a".repeat(500_000) + "\"}";
        String b = "{\"fill\":\"" + "b".repeat(500_000) + "\"}";
        AtomicReference<String> version = new AtomicReference<>(store.write("bot", a, null).version());
        AtomicBoolean done = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 40; i++) {
                version.set(store.write("bot", i % 2 == 0 ? b : a, version.get()).version());
            }
            done.set(true);
        });
        writer.start();
        int reads = 0;
        while (!done.get()) {
            String seen = store.read("bot").orElseThrow().json();
            assertThat(seen.equals(a) || seen.equals(b)).as("a whole document, length " + seen.length()).isTrue();
            reads++;
        }
        writer.join();
        assertThat(reads).isPositive();
        try (Stream<Path> left = Files.list(dir.resolve("bot"))) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .as("no temp files left behind").containsExactlyInAnyOrder("state.json", ".mutex");
        }
    }

    @Test
    void heldLockIsRefusedNamingHolderAndSince() {
        store().lock("bot", "deploy pid 1 on host a", Duration.ofMinutes(1));
        clock.advance(Duration.ofSeconds(30));

        assertThatThrownBy(() -> store().lock("bot", "deploy pid 2 on host a", Duration.ofMinutes(1)))
                .isInstanceOfSatisfying(LockHeldException.class, e -> {
                    assertThat(e.holder()).isEqualTo("deploy pid 1 on host a");
                    assertThat(e.since()).isEqualTo(T0);
                    assertThat(e.exitCode()).isEqualTo(ExitCode.LOCKED);
                })
                .hasMessageContaining("deploy pid 1 on host a").hasMessageContaining(T0.toString());
    }

    @Test
    void expiredLockIsTakenOverAndTheOldHolderCannotRenew() {
        AppLock first = store().lock("bot", "first", Duration.ofMinutes(1));
        clock.advance(Duration.ofSeconds(59));
        first.renew(); // now expires at T0 + 119 s
        clock.advance(Duration.ofSeconds(50));
        assertThatThrownBy(() -> store().lock("bot", "second", Duration.ofMinutes(1))).isInstanceOf(LockHeldException.class);

        clock.advance(Duration.ofSeconds(10));
        AppLock second = store().lock("bot", "second", Duration.ofMinutes(1));

        assertThat(second.holder()).isEqualTo("second");
        assertThat(second.since()).isEqualTo(T0.plusSeconds(119));
        assertThatThrownBy(first::renew).isInstanceOfSatisfying(LockHeldException.class,
                e -> assertThat(e.holder()).isEqualTo("second"));
        first.close(); // not ours any more: must not release the new holder's lock
        assertThatThrownBy(() -> store().lock("bot", "third", Duration.ofMinutes(1))).isInstanceOf(LockHeldException.class);
        second.renew();
    }

    @Test
    void closeReleasesSoTheNextRunCanLock() {
        try (AppLock lock = store().lock("bot", "first", Duration.ofMinutes(1))) {
            assertThat(lock.holder()).isEqualTo("first");
        }
        try (AppLock again = store().lock("bot", "second", Duration.ofMinutes(1))) {
            assertThat(again.holder()).isEqualTo("second");
            again.close();
            again.close(); // idempotent
        }
        assertThat(dir.resolve("bot/lock.json")).doesNotExist();
    }

    @Test
    void lockOfADeadProcessOnThisHostIsTakenOver() throws Exception {
        Path go = Files.createFile(dir.resolve("go"));
        try (ChildJvm holder = new ChildJvm(LockRacer.class, dir.toString(), "bot", "take-and-exit", go.toString())) {
            assertThat(holder.nextLine()).isEqualTo("READY");
            assertThat(holder.nextLine()).startsWith("TOOK racer pid " + holder.pid());
            assertThat(holder.waitFor(10)).isTrue();
        }
        assertThat(Files.readString(dir.resolve("bot/lock.json"))).contains("racer pid");

        AppLock mine = new FileStateStore(dir).lock("bot", "deploy after crash", Duration.ofMinutes(1));

        assertThat(mine.holder()).isEqualTo("deploy after crash");
        mine.close();
    }

    @Test
    void twoProcessesRacingForTheLockExactlyOneWins() throws Exception {
        List<String> outcomes = raceTwoJvms("lock");

        assertThat(outcomes).filteredOn(o -> o.startsWith("WON ")).hasSize(1);
        String winner = outcomes.stream().filter(o -> o.startsWith("WON ")).findFirst().orElseThrow().substring(4);
        assertThat(outcomes).containsOnly("WON " + winner, "HELD " + winner);
    }

    @Test
    void twoProcessesCompareAndSetExactlyOneWrites() throws Exception {
        store().write("bot", "{\"step\":0}", null);

        List<String> outcomes = raceTwoJvms("cas");

        assertThat(outcomes).containsExactlyInAnyOrder("CAS-OK", "CAS-CONFLICT");
        assertThat(store().read("bot").orElseThrow().version()).isEqualTo("2");
    }

    @Test
    void appNameThatIsNotAFolderNameIsInvalidInput() {
        assertThatThrownBy(() -> store().read("../etc"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'name'");
    }

    private List<String> raceTwoJvms(String mode) throws Exception {
        Path go = dir.resolve("go-" + mode);
        try (ChildJvm one = new ChildJvm(LockRacer.class, dir.toString(), "bot", mode, go.toString());
             ChildJvm two = new ChildJvm(LockRacer.class, dir.toString(), "bot", mode, go.toString())) {
            assertThat(one.nextLine()).isEqualTo("READY");
            assertThat(two.nextLine()).isEqualTo("READY");
            Files.createFile(go);
            // both stay alive until closed, so the loser cannot take over a dead winner's lock
            return List.of(one.nextLine(), two.nextLine());
        }
    }
}
