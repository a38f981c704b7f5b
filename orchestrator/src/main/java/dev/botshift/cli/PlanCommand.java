package dev.botshift.cli;

import dev.botshift.core.VisibleText;
import dev.botshift.schema.PasswordLiterals;
import dev.botshift.plan.Plan;
import dev.botshift.plan.PlanLoader;
import dev.botshift.plan.WorkloadSpec;
import dev.botshift.platform.Platforms;
import dev.botshift.platform.StateOptions;
import dev.botshift.rollout.RolloutState;
import dev.botshift.rollout.RolloutStateCodec;
import dev.botshift.schema.SchemaPhase;
import dev.botshift.schema.liquibase.LiquibaseSchemaMigrator;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "plan",
        description = {"Show what 'deploy' would do, changing nothing: whether it would start a rollout, follow one, "
                + "do nothing or refuse, given the app's stored state (local platform); the rollout's steps; and the "
                + "statements expand and contract will really run against the plan's database, pending changesets "
                + "only, risky ones in their lock-light form."})
final class PlanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--plan"}, required = true, paramLabel = "<plan.yaml>")
    Path planFile;

    @Option(names = "--no-sql", description = "Only the steps; do not connect to the database.")
    boolean noSql;

    @Option(names = {"-o", "--output"}, paramLabel = "text|json", defaultValue = "text",
            description = "text, or json: one object with app, release, platform, router, approval, traffic steps "
                    + "(and expandSql, contractSql without --no-sql); pipelines read the release from it.")
    Output output;

    @Mixin
    StateOptions state;

    /**
     * What deploy would do with the app's stored rollout, on the local platform, read only; nothing on Kubernetes (a
     * preview does not reach for the cluster) or when the store cannot be read (said: the preview does not need it).
     */
    private Optional<String> deployWould(Plan plan) {
        if (!WorkloadSpec.LOCAL.equals(plan.workload().platform())) {
            return Optional.empty();
        }
        RolloutState existing;
        try (var store = Platforms.stateStore(plan, state)) {
            existing = store.read(plan.name()).map(v -> RolloutStateCodec.decode(v.json())).orElse(null);
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("botshift: the stored rollout of " + plan.name() + " cannot be read ("
                    + e.getMessage() + "): what deploy would do with it is not shown");
            return Optional.empty();
        }
        return Optional.of(PlanText.deployWould(existing, plan));
    }

    @Override
    public Integer call() {
        Plan plan = PlanLoader.load(planFile);
        Preflight.botMetrics(plan, state, spec.commandLine().getErr());
        LiquibaseSchemaMigrator schema = Platforms.schemaMigrator(plan, System.err::println);
        // with the database, what it already applied is not judged again; --no-sql never touches it
        Preflight.check(noSql ? schema.lintOffline() : schema.lint(), spec.commandLine().getErr());
        String expand = null;
        String contract = null;
        String rehearsal = PlanText.rehearsal(null);
        if (!noSql) {
            Preflight.appUser(plan, schema, spec.commandLine().getErr());
            // shown, in text or JSON, with their password literals hidden (a CI log keeps what it is shown)
            expand = PasswordLiterals.hidden(schema.previewSql(SchemaPhase.EXPAND));
            contract = PasswordLiterals.hidden(schema.previewSql(SchemaPhase.CONTRACT));
            rehearsal = PlanText.rehearsal(schema.rehearsal().unavailable());
        }
        if (output == Output.json) {
            System.out.println(PlanText.json(plan, expand, contract, rehearsal));
            return 0;
        }
        deployWould(plan).ifPresent(System.out::println);
        System.out.println(PlanText.steps(plan, rehearsal));
        if (!noSql) {
            System.out.println("-- EXPAND: runs while blue serves (the statements as they will run)");
            System.out.println(VisibleText.of(expand)); // the changelog's own text: shown, never run by the terminal
            System.out.println("-- CONTRACT: runs after blue is gone (point of no return; the statements as they will run)");
            System.out.println(VisibleText.of(contract));
        }
        return 0;
    }
}
