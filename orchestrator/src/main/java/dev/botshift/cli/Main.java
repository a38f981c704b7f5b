package dev.botshift.cli;

import dev.botshift.core.BotshiftException;
import dev.botshift.core.ExitCode;
import dev.botshift.core.VisibleText;
import dev.botshift.kubernetes.ApiFailures;
import dev.botshift.os.CleanUpOnSignal;
import dev.botshift.os.IoFailures;
import picocli.CommandLine;

/** Entry point of {@code botshift}: parses, runs one command, maps failures to the documented exit codes. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        System.setProperty("liquibase.analytics.enabled", "false");
        String log = System.getenv("BOTSHIFT_LOG");
        if (log != null && !log.isBlank()) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", log);
        }
        return commandLine().execute(args);
    }

    /** The fully assembled command tree (also used by tests and the docs generator). */
    public static CommandLine commandLine() {
        return commandLine(CommandLine.defaultFactory());
    }

    /** The command tree with {@code factory} creating the commands and their mixins (tests hand their own in). */
    static CommandLine commandLine(CommandLine.IFactory factory) {
        CommandLine cl = new CommandLine(new BotshiftCommand(), factory);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof BotshiftException b) {
                // a refusal may quote what came from outside: shown, never run by the terminal
                commandLine.getErr().println("botshift: " + VisibleText.of(b.getMessage()));
                return b.exitCode();
            }
            if (ex instanceof InterruptedException && CleanUpOnSignal.signalled()) {
                // Ctrl-C or SIGTERM on a run that cleans up after itself: it has, and said so; the JVM ends with the
                // signal's status (130, 143), not with this code
                return ExitCode.INTERNAL;
            }
            // the last resort for a refusal of the operating system (a full disk...) or of the Kubernetes API (none
            // reachable, a Role without the verb) that escaped unnamed
            var refusal = IoFailures.describe(ex).or(() -> ApiFailures.describe(ex));
            if (refusal.isPresent()) {
                commandLine.getErr().println("botshift: " + VisibleText.of(refusal.get()));
                return ExitCode.INVALID_INPUT;
            }
            commandLine.getErr().println("botshift: internal error: " + VisibleText.of(String.valueOf(ex)));
            if (Boolean.getBoolean("botshift.debug") || System.getenv("BOTSHIFT_DEBUG") != null) {
                ex.printStackTrace(commandLine.getErr());
            } else {
                commandLine.getErr().println("(set BOTSHIFT_DEBUG=1 for the stack trace; please report it)");
            }
            return ExitCode.INTERNAL;
        });
        return cl;
    }
}
