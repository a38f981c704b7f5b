package dev.botshift.platform;

import dev.botshift.analysis.scrape.BotMetricsProvider;
import dev.botshift.core.InvalidInputException;
import dev.botshift.plan.AnalysisSpec;
import dev.botshift.plan.Plan;
import dev.botshift.plan.WorkloadSpec;
import dev.botshift.schema.ChangelogSource;
import dev.botshift.schema.SchemaMigrator;
import dev.botshift.schema.liquibase.LiquibaseSchemaMigrator;
import dev.botshift.state.StateStore;
import dev.botshift.state.local.FileStateStore;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * What {@code botshift plan} and the deploy's preflight say about the bots' {@code /metrics}: one warning per
     * running bot of the app that serves none (naming the URL probed), when the plan's provider reads them. Only the
     * embedded default's bots can be probed from here; a first release has none running yet (the rollout itself then
     * warns and falls back to the router's signals).
     */
    public static List<String> botMetricsWarnings(Plan plan, StateOptions options) {
        String provider = plan.analysis().provider();
        if (!WorkloadSpec.LOCAL.equals(plan.workload().platform())
                || !(AnalysisSpec.COMBINED.equals(provider) || AnalysisSpec.BOT_METRICS.equals(provider))) {
            return List.of();
        }
        List<URI> running;
        try {
            running = LocalPlatform.runningBots(plan, options.stateDir());
        } catch (RuntimeException unreadable) {
            // only a warning depends on it: a state directory that cannot be read (or is not ours) is refused, with
            // its own message, by the command's state checks that follow
            return List.of();
        }
        BotMetricsProvider scraper = new BotMetricsProvider(slot -> List.of(), Duration.ofSeconds(2));
        List<String> warnings = new ArrayList<>();
        for (URI bot : running) {
            scraper.probe(bot).ifPresent(why -> warnings.add("warning: the running bot at " + bot + ": /metrics " + why
                    + (AnalysisSpec.COMBINED.equals(provider)
                    ? "; a release without bot metrics is judged by the router's signals only (HTTP 5xx)"
                    : "; analysis.provider bot-metrics needs them (docs/bot-contract.md#metrics)")));
        }
        return warnings;
    }

    /** Stops everything a local plan left running (both colours and the router): the demo's clean-up. */
    public static void tearDownLocal(Plan plan, StateOptions options, PrintStream progress) {
        LocalPlatform.tearDown(plan, options, progress);
    }
}
