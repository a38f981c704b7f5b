package dev.botshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The boot unit of examples/systemd/: its command is a botshift command line that parses, it is {@code up} (a
 * reboot must not carry on a paused rollout, as {@code resume} would), the state directory is set for it, and, where
 * systemd's own checker is installed, systemd accepts the unit as written (a oneshot with {@code Restart=always} or
 * a command that is not there is refused).
 */
class BootUnitTest {
    private static final Path UNIT = Path.of(System.getProperty("botshift.repo"), "examples/systemd/botshift-up@.service");

    @TempDir
    Path dir;

    @Test
    void theUnitRunsUpForItsInstanceWithTheStateDirectorySet() throws Exception {
        Map<String, String> service = section("Service");
        List<String> exec = Arrays.asList(service.get("ExecStart").split("\\s+"));
        assertThat(exec.get(0)).endsWith("/botshift");
        String[] args = exec.subList(1, exec.size()).stream().map(a -> a.replace("%i", "my-bot")).toArray(String[]::new);

        CommandLine.ParseResult parsed = Main.commandLine().parseArgs(args);

        assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("up");
        assertThat(parsed.subcommand().matchedPositionalValue(0, "")).isEqualTo("my-bot");
        assertThat(service.get("Environment")).startsWith("BOTSHIFT_STATE_DIR=/");
        assertThat(service.get("EnvironmentFile")).as("the plan's variables, from a file only root and the group read")
                .isEqualTo("/etc/botshift/%i.env");
        assertThat(service.get("KillMode")).as("what up started outlives the unit").isEqualTo("process");
    }

    @Test
    void systemdAcceptsTheUnit() throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed");
        // the command must exist for systemd: /bin/true stands for the launcher
        String unit = Files.readString(UNIT).replace("/opt/botshift/botshift", "/bin/true");
        Files.writeString(dir.resolve("botshift-up@.service"), unit);
        Files.createSymbolicLink(dir.resolve("botshift-up@my-bot.service"), Path.of("botshift-up@.service"));
        Files.writeString(dir.resolve("refused@.service"), unit.replace("Restart=on-failure", "Restart=always"));
        Files.createSymbolicLink(dir.resolve("refused@my-bot.service"), Path.of("refused@.service"));

        assertThat(verify(analyze, "botshift-up@my-bot.service")).isEqualTo("exit 0: ");
        assertThat(verify(analyze, "refused@my-bot.service")).as("the checker refuses what systemd would")
                .startsWith("exit 1: ").contains("Restart=");
    }

    private String verify(Path analyze, String unit) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(analyze.toString(), "verify", "./" + unit).directory(dir.toFile())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return "exit " + p.exitValue() + ": " + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    /** The keys of one [section] of the unit (a key given twice: the last). */
    private static Map<String, String> section(String name) throws IOException {
        Map<String, String> keys = new LinkedHashMap<>();
        String current = null;
        for (String line : Files.readAllLines(UNIT)) {
            String l = line.strip();
            if (l.startsWith("[") && l.endsWith("]")) {
                current = l.substring(1, l.length() - 1);
            } else if (name.equals(current) && !l.isEmpty() && !l.startsWith("#") && l.contains("=")) {
                keys.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1));
            }
        }
        return keys;
    }
}
