package dev.botshift.cli;

import dev.botshift.demo.Demo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo",
        description = {"The whole story on this machine, in about a minute: embedded PostgreSQL, v1 of the sample bot "
                + "live behind the Botshift router under simulated chat traffic; a faulty v2 rolled back by itself; a good "
                + "v2 shifted 10/25/50/100 %%, baked, blue drained, schema contracted, blue torn down.",
                "Exit 0 only if both scenarios ended as expected and no message was lost or stored twice. Ctrl-C "
                        + "stops it and still stops what it started (bots, router, database) before it exits."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = {"-o", "--output"}, paramLabel = "text|json", defaultValue = "text",
            description = "json: exactly one JSON summary object on standard output (progress goes to standard error).")
    Output output;

    @Option(names = "--polling",
            description = "The same story for a bot that long-polls: a fake Telegram Bot API, the router as its single"
                    + " getUpdates consumer delivering to the colours (docs/polling.md); the JSON adds conflicts.")
    boolean polling;

    @Option(names = "--repo", paramLabel = "<dir>", description = "The Botshift repository (default: found from here).")
    Path repo;

    @Override
    public Integer call() throws Exception {
        return new Demo(repo != null ? repo : findRepo(), output == Output.json, polling, System.out, System.err).run();
    }

    static Path findRepo() {
        String hint = System.getProperty("botshift.repo");
        if (hint != null) {
            return Path.of(hint).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("examples/sentiment-bot/demo"))) {
                return p;
            }
        }
        throw new dev.botshift.core.InvalidInputException("cannot find the Botshift repository: run from inside it or "
                + "give --repo <dir>");
    }
}
