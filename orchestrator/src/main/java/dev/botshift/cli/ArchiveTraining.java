package dev.botshift.cli;

import dev.botshift.traffic.router.RouterServer;

/**
 * The run the build dumps Botshift's class-data archive from ({@code orchestrator/pom.xml}, execution
 * {@code class-data-archive}; {@link dev.botshift.os.JavaCommand} says what the archive is for). One JVM loads what
 * the commands, the supervisors and the routers load: a {@code lint} of the changelog given (Liquibase, the linter,
 * picocli, Jackson) and a router's warm-up (Netty, Jetty and the routing path, as a hot spare does). An archive holds only
 * the classes of the one run it was dumped from, so the two must share a JVM.
 */
public final class ArchiveTraining {
    private ArchiveTraining() {
    }

    /** {@code args}: the arguments of the {@code botshift} command to run first (a lint). */
    public static void main(String[] args) {
        int lint = Main.run(args);
        RouterServer.warmUp();
        System.exit(lint);
    }
}
