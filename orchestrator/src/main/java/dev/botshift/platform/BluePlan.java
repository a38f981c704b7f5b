package dev.botshift.platform;

import dev.botshift.plan.Plan;
import dev.botshift.rollout.RolloutState;
import dev.botshift.state.local.KeptReleases;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The plan blue was deployed with, so that its dead instances can be started again (by the guard while the rollout
 * runs, and by the supervisor between rollouts after a rollback): the copy its deploy kept ({@link KeptReleases}). A
 * release deployed before Botshift kept copies has only its file ({@link RolloutState#stablePlanFile()}), used while it
 * still holds blue's app and release: a user who edits one plan file for each deploy has overwritten it, and then
 * blue's dead instances are only taken out of the router (said once).
 */
final class BluePlan {
    private BluePlan() {
    }

    /** @param env where the plan's {@code ${env:…}} are read from (the driving process's, as for green's plan) */
    static Optional<Plan> of(RolloutState s, Path stateDir, Map<String, String> env, PrintStream progress) {
        if (s.firstRelease()) {
            return Optional.empty(); // no blue
        }
        String why;
        if (s.stablePlanFile() == null && !KeptReleases.has(stateDir, s.app(), s.stableVersion())) {
            why = "the plan blue was deployed with is not recorded (deployed before Botshift kept it)";
        } else {
            try {
                Plan blue = KeptReleases.load(stateDir, s.app(), s.stableVersion(), s.stablePlanFile(), env);
                if (blue.release().equals(s.stableVersion()) && blue.name().equals(s.app())) {
                    return Optional.of(blue);
                }
                why = s.stablePlanFile() + " now holds " + blue.name() + " " + blue.release() + ", not blue's release "
                        + s.stableVersion();
            } catch (RuntimeException e) {
                why = "blue's plan cannot be read: " + e.getMessage();
            }
        }
        progress.println("note: " + why + "; a dead instance of blue is only taken out of the router");
        return Optional.empty();
    }
}
