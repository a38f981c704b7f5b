package dev.botshift.supervise.local;

import dev.botshift.testing.Slow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The supervisor's spare with real processes: a JVM standing in for the supervisor starts it, and is then killed,
 * stopped with SIGTERM, or ends by itself. Only the kill makes the spare run what it was to become.
 */
@Slow
class SupervisorSpareTest {
    @TempDir
    Path appDir;

    @Test
    void aSupervisorKilledIsReplacedByItsSpare() throws Exception {
        Holder holder = Holder.start(appDir, "wait");
        holder.process.destroyForcibly(); // SIGKILL: no shutdown hook
        holder.process.waitFor(10, TimeUnit.SECONDS);

        Path became = awaitBecame();
        assertThat(became).as("the spare ran what it was to become").exists();
        assertThat(Files.readString(became).strip()).as("as the same process, in its own session")
                .isEqualTo(holder.sparePid + " " + holder.sparePid);
        assertThat(Files.readString(became.resolveSibling("after"))).as("with the supervisor's environment")
                .contains("SPARE_TEST_VARIABLE=kept");
    }

    /**
     * A supervisor that lives but is stopped (SIGSTOP: what a frozen JVM looks like from outside) says nothing on the
     * pipe: its spare kills it and takes over once the silence limit has passed; beats at their pace are no silence.
     */
    @Test
    void aSupervisorStoppedIsKilledByItsSpareAfterTheSilenceLimitAndReplaced() throws Exception {
        Holder holder = Holder.start(appDir, "wait", 3);
        Thread.sleep(4_500); // one silence limit and a half of beats
        assertThat(appDir.resolve("became")).as("a supervisor that beats is left alone").doesNotExist();
        assertThat(holder.process.isAlive()).isTrue();

        dev.botshift.testing.StopSignal.stop(holder.process.pid());
        long stopped = System.nanoTime();
        assertThat(holder.process.waitFor(15, TimeUnit.SECONDS)).as("killed by its spare").isTrue();
        long killedMillis = (System.nanoTime() - stopped) / 1_000_000;
        Path became = awaitBecame();
        System.out.println("measured: a stopped supervisor killed by its spare " + killedMillis + " ms after the stop "
                + "(silence limit 3 s)");
        assertThat(holder.process.exitValue()).as("SIGKILL").isEqualTo(128 + 9);
        assertThat(killedMillis).as("after the silence limit, not before").isBetween(2_000L, 8_000L);
        assertThat(became).as("the spare ran what it was to become").exists();
        assertThat(Files.readString(became).strip()).isEqualTo(holder.sparePid + " " + holder.sparePid);
        assertThat(Files.readString(appDir.resolve(SupervisorProcess.LOG))).contains("the supervisor (pid " + holder.process.pid()
                + ") said nothing for 3s (stopped or frozen): killed, this spare takes over");
    }

    /**
     * A supervisor whose threads deadlock still beats (the beat has a thread of its own), so silence would never show
     * it: it finds the deadlock itself, says which threads wait for what in its log, and ends, well before the silence
     * limit; its spare takes over.
     */
    @Test
    void aSupervisorWhoseThreadsDeadlockEndsItselfAndIsReplaced() throws Exception {
        Holder holder = Holder.start(appDir, "deadlock", 30);
        long started = System.nanoTime();
        String said = holder.out.lines().collect(java.util.stream.Collectors.joining("\n")); // to its end
        assertThat(holder.process.waitFor(10, TimeUnit.SECONDS)).as("ended by itself").isTrue();
        long endedMillis = (System.nanoTime() - started) / 1_000_000;
        Path became = awaitBecame();
        System.out.println("measured: a deadlocked supervisor ended " + endedMillis + " ms after its threads were "
                + "started into the deadlock (beats every 5 s; silence limit 30 s)");
        assertThat(holder.process.exitValue()).as("its own halt, not the spare's SIGKILL").isEqualTo(1);
        assertThat(endedMillis).as("at a beat's look, long before the silence limit").isLessThan(12_000L);
        assertThat(said).contains("2 of its threads are deadlocked, so it ends now and its spare takes over",
                "\"deadlock-one\"", "\"deadlock-two\"");
        assertThat(became).as("the spare ran what it was to become").exists();
    }

    @Test
    void aSupervisorStoppedWithSigtermOrEndingByItselfTakesItsSpareAlong() throws Exception {
        for (String how : List.of("wait", "exit")) {
            Holder holder = Holder.start(appDir, how);
            if (how.equals("wait")) {
                holder.process.destroy(); // SIGTERM: the shutdown hook says "leave"
            }
            assertThat(holder.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            ProcessHandle spare = ProcessHandle.of(holder.sparePid).orElse(null);
            if (spare != null) {
                spare.onExit().get(10, TimeUnit.SECONDS);
            }
            Thread.sleep(200);
            assertThat(appDir.resolve("became")).as(how + ": the spare left without running it").doesNotExist();
        }
    }

    @Test
    void aSpareKilledWhileItsSupervisorLivesIsReplaced() throws Exception {
        Holder holder = Holder.start(appDir, "wait");
        ProcessHandle first = ProcessHandle.of(holder.sparePid).orElseThrow();
        first.destroyForcibly();
        first.onExit().get(10, TimeUnit.SECONDS);

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!(SupervisorSpare.alive(appDir) && !Files.readString(appDir.resolve(SupervisorSpare.RECORD))
                .contains("\"pid\":" + holder.sparePid + ",")) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(SupervisorSpare.alive(appDir)).as("a new spare waits").isTrue();
        holder.process.destroyForcibly();
        holder.process.waitFor(10, TimeUnit.SECONDS);
        assertThat(awaitBecame()).as("the new spare took over").exists();
    }

    @Test
    void stoppingTheSupervisorStopsItsWaitingSpareFirst() throws Exception {
        Holder holder = Holder.start(appDir, "wait");
        SupervisorSpare.stopping(appDir, holder.process.pid()); // what SupervisorProcess.stop does first
        SupervisorSpare.stopRecorded(appDir);
        assertThat(ProcessHandle.of(holder.sparePid).filter(ProcessHandle::isAlive)).as("the spare").isEmpty();
        Thread.sleep(2500); // its supervisor's next look starts another spare meanwhile, which reads the mark too
        holder.process.destroyForcibly(); // a supervisor forced after its 10 s: no "leave"
        holder.process.waitFor(10, TimeUnit.SECONDS);
        Thread.sleep(500);
        assertThat(appDir.resolve("became")).as("no spare took over a supervisor stopped on purpose").doesNotExist();
        SupervisorSpare.forgetStopped(appDir);
        assertThat(appDir).isDirectoryNotContaining("glob:**/" + SupervisorSpare.STOPPING_PREFIX + "*");
    }

    /** Where the spare, once it has become what it was to, writes (looked for up to 10 s). */
    private Path awaitBecame() throws InterruptedException {
        Path became = appDir.resolve("became");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(became) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return became;
    }

    /** The stand-in supervisor: another JVM that starts a spare and then waits, or ends. */
    private record Holder(Process process, long sparePid, BufferedReader out) {
        static Holder start(Path appDir, String how) throws Exception {
            return start(appDir, how, SupervisorSpare.SILENCE_LIMIT.toSeconds());
        }

        static Holder start(Path appDir, String how, long silenceSeconds) throws Exception {
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), appDir.toString(), how,
                    Long.toString(silenceSeconds))
                    .redirectErrorStream(true);
            builder.environment().put("SPARE_TEST_VARIABLE", "kept");
            Process process = builder.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            while (line != null && !line.startsWith("spare ")) {
                line = out.readLine();
            }
            assertThat(line).as("the stand-in's spare").isNotNull();
            long pid = Long.parseLong(line.substring("spare ".length()).trim());
            if (how.equals("wait")) { // one that ends by itself may have taken its spare along already
                assertThat(SupervisorSpare.alive(appDir)).as("its spare waits").isTrue();
            }
            return new Holder(process, pid, out);
        }
    }

    public static final class Main {
        /** Two threads that each hold one monitor and wait for the other's. */
        private static void deadlock() throws InterruptedException {
            Object one = new Object();
            Object two = new Object();
            java.util.concurrent.CountDownLatch bothHold = new java.util.concurrent.CountDownLatch(2);
            for (Object[] order : List.of(new Object[] {one, two, "deadlock-one"}, new Object[] {two, one, "deadlock-two"})) {
                Thread t = new Thread(() -> {
                    synchronized (order[0]) {
                        bothHold.countDown();
                        try {
                            bothHold.await();
                        } catch (InterruptedException e) {
                            return;
                        }
                        synchronized (order[1]) {
                            System.out.println("not deadlocked");
                        }
                    }
                }, (String) order[2]);
                t.setDaemon(true);
                t.start();
            }
        }

        public static void main(String[] args) throws Exception {
            Path appDir = Path.of(args[0]);
            // what the spare becomes: writes its pid and session, and its environment, where the test looks
            Files.createDirectories(appDir);
            long pid = SupervisorSpare.start(appDir, List.of("/bin/sh", "-c",
                    "env > " + appDir.resolve("after") + "; echo $$ $(ps -o sid= -p $$) > " + appDir.resolve("became")),
                    Duration.ofSeconds(Long.parseLong(args[2]))).orElseThrow();
            System.out.println("spare " + pid);
            System.out.flush();
            if (args[1].equals("deadlock")) {
                deadlock();
            }
            if (args[1].equals("wait") || args[1].equals("deadlock")) {
                Thread.sleep(60_000);
            }
        }
    }
}
