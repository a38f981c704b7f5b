package dev.botshift.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The archive the build dumps next to the built jar holds what both kinds of Botshift JVM load: a command's (a lint:
 * Liquibase) and a router's (Jetty). Read from the JVM's own class-loading log: "source: shared objects file".
 */
class ClassDataArchiveIT {
    private static final Path JAR = Path.of(System.getProperty("botshift.jar"));

    @Test
    void aLintMapsLiquibaseFromTheArchive() throws Exception {
        String log = run(List.of("dev.botshift.cli.Main", "lint",
                Path.of("..", "examples", "sentiment-bot", "db", "changelog-v2.yaml").toString()));
        assertThat(sourceOf(log, "liquibase.Scope")).isEqualTo("shared objects file (top)");
    }

    @Test
    void aRouterSpareMapsNettyAndJettyFromTheArchive() throws Exception {
        // a spare of a live "supervisor" (this JVM) warms up, then leaves when its standard input closes
        String log = run(List.of("dev.botshift.cli.Main", "router", "--config-file",
                Path.of(System.getProperty("java.io.tmpdir"), "archive-it-unused.json").toString(),
                "--standby-for", Long.toString(ProcessHandle.current().pid())));
        assertThat(log).contains("router standby");
        assertThat(sourceOf(log, "org.eclipse.jetty.server.Server")).isEqualTo("shared objects file (top)");
        assertThat(sourceOf(log, "io.netty.handler.codec.http.HttpServerCodec")).startsWith("shared objects file");
        assertThat(sourceOf(log, "dev.botshift.traffic.router.BotConnections")).startsWith("shared objects file");
    }

    private static String run(List<String> mainAndArgs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(JavaCommand.classDataOptions(JAR.toString()));
        command.addAll(List.of("-Xshare:on", "-Xlog:class+load=info", "-cp", JAR.toString()));
        command.addAll(mainAndArgs);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    /** What the log says a class was loaded from, or "not loaded". */
    private static String sourceOf(String log, String className) {
        String marker = " " + className + " source: ";
        return log.lines().filter(l -> l.contains(marker)).findFirst()
                .map(l -> l.substring(l.indexOf(marker) + marker.length())).orElse("not loaded");
    }
}
