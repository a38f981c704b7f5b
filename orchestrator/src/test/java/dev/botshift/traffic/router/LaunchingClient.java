package dev.botshift.traffic.router;

import java.nio.file.Path;

/** A stand-in for a rollout run: starts (or re-attaches to) the router, reports its pid, then waits to be killed. */
public final class LaunchingClient {
    private LaunchingClient() {
    }

    public static void main(String[] args) throws InterruptedException {
        RouterProcess router = RouterProcess.attachOrStart(Path.of(args[0]), RouterProcess.Options.of(0, 0, Path.of(args[1])));
        System.out.println("router pid " + router.pid());
        System.out.flush();
        Thread.sleep(60_000);
    }
}
