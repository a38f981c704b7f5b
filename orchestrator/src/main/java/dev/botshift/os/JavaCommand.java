package dev.botshift.os;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one way Botshift starts another Botshift JVM (a supervisor, a router, its spare): this JVM's {@code java}, the
 * given options, the class-data archive when there is one, and this JVM's class path.
 *
 * <p>The archive ({@code botshift.jsa} next to {@code botshift.jar}, written by the build from a lint and a router
 * warm-up, {@code cli.ArchiveTraining}) holds the classes commands and routers load, already parsed: a JVM maps it instead of reading and verifying them from
 * the jar, which takes about a third less CPU at each start (measured side by side: 1.3–1.4 → 0.9–1.0 s of CPU for a
 * {@code lint}). On a small
 * machine that CPU belongs to the router and the bots. A missing, stale or unreadable archive only means a slower
 * start: the JVM checks the jar's size and time against it and then loads from the jar; its CDS log lines are off
 * because unified logging would print them on standard output, where a command's JSON goes.
 */
public final class JavaCommand {
    private static final String ARCHIVE_SUFFIX = ".jsa";

    private JavaCommand() {
    }

    /**
     * Every JVM Botshift starts ends at once when out of heap, without its shutdown hooks, as on a kill: what watches
     * it (a supervisor's spare, the router's guard) replaces one that is gone, and cannot tell one limping on after a
     * caught {@code OutOfMemoryError} (a router whose event loop lost a task, a supervisor that recorded an end).
     */
    static final String EXIT_OUT_OF_MEMORY = "-XX:+ExitOnOutOfMemoryError";

    /**
     * {@code java -XX:+ExitOnOutOfMemoryError <options> [archive options] -cp <this class path>}; the caller adds the
     * main class and arguments.
     */
    public static List<String> of(List<String> options) {
        String classPath = System.getProperty("java.class.path");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(EXIT_OUT_OF_MEMORY);
        command.addAll(options);
        command.addAll(classDataOptions(classPath));
        command.add("-cp");
        command.add(classPath);
        return command;
    }

    /**
     * The options that let a JVM running {@code classPath} map Botshift's class-data archive: none unless the class path
     * is one jar with a {@code .jsa} beside it.
     */
    public static List<String> classDataOptions(String classPath) {
        if (classPath == null || classPath.contains(java.io.File.pathSeparator) || !classPath.endsWith(".jar")) {
            return List.of();
        }
        Path archive = Path.of(classPath.substring(0, classPath.length() - ".jar".length()) + ARCHIVE_SUFFIX);
        if (!Files.isRegularFile(archive)) {
            return List.of();
        }
        return List.of("-XX:SharedArchiveFile=" + archive.toAbsolutePath(), "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }
}
