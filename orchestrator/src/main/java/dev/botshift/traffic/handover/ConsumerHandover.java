package dev.botshift.traffic.handover;

import dev.botshift.core.InvalidInputException;
import dev.botshift.core.Slot;
import dev.botshift.core.Weights;
import dev.botshift.plan.TrafficSpec;
import dev.botshift.traffic.TrafficRouter;
import dev.botshift.traffic.WeightCheck;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code traffic.source: telegram-handover}: the bots poll the Bot API themselves and exactly one of them may, so
 * there is no split, only a switch of the consumer (docs/polling.md, handover mode). Weights of 100 for a slot mean
 * "this slot consumes": every instance of the other slot is told to stop and each stop is awaited (the bot answers
 * once its poll in flight has returned and the updates it handled are confirmed to the API), and only then is the
 * slot's instance told to start. A rollback is the same switch the other way. Two consumers never overlap, so the
 * API never answers 409; the time between the last stop and the start is logged as the gap.
 */
public final class ConsumerHandover implements TrafficRouter {
    private final Function<Slot, List<URI>> endpoints;
    private final ConsumerClient client;
    private final Consumer<String> log;
    /** The switch last asked for (or the split stored when this process took over): what {@link #keep} holds to. */
    private Weights held;

    /**
     * @param endpoints the base URIs of a slot's running instances (the bots' health port)
     * @param timeout   how long one stop or start may take; a stop waits for the bot's long poll in flight
     * @param held      the split stored for the app (the consumer's slot has 100), or null when none is
     * @param log       told each switch and its gap
     */
    public ConsumerHandover(Function<Slot, List<URI>> endpoints, Duration timeout, Weights held,
                            Consumer<String> log) {
        this.endpoints = endpoints;
        this.client = new ConsumerClient(timeout);
        this.held = held;
        this.log = log;
    }

    /**
     * Hands the updates back to the colour that should consume when none of its instances does: a replacement of the
     * consuming instance starts standing by. It is the rollout's own split check, done by the data plane's guard every
     * round, so it also holds in the phases where the rollout does not check the split, and between rollouts.
     *
     * @return the slot handed the updates; empty when nothing was needed, or no instance of it runs yet
     * @throws RuntimeException when an instance cannot be read or switched (a replacement still starting answers
     *                          nothing yet): the guard tries again next round
     */
    public synchronized Optional<Slot> keep() {
        Slot to = held == null ? null : held.a() == 100 ? Slot.A : held.b() == 100 ? Slot.B : null;
        if (to == null || endpoints.apply(to).isEmpty() || !(verify(held) instanceof WeightCheck.Differs)) {
            return Optional.empty();
        }
        setWeights(held);
        return Optional.of(to);
    }

    @Override
    public synchronized void setWeights(Weights weights) {
        if (weights.a() != 100 && weights.b() != 100) {
            // storage slots stay out of messages: the split asked for is named by its shares only
            throw new InvalidInputException("traffic.source " + TrafficSpec.TELEGRAM_HANDOVER + " switches the one "
                    + "consumer and cannot split updates " + Math.min(weights.a(), weights.b()) + "% / "
                    + Math.max(weights.a(), weights.b()) + "%: steps must be [100]");
        }
        Slot to = weights.a() == 100 ? Slot.A : Slot.B;
        held = weights; // what the rollout asks for from now on, also when this switch fails and is sent again
        List<URI> starting = endpoints.apply(to);
        if (starting.isEmpty()) {
            throw new IllegalStateException("no running instance to hand the updates to");
        }
        List<URI> stopping = endpoints.apply(other(to));
        for (URI bot : stopping) {
            client.stop(bot); // throws when a stop is not confirmed: then nothing is started
        }
        long stopped = System.nanoTime();
        for (URI bot : starting) {
            if (!client.state(bot).consuming()) {
                client.start(bot);
            }
        }
        long millis = (System.nanoTime() - stopped) / 1_000_000;
        log.accept(stopping.isEmpty() ? "consumer started in " + millis + " ms (no other colour runs)"
                : "consumer handed over: " + millis + " ms between the stop and the start confirmations");
    }

    /**
     * Matches when the expected slot's instances consume and no other does. When the consumer is anywhere else, or
     * nowhere (an instance restarted in standby), the answer is "differs", so the rollout sends the switch again.
     */
    @Override
    public synchronized WeightCheck verify(Weights expected) {
        Slot want = expected.a() == 100 ? Slot.A : expected.b() == 100 ? Slot.B : null;
        if (want == null) {
            return new WeightCheck.Unknown("a handover has no split (" + Math.min(expected.a(), expected.b()) + "% / "
                    + Math.max(expected.a(), expected.b()) + "% asked)");
        }
        List<URI> wanted = endpoints.apply(want);
        boolean allConsume = !wanted.isEmpty();
        for (URI bot : wanted) {
            allConsume &= client.state(bot).consuming();
        }
        List<URI> others = new ArrayList<>(endpoints.apply(other(want)));
        boolean otherConsumes = false;
        for (URI bot : others) {
            otherConsumes |= client.state(bot).consuming();
        }
        return allConsume && !otherConsumes ? new WeightCheck.Matches() : new WeightCheck.Differs(Weights.allTo(other(want)));
    }

    private static Slot other(Slot s) {
        return s == Slot.A ? Slot.B : Slot.A;
    }
}
