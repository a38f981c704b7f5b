package dev.botshift.platform;

import dev.botshift.core.InvalidInputException;
import dev.botshift.plan.Plan;
import dev.botshift.plan.WorkloadSpec;
import dev.botshift.schema.ChangelogSource;
import dev.botshift.schema.SchemaMigrator;
import dev.botshift.schema.liquibase.LiquibaseSchemaMigrator;
import dev.botshift.state.StateStore;
import dev.botshift.state.local.FileStateStore;
import java.io.PrintStream;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The one place where adapters are chosen: a switch over the plan's closed set of names, failing fast on an unknown
 * one (the plan loader already refused it; this is the second line).
 */
public final class Platforms {
    private Platforms() {
    }

    /**
     * The production factory: local or Kubernetes, as the plan says.
     *
     * @param schema the plan's schema migrator, shared with the preflight so the changelog is linted once per run
     * @param env    the environment a webhook secret is read from (the router gets that variable alone)
     */
    public static PlatformFactory factory(StateOptions options, SchemaMigrator schema, Map<String, String> env) {
        return (plan, progress) -> switch (plan.workload().platform()) {
            case WorkloadSpec.LOCAL -> new LocalPlatform(plan, options.stateDir(), schema, env, progress);
            case WorkloadSpec.KUBERNETES -> KubernetesPlatform.open(plan, schema);
            default -> throw new InvalidInputException(plan.source() + ": workload.platform: unknown platform '"
                    + plan.workload().platform() + "'");
        };
    }

    /** The store a plan's rollouts live in; close it. */
    public static StateStore stateStore(Plan plan, StateOptions options) {
        return WorkloadSpec.KUBERNETES.equals(plan.workload().platform())
                ? KubernetesPlatform.stateStore(plan.workload().kubernetes().namespace())
                : new FileStateStore(options.stateDir());
    }

    /** The store the command-line options point at (commands that take an app name, not a plan); close it. */
    public static StateStore stateStore(StateOptions options) {
        return options.namespace() != null
                ? KubernetesPlatform.stateStore(options.namespace())
                : new FileStateStore(options.stateDir());
    }

    public static LiquibaseSchemaMigrator schemaMigrator(Plan plan, Consumer<String> progress) {
        return new LiquibaseSchemaMigrator(plan.database(), ChangelogSource.of(plan), progress);
    }

    /** Stops everything a local plan left running (both colours and the router): the demo's clean-up. */
    public static void tearDownLocal(Plan plan, StateOptions options, PrintStream progress) {
        LocalPlatform.tearDown(plan, options, progress);
    }
}
