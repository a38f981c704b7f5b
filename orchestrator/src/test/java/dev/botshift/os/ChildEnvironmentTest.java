package dev.botshift.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ChildEnvironmentTest {
    static final Map<String, String> PARENT = Map.of("PATH", "/usr/bin", "LANG", "C.UTF-8", "DB_URL", "jdbc:postgresql://db/x",
            "DB_USER", "u", "DB_PASSWORD", "S3cret", "AWS_SECRET_ACCESS_KEY", "k", "HOOK", "h");

    @Test
    void aChildGetsWhatAnyProgramNeedsAndWhatItIsHandedNothingElse() {
        ChildEnvironment env = ChildEnvironment.minimal(PARENT).with("HOOK", "the-hook-secret");
        assertThat(env.variables()).containsOnly(Map.entry("PATH", "/usr/bin"), Map.entry("LANG", "C.UTF-8"),
                Map.entry("HOOK", "the-hook-secret"));
        assertThat(env.toString()).contains("HOOK").doesNotContain("the-hook-secret");
    }

    @Test
    void applyingItReplacesTheInheritedEnvironment() {
        ProcessBuilder builder = new ProcessBuilder("true");
        builder.environment().put("DB_PASSWORD", "S3cret");
        ChildEnvironment.minimal(PARENT).applyTo(builder);
        assertThat(builder.environment()).doesNotContainKey("DB_PASSWORD").containsEntry("PATH", "/usr/bin");
    }
}
