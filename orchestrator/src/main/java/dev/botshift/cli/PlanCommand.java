package dev.botshift.cli;

import dev.botshift.plan.Plan;
import dev.botshift.plan.PlanLoader;
import dev.botshift.schema.SchemaMigrator;
import dev.botshift.schema.SchemaPhase;
import dev.botshift.platform.Platforms;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "plan",
        description = {"Show what 'deploy' would do, changing nothing: the rollout's steps and the statements expand and "
                + "contract will really run against the plan's database, pending changesets only, risky ones in their "
                + "lock-light form."})
final class PlanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--plan"}, required = true, paramLabel = "<plan.yaml>")
    Path planFile;

    @Option(names = "--no-sql", description = "Only the steps; do not connect to the database.")
    boolean noSql;

    @Override
    public Integer call() {
        Plan plan = PlanLoader.load(planFile);
        Preflight.lint(plan, spec.commandLine().getErr(), !noSql);
        System.out.println(PlanText.steps(plan));
        if (!noSql) {
            SchemaMigrator schema = Platforms.schemaMigrator(plan, System.err::println);
            System.out.println("-- EXPAND: runs while blue serves (the statements as they will run)");
            System.out.println(schema.previewSql(SchemaPhase.EXPAND));
            System.out.println("-- CONTRACT: runs after blue is gone (point of no return; the statements as they will run)");
            System.out.println(schema.previewSql(SchemaPhase.CONTRACT));
        }
        return 0;
    }
}
