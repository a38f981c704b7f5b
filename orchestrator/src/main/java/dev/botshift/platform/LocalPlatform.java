package dev.botshift.platform;

import dev.botshift.analysis.combined.CombinedMetricsProvider;
import dev.botshift.analysis.MetricsProvider;
import dev.botshift.analysis.local.InstanceRestartSignals;
import dev.botshift.analysis.router.RouterMetricsProvider;
import dev.botshift.analysis.scrape.BotMetricsProvider;
import dev.botshift.core.Slot;
import dev.botshift.core.InvalidInputException;
import dev.botshift.core.WebhookPlatform;
import dev.botshift.os.ChildEnvironment;
import dev.botshift.os.PrivateDirectory;
import dev.botshift.plan.AnalysisSpec;
import dev.botshift.plan.Plan;
import dev.botshift.plan.PollingSpec;
import dev.botshift.plan.VerifySpec;
import dev.botshift.rollout.Ports;
import dev.botshift.rollout.RolloutListener;
import dev.botshift.rollout.RolloutState;
import dev.botshift.rollout.RolloutStateCodec;
import dev.botshift.schema.SchemaMigrator;
import dev.botshift.state.StateStore;
import dev.botshift.state.local.FileStateStore;
import dev.botshift.traffic.TrafficRouter;
import dev.botshift.traffic.handover.ConsumerHandover;
import dev.botshift.traffic.router.BotshiftRouterClient;
import dev.botshift.traffic.router.RouterConfigJson;
import dev.botshift.traffic.router.RouterProcess;
import dev.botshift.traffic.router.WebhookSecrets;
import dev.botshift.workload.BotDatabaseEnvironment;
import dev.botshift.workload.local.LocalWorkloads;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded default: bots as detached local processes, the Botshift router as its own detached process, state in
 * files. Nothing here outlives a crash of {@code botshift} except what must: the bots and the router.
 */
final class LocalPlatform implements Platform {
    /** With {@code telegram-handover}: tells each bot to start without polling. */
    static final String CONSUMER_ENV = "BOTSHIFT_CONSUMER";
    /** A stop waits for the bot's long poll in flight; Bot API long polls are at most 50 s in practice. */
    static final Duration HANDOVER_SWITCH_TIMEOUT = Duration.ofSeconds(60);

    private final Plan plan;
    private final Path stateDir;
    private final SchemaMigrator schema;
    private final PrintStream progress;
    private final Map<String, String> env;
    private final FileStateStore store;
    private Ports ports;
    private DataPlaneGuard guard;

    /**
     * @param env where the router's webhook secret and the bots' database password are read from (nothing else of it
     *            reaches the router or a bot)
     */
    LocalPlatform(Plan plan, Path stateDir, SchemaMigrator schema, Map<String, String> env, PrintStream progress) {
        this.plan = plan;
        this.stateDir = stateDir;
        this.schema = schema;
        this.env = env;
        this.progress = progress;
        this.store = new FileStateStore(stateDir);
    }

    @Override
    public StateStore store() {
        return store;
    }

    @Override
    public synchronized Ports ports() {
        if (ports == null) {
            ports = assemble();
        }
        return ports;
    }

    /**
     * Starts or re-attaches the router and points it at the bots that run now; bots start later, as effects. From
     * here on, while this process drives the rollout, the guard keeps router and instances alive.
     */
    private Ports assemble() {
        DataPlane plane = openDataPlane(plan, stateDir, env, progress, Duration.ZERO);
        guard = plane.guard();
        BotshiftRouterClient client = plane.client();
        LocalWorkloads workloads = plane.workloads();
        MetricsProvider metrics = metrics(plan, client, workloads, progress::println);
        // a handover moves no traffic through the router (it still runs, idle): the bots poll, one colour at a time
        TrafficRouter traffic = plane.handover() != null ? plane.handover() : client;
        return new Ports(schema, workloads, traffic, metrics, store, guard, CheckProviders.of(plan, workloads::endpoints),
                new InstanceRestartSignals(workloads));
    }

    /**
     * The app's router, its bots and the guard keeping both alive (started); with {@code telegram-handover} the switch
     * of the one consumer between the colours' instances (else null).
     */
    record DataPlane(BotshiftRouterClient client, LocalWorkloads workloads, DataPlaneGuard guard,
                     ConsumerHandover handover) {
    }

    /**
     * Starts or re-attaches the router, points it at the bots that run now and from then on at the ones that come and
     * go, and starts the guard: a dead router is started again, a dead instance of {@code plan}'s release replaced
     * (and of blue's, while the rollout runs), the one consumer of a handover kept where the stored split puts it.
     *
     * @param spareDelay how long after now the guard starts its spare router
     */
    static DataPlane openDataPlane(Plan plan, Path stateDir, Map<String, String> env, PrintStream progress,
                                   Duration spareDelay) {
        LocalWorkloads workloads = workloads(plan, stateDir, env, progress);
        Optional<RolloutState> stored = stored(plan, stateDir);
        // while this plan's rollout runs, blue's dead instances are started again too, from blue's own plan
        stored.filter(s -> s.release().equals(plan.release()) && !s.phase().terminal())
                .flatMap(s -> BluePlan.of(s, stateDir, env, progress))
                .ifPresent(blue -> workloads.alsoReplaces(blue.release(), blue.workload(), blue.home(),
                        botEnvironment(blue, env), blue.deployedPrograms()));
        ConsumerHandover handover = !plan.traffic().handsOver() ? null : new ConsumerHandover(workloads::endpoints,
                HANDOVER_SWITCH_TIMEOUT, stored.map(s -> s.split().inSlots(s.candidate())).orElse(null),
                progress::println);
        Path dir = PrivateDirectory.ensure(stateDir, routerDir(plan, stateDir));
        RouterProcess.Options options = routerOptions(plan, env, dir);
        Reachability.routerPort(plan, stateDir); // a resume may meet a port taken since the deploy: exit 2, named
        RouterProcess router = RouterProcess.attachOrStart(dir, options);
        if (plan.traffic().listenPort() != 0 && router.listenPort() != plan.traffic().listenPort()) {
            progress.println("note: the running router listens on " + router.listenPort() + ", not on traffic.listenPort "
                    + plan.traffic().listenPort() + "; stop it (botshift's state dir, router/) to move it");
        }
        DataPlaneGuard guard = new DataPlaneGuard(router, dir, options, workloads, plan.release(), handover, progress,
                Clock.systemUTC());
        BotshiftRouterClient client = new BotshiftRouterClient(router.endpoint(), Duration.ofSeconds(10), guard);
        if (!plan.traffic().stickyBy().equals(client.config().stickyBy())) {
            client.update(RouterConfigJson.toJson(client.config().withStickyBy(plan.traffic().stickyBy())));
        }
        // after a crash the bots are re-attached, so point the router at whatever runs now (not the replacements still
        // starting: they join once they answer), then follow changes
        for (Slot c : Slot.values()) {
            List<java.net.URI> live = workloads.routable(c);
            if (!live.equals(client.config().backendsOf(c))) {
                client.setBackends(c, live);
            }
        }
        workloads.onEndpointsChanged(client::setBackends);
        workloads.beforeDrain((slot, who, within) -> RouterDrain.awaitAnswered(client, slot, who, within,
                progress::println));
        guard.delaySpare(spareDelay);
        guard.start();
        return new DataPlane(client, workloads, guard, handover);
    }

    static void tearDown(Plan plan, StateOptions options, PrintStream progress) {
        LocalTeardown.stop(plan.name(), plan.workload(), options.stateDir(), progress);
    }

    /**
     * @param env where the bots' password ({@code database.app.passwordEnv}) is read from; the migration user's
     *            credentials are never handed to a bot
     */
    static LocalWorkloads workloads(Plan plan, Path stateDir, Map<String, String> env, PrintStream progress) {
        return new LocalWorkloads(plan.name(), stateDir, plan.workload(), plan.home(), botEnvironment(plan, env),
                plan.deployedPrograms(), progress::println, Clock.systemUTC());
    }

    /** What Botshift adds to a plan's bots' environment: the database's variables, and standby for a handover. */
    private static Map<String, String> botEnvironment(Plan plan, Map<String, String> env) {
        Map<String, String> db = BotDatabaseEnvironment.of(plan.database(), env);
        if (plan.traffic().handsOver()) {
            // every instance starts without polling; the handover tells the one that should consume (docs/polling.md)
            db = new java.util.HashMap<>(db);
            db.put(CONSUMER_ENV, "standby");
        }
        return db;
    }

    /** The app's stored rollout, if any (running or ended, of this plan's release or not). */
    private static Optional<RolloutState> stored(Plan plan, Path stateDir) {
        try {
            return new FileStateStore(stateDir).read(plan.name()).map(v -> RolloutStateCodec.decode(v.json()));
        } catch (RuntimeException e) {
            return Optional.empty(); // the rollout itself reports a store it cannot read
        }
    }

    /** How the app's router runs: its port, config file, minimal environment and webhook verification. */
    static RouterProcess.Options routerOptions(Plan plan, Map<String, String> env, Path dir) {
        // the router's environment: nothing of ours (no DB_URL, DB_USER, DB_PASSWORD), the webhook secret if any
        ChildEnvironment routerEnv = ChildEnvironment.minimal(env);
        RouterProcess.Verification verification = null;
        VerifySpec verify = plan.traffic().verify();
        if (verify != null && verify.registered()) {
            // the secrets 'botshift webhook set|rotate' keep beside the router's config: nothing in its environment
            verification = RouterProcess.Verification.registered(dir.resolve(WebhookSecrets.FILE_NAME));
        } else if (verify != null) {
            verification = new RouterProcess.Verification(WebhookPlatform.of(verify.platform()).orElseThrow(),
                    verify.secretEnv(), verify.maxSkew());
            routerEnv = routerEnv.with(verify.secretEnv(), env.getOrDefault(verify.secretEnv(), ""));
        }
        RouterProcess.Polling polling = null;
        PollingSpec poll = plan.traffic().polling();
        if (plan.traffic().polls() && poll != null) {
            // the token reaches the router's environment, and only its name is in arguments and records
            polling = new RouterProcess.Polling(poll.tokenEnv(), poll.apiUrl(), poll.path(), poll.allowedUpdates(),
                    poll.pollTimeout(), poll.maxAttempts(), poll.secretEnv());
            routerEnv = routerEnv.with(poll.tokenEnv(), env.getOrDefault(poll.tokenEnv(), ""));
            if (poll.secretEnv() != null) {
                routerEnv = routerEnv.with(poll.secretEnv(), env.getOrDefault(poll.secretEnv(), ""));
            }
        }
        return new RouterProcess.Options(plan.traffic().listenPort(), 0, dir.resolve(RouterProcess.CONFIG_FILE),
                RouterProcess.Options.CLI, Duration.ofSeconds(30), routerEnv, verification, polling,
                plan.traffic().answerTimeout());
    }

    /** The base URIs of the app's bots that run now, in either slot (none for a first release). */
    static List<java.net.URI> runningBots(Plan plan, Path stateDir) {
        LocalWorkloads workloads = workloads(plan, stateDir, Map.of(),
                new PrintStream(java.io.OutputStream.nullOutputStream()));
        return java.util.Arrays.stream(Slot.values()).flatMap(s -> workloads.endpoints(s).stream()).toList();
    }

    private static Path routerDir(Plan plan, Path stateDir) {
        return LocalTeardown.routerDir(stateDir, plan.name());
    }

    /** The plan's analysis.provider, by name: the one place a provider name becomes an adapter. */
    static MetricsProvider metrics(Plan plan, BotshiftRouterClient client, LocalWorkloads workloads) {
        return metrics(plan, client, workloads, line -> { });
    }

    /** @param warnings told when a colour's bots serve no {@code /metrics} and the router alone judges it */
    static MetricsProvider metrics(Plan plan, BotshiftRouterClient client, LocalWorkloads workloads,
                                   java.util.function.Consumer<String> warnings) {
        Duration timeout = Duration.ofSeconds(2);
        return switch (plan.analysis().provider()) {
            case AnalysisSpec.ROUTER -> new RouterMetricsProvider(client);
            case AnalysisSpec.BOT_METRICS -> new BotMetricsProvider(workloads::endpoints, timeout);
            case AnalysisSpec.COMBINED -> new CombinedMetricsProvider(new RouterMetricsProvider(client),
                    new BotMetricsProvider(workloads::endpoints, timeout), warnings);
            case AnalysisSpec.PROMETHEUS -> KubernetesPlatform.prometheus(plan);
            default -> throw new InvalidInputException(plan.source() + ": analysis.provider: unknown provider '"
                    + plan.analysis().provider() + "'");
        };
    }

    @Override
    public List<RolloutListener> listeners() {
        return List.of();
    }

    @Override
    public synchronized void close() {
        // the bots and the router outlive this process; only the guard stops (the next driver guards them)
        if (guard != null) {
            guard.close();
        }
    }
}
