package dev.botshift.platform;

import dev.botshift.core.InvalidInputException;
import dev.botshift.plan.Plan;
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

    /** Assembles the ports for {@code plan}: starts or re-attaches what the platform needs (e.g. the local router). */
    public static Platform open(Plan plan, StateOptions options, Map<String, String> env, PrintStream progress) {
        return switch (plan.workload().platform()) {
            case "local" -> LocalPlatform.open(plan, options, env, progress);
            case "kubernetes" -> KubernetesPlatform.open(plan, progress);
            default -> throw new InvalidInputException(plan.source() + ": workload.platform: unknown platform '"
                    + plan.workload().platform() + "'");
        };
    }

    /** The store a plan's rollouts live in. */
    public static StateStore stateStore(Plan plan, StateOptions options) {
        return "kubernetes".equals(plan.workload().platform())
                ? KubernetesPlatform.stateStore(plan.workload().kubernetes().namespace())
                : new FileStateStore(options.stateDir());
    }

    /** The store the command-line options point at (commands that take an app name, not a plan). */
    public static StateStore stateStore(StateOptions options) {
        return options.namespace() != null
                ? KubernetesPlatform.stateStore(options.namespace())
                : new FileStateStore(options.stateDir());
    }

    public static SchemaMigrator schemaMigrator(Plan plan, Consumer<String> progress) {
        return new LiquibaseSchemaMigrator(plan.database(), plan.resolve(plan.database().changelog()), progress);
    }

    /** Stops everything a local plan left running (both colours and the router): the demo's clean-up. */
    public static void tearDownLocal(Plan plan, StateOptions options, PrintStream progress) {
        LocalPlatform.tearDown(plan, options, progress);
    }
}
