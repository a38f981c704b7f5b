package dev.botshift.platform;

import dev.botshift.plan.Plan;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.Repairs;
import dev.botshift.rollout.RolloutState;
import dev.botshift.state.local.KeptReleases;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded default's data plane guarded between rollouts: once a rollout has ended, its supervisor stays and keeps
 * the router and the serving release's bots alive ({@link DataPlaneGuard}, as while it drove) until the next rollout
 * is handed in or {@code botshift down} stops it. It holds the plan of the release that serves (blue's after a
 * rollback, when its plan file still holds that release), so a dead instance is replaced, not only taken out. With
 * {@code telegram-handover} the guard also keeps the one consumer where the rollout left it (the stored split). Its
 * repairs are said in the supervisor's log; there is no open rollout to record them in. The same keeps an open
 * rollout's router and bots between a supervisor's tries while it cannot drive it
 * ({@link dev.botshift.supervise.Supervisor#driveOn}), with that rollout's plan; its repairs then are in the log only.
 */
public final class DataPlaneKeeper implements dev.botshift.supervise.local.EndedRolloutGuard.Keeper {
    /**
     * The spare router is started this long after guarding begins, not at once: a deploy of the next release often
     * follows within seconds (a pipeline's next stage, a retry), and its supervisor brings a spare of its own. A router
     * that dies before then is started cold (seconds instead of a fraction of one).
     */
    static final Duration SPARE_DELAY = Duration.ofSeconds(10);

    private final DataPlaneGuard guard;

    private DataPlaneKeeper(DataPlaneGuard guard) {
        this.guard = guard;
    }

    /**
     * Starts guarding (the router started again first if it died meanwhile). Also for a rollout not ended whose
     * supervisor cannot drive it for now ({@link dev.botshift.supervise.Supervisor#driveOn}): then with its release's
     * plan, blue's too, as its session's guard does.
     *
     * @param rollout the ended rollout (or the open one): its serving release's plan and its split are kept
     * @param env   where the router's secrets and the bots' password are read from, as while driving
     */
    public static DataPlaneKeeper open(RolloutState rollout, StateOptions options, Map<String, String> env,
                                       PrintStream progress) {
        Plan plan = servingPlan(rollout, options.stateDir(), env, progress);
        return new DataPlaneKeeper(LocalPlatform.openDataPlane(plan, options.stateDir(), env, progress, SPARE_DELAY)
                .guard());
    }

    /**
     * The plan whose release serves: the ended rollout's own after a success; after a rollback blue's
     * ({@link BluePlan}), else the ended rollout's (blue's instances that die are then only taken out of the router).
     * For an open rollout its own (blue's joins it there, as in a session).
     */
    static Plan servingPlan(RolloutState rollout, Path stateDir, Map<String, String> env, PrintStream progress) {
        Optional<Plan> blue = rollout.phase() instanceof Phase.Succeeded || !rollout.phase().terminal()
                ? Optional.empty() : BluePlan.of(rollout, stateDir, env, progress);
        return blue.orElseGet(() -> KeptReleases.load(stateDir, rollout.app(), rollout.release(), rollout.planFile(),
                env));
    }

    /** The repairs made since the last call (each is said in the log as it happens). */
    @Override
    public List<Repairs.Repair> repairs() {
        return guard.take();
    }

    /** Stops guarding; the router and the bots run on (the next driver guards them). */
    @Override
    public void close() {
        guard.close();
    }
}
