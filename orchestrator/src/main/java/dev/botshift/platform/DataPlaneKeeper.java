package dev.botshift.platform;

import dev.botshift.plan.Plan;
import java.io.PrintStream;
import java.util.Map;

/**
 * The embedded default's data plane guarded between rollouts: once a rollout has ended, its supervisor stays and keeps
 * the router and the stable release's bots alive ({@link DataPlaneGuard}, as while it drove) until the next rollout is
 * handed in or {@code botshift down} stops it. Its repairs are said in the supervisor's log; there is no open rollout
 * to record them in.
 */
public final class DataPlaneKeeper implements AutoCloseable {
    private final DataPlaneGuard guard;

    private DataPlaneKeeper(DataPlaneGuard guard) {
        this.guard = guard;
    }

    /**
     * Starts guarding (the router started again first if it died meanwhile).
     *
     * @param plan the ended rollout's plan: dead instances of its release are replaced, others only taken out of the
     *             router
     * @param env  where the router's secrets and the bots' password are read from, as while driving
     */
    public static DataPlaneKeeper open(Plan plan, StateOptions options, Map<String, String> env, PrintStream progress) {
        return new DataPlaneKeeper(LocalPlatform.openDataPlane(plan, options.stateDir(), env, progress).guard());
    }

    /** How many repairs were made since the last call (each is said in the log as it happens). */
    public int repaired() {
        return guard.take().size();
    }

    /** Stops guarding; the router and the bots run on (the next driver guards them). */
    @Override
    public void close() {
        guard.close();
    }
}
