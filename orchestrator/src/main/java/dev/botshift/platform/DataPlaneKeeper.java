package dev.botshift.platform;

import dev.botshift.core.Weights;
import dev.botshift.plan.Plan;
import dev.botshift.plan.PlanLoader;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.RolloutState;
import dev.botshift.traffic.WeightCheck;
import dev.botshift.traffic.handover.ConsumerHandover;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded default's data plane guarded between rollouts: once a rollout has ended, its supervisor stays and keeps
 * the router and the serving release's bots alive ({@link DataPlaneGuard}, as while it drove) until the next rollout
 * is handed in or {@code botshift down} stops it. It holds the plan of the release that serves (blue's after a
 * rollback, when its plan file still holds that release), so a dead instance is replaced, not only taken out. With
 * {@code telegram-handover} it also keeps the one consumer where the rollout left it: a replacement starts standing by,
 * and is handed the updates as the rollout's own split check would. Its repairs are said in the supervisor's log;
 * there is no open rollout to record them in.
 */
public final class DataPlaneKeeper implements AutoCloseable {
    private final DataPlaneGuard guard;
    /** With a handover: what the rollout left (the consumer's slot has 100); null otherwise. */
    private final ConsumerHandover handover;
    private final Weights consumer;
    private final PrintStream progress;
    private String lastTrouble;

    private DataPlaneKeeper(DataPlaneGuard guard, ConsumerHandover handover, Weights consumer, PrintStream progress) {
        this.guard = guard;
        this.handover = handover;
        this.consumer = consumer;
        this.progress = progress;
    }

    /**
     * Starts guarding (the router started again first if it died meanwhile).
     *
     * @param ended the ended rollout: its serving release's plan and its split are kept
     * @param env   where the router's secrets and the bots' password are read from, as while driving
     */
    public static DataPlaneKeeper open(RolloutState ended, StateOptions options, Map<String, String> env,
                                       PrintStream progress) {
        Plan plan = servingPlan(ended, env, progress);
        LocalPlatform.DataPlane plane = LocalPlatform.openDataPlane(plan, options.stateDir(), env, progress);
        ConsumerHandover handover = plan.traffic().handsOver() ? LocalPlatform.handover(plane.workloads(), progress)
                : null;
        return new DataPlaneKeeper(plane.guard(), handover, ended.split().inSlots(ended.candidate()), progress);
    }

    /**
     * The plan whose release serves: the ended rollout's own after a success; after a rollback blue's
     * ({@link BluePlan}), else the ended rollout's (blue's instances that die are then only taken out of the router).
     */
    static Plan servingPlan(RolloutState ended, Map<String, String> env, PrintStream progress) {
        Optional<Plan> blue = ended.phase() instanceof Phase.Succeeded ? Optional.empty()
                : BluePlan.of(ended, env, progress);
        return blue.orElseGet(() -> PlanLoader.load(Path.of(ended.planFile()), env));
    }

    /**
     * How many repairs were made since the last call (each is said in the log as it happens); with a handover, first
     * hands the updates back to the serving colour when none of its instances consumes (a replacement standing by).
     */
    public int repaired() {
        return guard.take().size() + (handover == null ? 0 : keepConsumer());
    }

    private int keepConsumer() {
        try {
            if (!(handover.verify(consumer) instanceof WeightCheck.Differs)) {
                lastTrouble = null;
                return 0;
            }
            handover.setWeights(consumer);
            lastTrouble = null;
            progress.println("guard: the serving instance was standing by (a replacement starts so): handed the "
                    + "updates");
            return 1;
        } catch (RuntimeException e) {
            // an instance still starting (or none left to hand to) answers nothing yet: said once, tried next round
            String trouble = String.valueOf(e.getMessage());
            if (!trouble.equals(lastTrouble)) {
                progress.println("guard: cannot hand the updates to the serving instance yet: " + trouble);
            }
            lastTrouble = trouble;
            return 0;
        }
    }

    /** Stops guarding; the router and the bots run on (the next driver guards them). */
    @Override
    public void close() {
        guard.close();
    }
}
