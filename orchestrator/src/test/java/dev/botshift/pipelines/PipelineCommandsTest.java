package dev.botshift.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botshift.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every botshift command in the pipeline files must parse with the real CLI, so the pipelines cannot drift. */
class PipelineCommandsTest {
    static final Path REPO = Path.of(System.getProperty("botshift.repo", "..")).toAbsolutePath().normalize();
    static final Path WORKFLOW = REPO.resolve("pipelines/github/release.yml");
    static final Path ACTION = REPO.resolve("pipelines/github/action/action.yml");
    static final Path JENKINSFILE = REPO.resolve("pipelines/Jenkinsfile");

    static List<Invocations.Invocation> inWorkflow(Path file) throws IOException {
        Workflow w = Workflow.read(file);
        List<Invocations.Invocation> all = new ArrayList<>();
        for (Workflow.Step s : w.allSteps()) {
            if (s.run() != null) {
                all.addAll(Invocations.find(w.resolve(s.run()), s.env()));
            }
        }
        return all;
    }

    static void assertParses(List<Invocations.Invocation> invocations) {
        assertThat(invocations).allSatisfy(i -> {
            try {
                Main.commandLine().parseArgs(i.args().toArray(String[]::new));
            } catch (CommandLine.ParameterException e) {
                throw new AssertionError("'" + i.text() + "' (as " + i.args() + ") does not parse: " + e.getMessage(), e);
            }
        });
    }

    static Set<String> subcommands(List<Invocations.Invocation> invocations) {
        Set<String> names = new TreeSet<>();
        invocations.forEach(i -> names.add(i.args().get(0)));
        return names;
    }

    @Test
    void everyCommandInTheGithubWorkflowParses() throws IOException {
        List<Invocations.Invocation> found = inWorkflow(WORKFLOW);
        // the supervisor finishes a promoted rollout: the pipeline promotes and follows, it never resumes
        assertThat(subcommands(found)).containsExactlyInAnyOrder("plan", "deploy", "status", "promote", "abort");
        assertFollowsItsOwnReleaseToTheEnd(found);
        assertParses(found);
    }

    @Test
    void everyCommandInTheCompositeActionParses() throws IOException {
        List<Invocations.Invocation> found = inWorkflow(ACTION);
        assertThat(subcommands(found)).containsExactlyInAnyOrder("plan", "deploy", "promote", "resume", "status", "abort");
        assertThat(found).anySatisfy(i -> assertThat(i.args()).contains("--until=succeeded", "--timeout=30m"));
        assertParses(found);
    }

    @Test
    void everyCommandInTheJenkinsfileParses() throws IOException {
        List<Invocations.Invocation> found = Invocations.find(Files.readString(JENKINSFILE), Map.of());
        assertThat(subcommands(found)).containsExactlyInAnyOrder("plan", "deploy", "status", "promote", "abort");
        assertFollowsItsOwnReleaseToTheEnd(found);
        assertThat(found).noneSatisfy(i -> assertThat(i.args()).contains("failed"));
        assertParses(found);
    }

    /**
     * deploy --detach (submitted; the supervisor guards it), promote of this run's release, then a watch of this
     * run's release until it succeeded, bounded: a watch without --release started right after the deploy could
     * report the previous release.
     */
    static void assertFollowsItsOwnReleaseToTheEnd(List<Invocations.Invocation> found) {
        assertThat(found).filteredOn(i -> i.args().get(0).equals("deploy"))
                .allSatisfy(i -> assertThat(i.args()).contains("--detach"));
        // "${own[@]}" is (--release R [--attempt N]); PipelineExitCodesIT sees the words it becomes
        assertThat(found).filteredOn(i -> i.args().get(0).equals("promote")).isNotEmpty()
                .allSatisfy(i -> assertThat(i.text()).contains("\"${own[@]}\""));
        assertThat(found).filteredOn(i -> i.args().contains("--until=succeeded")).singleElement()
                .satisfies(i -> {
                    assertThat(i.args()).contains("--watch", "--timeout=30m");
                    assertThat(i.text()).contains("\"${own[@]}\"");
                });
    }

    @Test
    void theCheckCatchesUnknownCommandsOptionsAndMissingArguments() {
        for (String script : List.of("botshift promte my-bot", "botshift status my-bot --wait",
                "botshift deploy --detach", "botshift status --watch", "x=1; botshift status app --until=forever")) {
            List<Invocations.Invocation> found = Invocations.find(script, Map.of());
            assertThat(found).as(script).hasSize(1);
            assertThatThrownBy(() -> assertParses(found)).as(script).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("does not parse");
        }
    }

    @Test
    void placeholdersAndQuotesBecomeArguments() {
        var found = Invocations.find("if true; then botshift status \"$APP\" --timeout=\"${T}\" \"${extra[@]}\"\nfi\n"
                + "echo \"botshift is not a command here\"\n", Map.of("T", "5m"));
        assertThat(found).singleElement().satisfies(i ->
                assertThat(i.args()).containsExactly("status", "dummy-APP", "--timeout=5m"));
    }
}
