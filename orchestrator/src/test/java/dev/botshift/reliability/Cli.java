package dev.botshift.reliability;

import dev.botshift.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * Runs the real command tree in this JVM. Some commands print to {@code System.out}/{@code System.err} directly and
 * library logs go to {@code System.err}: all of it is captured, so a test sees every byte the user would.
 */
final class Cli {
    private Cli() {
    }

    record Result(int exitCode, String out, String err) {
        String all() {
            return out + err;
        }
    }

    static synchronized Result run(String... args) {
        System.setProperty("liquibase.analytics.enabled", "false");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code;
        System.setOut(o);
        System.setErr(e);
        try {
            CommandLine cl = Main.commandLine();
            cl.setOut(new PrintWriter(o, true));
            cl.setErr(new PrintWriter(e, true));
            code = cl.execute(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A Java stack trace, or the CLI's "internal error" (exit 1) line. */
    static boolean looksLikeACrash(String text) {
        return text.contains("botshift: internal error") || text.contains("\n\tat ") || text.contains("Caused by: ");
    }
}
