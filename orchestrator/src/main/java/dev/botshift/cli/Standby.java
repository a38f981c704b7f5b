package dev.botshift.cli;

import dev.botshift.traffic.router.RouterServer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The hot spare's wait ({@code botshift router --standby-for <pid>}): the JVM is up and a warm-up pass has loaded
 * Netty, Jetty and the routing path, but no port is bound until the supervisor writes {@code go} on standard input. The spare
 * exits without serving when that input closes (the supervisor ended, even by kill -9: the kernel closes its end of
 * the pipe) or when the supervisor's pid is gone (a second watch, in case the pipe's write end leaked elsewhere).
 */
final class Standby {
    static final String GO = "go";
    private static final long WATCH_MILLIS = 100;

    private Standby() {
    }

    /** @return whether the go came; false: the supervisor is gone, leave without serving */
    static boolean awaitGo(long supervisorPid) throws InterruptedException {
        Optional<ProcessHandle> supervisor = ProcessHandle.of(supervisorPid);
        if (supervisor.isEmpty() || !supervisor.get().isAlive()) {
            return false;
        }
        CompletableFuture<Boolean> go = CompletableFuture.supplyAsync(Standby::readGo, runnable -> {
            Thread t = new Thread(runnable, "router-standby-stdin");
            t.setDaemon(true);
            t.start();
        });
        RouterServer.warmUp();
        System.out.println("router standby (pid " + ProcessHandle.current().pid() + "): warm, bound to no port,"
                + " waiting for supervisor " + supervisorPid);
        System.out.flush();
        while (true) {
            try {
                return go.get(WATCH_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // ProcessHandle.isAlive also compares the start time: a reused pid is not our supervisor
                if (!supervisor.get().isAlive()) {
                    return false;
                }
            } catch (java.util.concurrent.ExecutionException e) {
                return false;
            }
        }
    }

    private static boolean readGo() {
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
            String line = in.readLine();
            return GO.equals(line == null ? null : line.strip());
        } catch (IOException e) {
            return false;
        }
    }
}
