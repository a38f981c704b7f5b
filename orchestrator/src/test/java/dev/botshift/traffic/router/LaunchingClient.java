package dev.botshift.traffic.router;

import java.nio.file.Path;

/**
 * A stand-in for a rollout run: starts (or re-attaches to) the router, reports its pid, then waits to be killed. With
 * a third argument {@code spare <port>}, a stand-in for a supervisor: starts a hot spare for that port instead.
 */
public final class LaunchingClient {
    private LaunchingClient() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 2 && args[2].equals("spare")) {
            RouterSpare spare = RouterSpare.start(Path.of(args[0]),
                    RouterProcess.Options.of(Integer.parseInt(args[3]), 0, Path.of(args[1])));
            System.out.println("spare pid " + spare.pid());
            System.out.flush();
            Thread.sleep(60_000);
            return;
        }
        RouterProcess router = RouterProcess.attachOrStart(Path.of(args[0]), RouterProcess.Options.of(0, 0, Path.of(args[1])));
        System.out.println("router pid " + router.pid());
        System.out.flush();
        Thread.sleep(60_000);
    }
}
