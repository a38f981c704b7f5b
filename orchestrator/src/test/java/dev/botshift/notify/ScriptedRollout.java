package dev.botshift.notify;

import dev.botshift.core.Slot;
import dev.botshift.plan.Approval;
import dev.botshift.platform.RolloutSession;
import dev.botshift.rollout.ManualCommands;
import dev.botshift.rollout.Outcome;
import dev.botshift.rollout.Pauser;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.Request;
import dev.botshift.rollout.RolloutListener;
import dev.botshift.rollout.RolloutState;
import dev.botshift.rollout.Until;
import dev.botshift.testing.FakePorts;
import dev.botshift.testing.TestPlans;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The real {@link RolloutSession} on in-memory ports and a fake clock ({@link FakePorts}): v1 is made stable, then a
 * release runs with the listeners a test hands in, and a reviewer promotes at every gate.
 */
final class ScriptedRollout {
    static final String APP = "bot";

    final FakePorts ports = new FakePorts();
    final FakePorts.Router router = ports.router;
    final Map<Slot, Double> errorRate = ports.metrics.errorRate;

    ScriptedRollout() throws InterruptedException {
        release("1.0.0", Approval.NONE, List.of());
        router.history.clear();
    }

    /** Deploys {@code release} to the end; promotes at every gate like a reviewer would. */
    Outcome release(String release, Approval approval, List<RolloutListener> listeners) throws InterruptedException {
        Pauser promoteAtGates = d -> {
            ports.clock.advance(d);
            RolloutState s = state();
            if (s.phase() instanceof Phase.AwaitingApproval && s.requests().isEmpty()) {
                ManualCommands.append(ports.store, APP, Request.Kind.PROMOTE, "reviewer", ports.clock.instant());
            }
        };
        RolloutSession session = new RolloutSession(TestPlans.plan(APP, release, approval), ports.factory(), Map.of(),
                new PrintStream(OutputStream.nullOutputStream()), ports.clock, promoteAtGates);
        listeners.forEach(session::listener);
        return session.run(RolloutSession.Mode.DEPLOY, null, Until.FAILURE);
    }

    RolloutState state() {
        return ports.store.state(APP);
    }
}
