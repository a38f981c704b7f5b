package dev.botshift.demo;

import dev.botshift.plan.Plan;
import dev.botshift.plan.PlanLoader;
import dev.botshift.plan.TrafficSpec;
import dev.botshift.rollout.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The handover half of {@code botshift demo --polling}: the sample bot polls a second fake Bot API itself (polling
 * mode), one instance per colour, and each release hands the one consumer over (docs/polling.md, handover mode).
 * Release 2.1.0 goes live, 2.1.1 (40 % of attempts fail) is rolled back by the reverse switch, 2.1.2 is promoted.
 */
final class HandoverDemo implements AutoCloseable {
    /** Its update ids start here, so that they never meet the bridge's in the one database. */
    static final long FIRST_UPDATE_ID = 100_000_000L;
    static final String API_URL_ENV = "BOT_API_URL";

    private final FakeTelegramApi api;
    private final Path demoDir;
    private PolledChats chats;
    private Plan last;

    HandoverDemo(String token, Path demoDir) {
        this.api = new FakeTelegramApi(token, FIRST_UPDATE_ID);
        this.demoDir = demoDir;
    }

    /** @param env the demo's environment, given the fake API's URL here (the plans read it) */
    List<DemoSummary.Scenario> run(Map<String, String> env, DemoRollouts rollouts, Consumer<String> say)
            throws InterruptedException {
        env.put(API_URL_ENV, api.baseUrl().toString());
        Plan good = PlanLoader.load(demoDir.resolve("plan-handover.yaml"), env);
        // the first release has nothing to be judged against and no users yet: a short watch keeps the demo short
        TrafficSpec t = good.traffic();
        Plan live = new Plan(good.name(), good.release(), good.database(), good.workload(),
                new TrafficSpec(t.router(), t.stickyBy(), t.steps(), Duration.ofSeconds(1), t.listenPort(), t.resource(),
                        t.verify(), t.source(), t.polling(), t.answerTimeout()),
                good.analysis(), Duration.ofSeconds(1), good.approval(), good.notifications(), good.source());
        Plan faulty = PlanLoader.load(demoDir.resolve("plan-handover-faulty.yaml"), env);
        good = new Plan(good.name(), "2.1.2", good.database(), good.workload(), good.traffic(), good.analysis(),
                good.bake(), good.approval(), good.notifications(), good.source());
        say.accept("A second fake Bot API on " + api.baseUrl() + ", for a bot that polls it itself: one instance per "
                + "colour, and only the consuming one polls.");
        last = live;
        Outcome first = rollouts.rollout(live);
        if (!(first instanceof Outcome.Succeeded)) {
            throw new IllegalStateException("2.1.0 did not go live: " + first.state().phase().code());
        }
        chats = new PolledChats(api, 60);
        chats.start(50);
        say.accept("Release 2.1.0 polls as blue; 60 chats send it 50 messages/s.");
        Thread.sleep(1000);
        List<DemoSummary.Scenario> scenarios = new ArrayList<>();
        say.accept("");
        say.accept("Scenario 3 (handover): release 2.1.1 has a bug (40 % of attempts fail; the bot retries each update). "
                + "Blue stops polling (confirmed), green starts; the judge reads green's own counters and rolls back "
                + "by the reverse switch.");
        scenarios.add(rollouts.scenario(faulty, "2.1.1"));
        Thread.sleep(500);
        say.accept("");
        say.accept("Scenario 4 (handover): release 2.1.2 is good: the consumer is handed over, watched, baked, blue "
                + "drained, contracted.");
        last = good;
        scenarios.add(rollouts.scenario(good, "2.1.2"));
        return scenarios;
    }

    /** Stops the chats and waits until the API holds nothing unconfirmed; the ids sent. */
    List<Long> stop(Duration timeout, Consumer<String> say) throws InterruptedException {
        List<Long> sent = chats == null ? List.of() : chats.stop(timeout);
        if (api.maxGapEnded() != null) {
            say.accept(String.format(java.util.Locale.ROOT, "The longest time no getUpdates was in flight: %.3f s, "
                    + "ended at %s (compare with the rollout's log above).", api.maxGapSeconds(), api.maxGapEnded()));
        }
        return sent;
    }

    int conflicts() {
        return api.conflicts();
    }

    double maxGapSeconds() {
        return api.maxGapSeconds();
    }

    /** The plan to tear the handover app down with, null before its first rollout. */
    Plan lastPlan() {
        return last;
    }

    @Override
    public void close() {
        api.close();
    }
}
