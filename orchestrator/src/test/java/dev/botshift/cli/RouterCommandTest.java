package dev.botshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RouterCommandTest {
    @Test
    void commandOptionsParse() {
        RouterCommand command = CommandLine.populateCommand(new RouterCommand(),
                "--listen", "0", "--admin-port", "9001", "--config-file", "r.json");
        assertThat(command.listenPort).isZero();
        assertThat(command.adminPort).isEqualTo(9001);
        assertThat(command.config.configFile).isEqualTo(Path.of("r.json"));
        assertThat(new CommandLine(new RouterCommand()).execute("--listen", "0")).isEqualTo(2);
    }
}
