package dev.botshift.state.local;

import dev.botshift.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botshift.core.ExitCode;
import dev.botshift.core.InvalidInputException;
import dev.botshift.state.AppLock;
import dev.botshift.state.LockHeldException;
import dev.botshift.state.LockLostException;
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

    private AppLock held;

    /** The app's lock, taken once per test: state writes are fenced by it. */
    private AppLock lock() {
        if (held == null) {
            held = store().lock("bot", "test", Duration.ofMinutes(10));
        }
        return held;
    }

    // A Botshift before 2026-12-07 could store NaN sums (a blue failing above two thirds): Jackson writes them as the
    // string "NaN"; this one reads them back as no evidence, so the resumed rollout's sequential test decides again.
    @Test
    void sumsStoredAsNotANumberAreReadAsNoEvidence() throws Exception {
        dev.botshift.analysis.JudgeMemory stored = FileStateStore.JSON.readValue(FileStateStore.JSON.writeValueAsString(
                new dev.botshift.analysis.JudgeMemory(2.0, 1.0, 300, 3, null)).replace("2.0", "\"NaN\"")
                .replace("1.0", "\"NaN\""), dev.botshift.analysis.JudgeMemory.class);
        assertThat(stored.cusum()).isZero();
        assertThat(stored.steepCusum()).isZero();
        assertThat(stored.baselineRequests()).isEqualTo(300);
    }

    @Test
    void absentDocumentReadsEmptyAndFirstWriteNeedsNullVersion() {
        FileStateStore store = store();
        assertThat(store.read("bot")).isEmpty();

        Versioned first = store.write("bot", "{\"phase\":\"PENDING\"}", null, lock());

        assertThat(store.read("bot")).contains(first);
        assertThatThrownBy(() -> store.write("bot", "{}", null, lock())).isInstanceOf(StateConflictException.class);
    }

    @Test
    void compareAndSetLetsExactlyOneOfTwoWritersWin() {
        FileStateStore alice = store();
        FileStateStore bob = new FileStateStore(dir, clock);
        Versioned base = alice.write("bot", "{\"step\":0}", null, lock());

        Versioned aliceWrote = alice.write("bot", "{\"step\":1,\"by\":\"alice\"}", base.version(), lock());

        assertThatThrownBy(() -> bob.write("bot", "{\"step\":1,\"by\":\"bob\"}", base.version(), lock()))
                .isInstanceOf(StateConflictException.class)
                .hasMessageContaining("'bot'");
        assertThat(bob.read("bot")).contains(aliceWrote);
        assertThat(aliceWrote.version()).isNotEqualTo(base.version());
    }

    @Test
    void documentIsKeptVerbatimEvenWhenLargeOrOddlyFormatted() {
        String odd = "{ \"a\" : 1.50 ,\n \"text\": \"quotes \\\" and unicode \u00e9\", \"big\": \"" + "x".repeat(2_000_000) + "\"}";
        store().write("bot", odd, null, lock());

        assertThat(store().read("bot").orElseThrow().json()).isEqualTo(odd);
    }

    @Test
    void readersNeverSeeAPartialDocument() throws Exception {
        FileStateStore store = store();
        String a = "{\"fill\":\"" + "a".repeat(500_000) + "\"}";
        String b = "{\"fill\":\"" + "b".repeat(500_000) + "\"}";
        AtomicReference<String> version = new AtomicReference<>(store.write("bot", a, null, lock()).version());
        AtomicBoolean done = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 40; i++) {
                version.set(store.write("bot", i % 2 == 0 ? b : a, version.get(), lock()).version());
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
        held.close();
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
        assertThatThrownBy(first::renew).isInstanceOfSatisfying(LockLostException.class,
                e -> assertThat(e.getMessage()).contains("held by second"));
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
    void aLiveHolderRecordedBeforeAClockStepStillHoldsTheLockAndARecycledPidDoesNot() throws Exception {
        store().lock("bot", "first", Duration.ofMinutes(1));
        Path file = dir.resolve("bot/lock.json");
        ObjectNode recorded = (ObjectNode) FileStateStore.JSON.readTree(Files.readString(file));
        assertThat(recorded.path("pidStartTicks").isIntegralNumber()).as("the ticks are recorded").isTrue();

        // this (live) process as a JVM reads it after the clock was stepped by an hour: the ticks say it is the holder
        Files.writeString(file, recorded.deepCopy().put("pidStartedAt", recorded.path("pidStartedAt").asLong() - 3_600_000)
                .toString());
        assertThatThrownBy(() -> store().lock("bot", "second", Duration.ofMinutes(1))).isInstanceOf(LockHeldException.class);

        // the same pid with another start tick is another process: the holder is gone, its lock is taken over
        Files.writeString(file, recorded.deepCopy().put("pidStartTicks", recorded.path("pidStartTicks").asLong() + 1)
                .toString());
        assertThat(store().lock("bot", "second", Duration.ofMinutes(1)).holder()).isEqualTo("second");
    }

    @Test
    void twoProcessesRacingForTheLockExactlyOneWins() throws Exception {
        List<String> outcomes = raceTwoJvms("lock");

        assertThat(outcomes).filteredOn(o -> o.startsWith("WON ")).hasSize(1);
        String winner = outcomes.stream().filter(o -> o.startsWith("WON ")).findFirst().orElseThrow().substring(4);
        assertThat(outcomes).containsOnly("WON " + winner, "HELD " + winner);
    }

    @Test
    void twoProcessesRacingToWriteExactlyOneWrites() throws Exception {
        store().write("bot", "{\"step\":0}", null, lock());
        held.close();

        List<String> outcomes = raceTwoJvms("write");

        assertThat(outcomes).filteredOn(o -> o.startsWith("WROTE ")).hasSize(1);
        assertThat(store().read("bot").orElseThrow().version()).isEqualTo("2");
    }

    @Test
    void aHolderWhoseLockWasTakenOverCannotWriteAnyMore() {
        FileStateStore store = store();
        AppLock old = store.lock("bot", "old holder", Duration.ofSeconds(15));
        Versioned v = store.write("bot", "{\"step\":0}", null, old);
        clock.advance(Duration.ofSeconds(16)); // not renewed: expired, and taken over
        AppLock taker = store.lock("bot", "new holder", Duration.ofSeconds(15));

        assertThatThrownBy(() -> store.write("bot", "{\"step\":1,\"by\":\"old\"}", v.version(), old))
                .isInstanceOf(LockLostException.class).hasMessageContaining("new holder");
        assertThatThrownBy(old::check).as("and it knows by its own clock").isInstanceOf(LockLostException.class);
        assertThatThrownBy(old::renew).isInstanceOf(LockLostException.class);
        assertThat(store.read("bot").orElseThrow()).as("nothing merged, nothing written").isEqualTo(v);
        assertThat(store.write("bot", "{\"step\":1,\"by\":\"new\"}", v.version(), taker).version()).isEqualTo("2");
    }

    @Test
    void manualCommandsWaitInTheInboxInOrderUntilConsumed() {
        FileStateStore store = store();
        store.request("bot", "a1", "{\"kind\":\"PAUSE\"}");
        clock.advance(Duration.ofMillis(5));
        store.request("bot", "b2", "{\"kind\":\"RESUME\"}");

        assertThat(store.requests("bot")).containsExactly(java.util.Map.entry("a1", "{\"kind\":\"PAUSE\"}"),
                java.util.Map.entry("b2", "{\"kind\":\"RESUME\"}"));
        store.consumed("bot", List.of("a1"));
        assertThat(store.requests("bot")).containsOnlyKeys("b2");
        assertThatThrownBy(() -> store.request("bot", "../../etc/x", "{}")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNameNoAppCanHaveIsInvalidInputBeforeItNamesAFolder() {
        assertThatThrownBy(() -> store().read("../etc"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("<app>: '../etc' is not an app name");
        // a folder name, but no plan's name: refused as on Kubernetes, where it would name no object either
        assertThatThrownBy(() -> store().lock("Bot_1.v2", "test", Duration.ofMinutes(1)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'Bot_1.v2' is not an app name");
        assertThat(dir.resolve("Bot_1.v2")).doesNotExist();
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
