package dev.botshift.state.kubernetes;

import dev.botshift.kubernetes.testing.MockCluster;
import dev.botshift.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botshift.state.AppLock;
import dev.botshift.state.LockHeldException;
import dev.botshift.state.LockLostException;
import dev.botshift.state.StateConflictException;
import dev.botshift.state.AppLock;
import dev.botshift.state.StateStore;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConfigMapStateStoreTest extends MockCluster {
    private static final String APP = "sentiment-bot";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
    private ConfigMapStateStore store;
    /** how long lock() waited, watching an expired-looking lease, and what the holder does meanwhile */
    private Duration waited = Duration.ZERO;
    private Runnable holderMeanwhile = () -> { };

    @BeforeEach
    void setUp() {
        store = new ConfigMapStateStore(client, NS, clock, d -> {
            waited = waited.plus(d);
            clock.advance(d);
            holderMeanwhile.run();
        });
    }

    @Test
    void compareAndSetOnTheResourceVersion() {
        AppLock lock = store.lock(APP, "test", Duration.ofSeconds(15));
        assertThat(store.read(APP)).isEmpty();
        StateStore.Versioned first = store.write(APP, "{\"phase\":\"PENDING\"}", null, lock);
        assertThat(store.read(APP)).contains(first);
        assertThatThrownBy(() -> store.write(APP, "{}", null, lock)).isInstanceOf(StateConflictException.class);

        StateStore.Versioned second = store.write(APP, "{\"phase\":\"EXPANDING\"}", first.version(), lock);
        assertThat(second.version()).isNotEqualTo(first.version());

        // a writer still holding the first version loses with a 409
        assertThatThrownBy(() -> store.write(APP, "{\"phase\":\"STALE\"}", first.version(), lock))
                .isInstanceOf(StateConflictException.class);
        assertThat(store.read(APP).orElseThrow().json()).isEqualTo("{\"phase\":\"EXPANDING\"}");
        assertThat(client.configMaps().inNamespace(NS).withName("sentiment-bot-botshift-state").get().getData())
                .containsKey("state.json");
    }

    @Test
    void aLiveLeaseRefusesAnotherHolderNamingTheHolder() {
        AppLock held = store.lock(APP, "ci-job-41", Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(10));

        assertThatThrownBy(() -> store.lock(APP, "laptop-anna", Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(LockHeldException.class, e -> {
                    assertThat(e.holder()).isEqualTo("ci-job-41");
                    assertThat(e.since()).isEqualTo(Instant.parse("2026-01-01T10:00:00Z"));
                    assertThat(e.exitCode()).isEqualTo(5);
                });

        Lease lease = client.leases().inNamespace(NS).withName("sentiment-bot-botshift-lock").get();
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("ci-job-41");
        assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(30);
        assertThat(held.holder()).isEqualTo("ci-job-41");
    }

    @Test
    void renewingKeepsTheLeaseAliveAndAnExpiredOneIsTakenOver() {
        AppLock first = store.lock(APP, "ci-job-41", Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(25));
        first.renew();
        clock.advance(Duration.ofSeconds(25)); // 50 s after acquiring, 25 s after renewing: still live
        assertThatThrownBy(() -> store.lock(APP, "ci-job-42", Duration.ofSeconds(30)))
                .isInstanceOf(LockHeldException.class);

        clock.advance(Duration.ofSeconds(10)); // holder died: no renewal for 35 s
        AppLock second = store.lock(APP, "ci-job-42", Duration.ofSeconds(30));

        // unchanged for a whole lease duration as this store saw it: since its refused attempt 10 s before
        assertThat(waited).as("watched the rest of a lease duration first").isEqualTo(Duration.ofSeconds(20));
        assertThat(second.holder()).isEqualTo("ci-job-42");
        assertThat(second.since()).isEqualTo(clock.instant());
        assertThatThrownBy(first::renew).isInstanceOfSatisfying(LockLostException.class,
                e -> assertThat(e.getMessage()).contains("held by ci-job-42"));
        assertThatThrownBy(first::check).as("once lost, it stays lost").isInstanceOf(LockLostException.class);
        first.close(); // not ours any more: must not release ci-job-42's lease
        assertThat(client.leases().inNamespace(NS).withName("sentiment-bot-botshift-lock").get().getSpec()
                .getHolderIdentity()).isEqualTo("ci-job-42");
    }

    /**
     * A takeover waits for a whole lease duration with the record unchanged, counted from when this process first saw
     * that record (a standby controller notes every Lease each round), never from an older record's sighting.
     */
    @Test
    void aTakeoverCountsFromWhenThisProcessFirstSawTheRecordUnchanged() {
        AppLock dead = store.lock(APP, "controller-a", Duration.ofSeconds(30));
        Duration[] waitedB = {Duration.ZERO};
        ConfigMapStateStore b = new ConfigMapStateStore(client, NS, clock, d -> {
            waitedB[0] = waitedB[0].plus(d);
            clock.advance(d);
        });
        clock.advance(Duration.ofSeconds(1));
        b.watchLocks(); // standing by: sees the record 1 s after it was written
        clock.advance(Duration.ofSeconds(30)); // 31 s unrenewed, 30 s of them seen by b
        assertThat(b.lock(APP, "controller-b", Duration.ofSeconds(30)).holder()).isEqualTo("controller-b");
        assertThat(waitedB[0]).as("already unchanged for a lease duration as b saw it: taken at once").isZero();
        assertThatThrownBy(dead::renew).isInstanceOf(LockLostException.class);

        // a record renewed after the sighting: the sighting counts for nothing
        Duration[] waitedC = {Duration.ZERO};
        ConfigMapStateStore c = new ConfigMapStateStore(client, NS, clock, d -> {
            waitedC[0] = waitedC[0].plus(d);
            clock.advance(d);
        });
        c.watchLocks();
        clock.advance(Duration.ofSeconds(29));
        AppLock held = b.lock(APP, "controller-b", Duration.ofSeconds(30)); // b's again: a new record
        clock.advance(Duration.ofSeconds(31)); // b died right after
        c.lock(APP, "controller-c", Duration.ofSeconds(30));
        assertThat(waitedC[0]).as("c saw the new record only now: it watched a whole lease duration")
                .isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(held::renew).isInstanceOf(LockLostException.class);
    }

    @Test
    void closeReleasesSoTheNextRunGetsTheLockAtOnce() {
        try (AppLock lock = store.lock(APP, "ci-job-41", Duration.ofMinutes(5))) {
            assertThat(lock.holder()).isEqualTo("ci-job-41");
        }
        assertThat(store.lock(APP, "ci-job-42", Duration.ofMinutes(5)).holder()).isEqualTo("ci-job-42");
    }

    /**
     * The holder's clock runs 10 minutes behind ours: every renewTime it writes looks long expired here. Judged by
     * the record's times we would take a lease that is alive; judged by our own observation, its renewals show.
     */
    @Test
    void aHolderWhoseClockIsBehindKeepsItsLeaseWhileItRenews() {
        AppLock holder = new ConfigMapStateStore(client, NS, java.time.Clock.offset(clock, Duration.ofMinutes(-10)))
                .lock(APP, "ci-job-41", Duration.ofSeconds(30));
        holderMeanwhile = () -> {
            if (waited.compareTo(Duration.ofSeconds(10)) >= 0) {
                holder.renew(); // every 10 s of ours, as LockKeeper does
                waited = Duration.ZERO;
            }
        };
        assertThatThrownBy(() -> store.lock(APP, "ci-job-42", Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(LockHeldException.class, e -> assertThat(e.holder()).isEqualTo("ci-job-41"));
        assertThat(client.leases().inNamespace(NS).withName("sentiment-bot-botshift-lock").get().getSpec()
                .getHolderIdentity()).isEqualTo("ci-job-41");

        // the holder stops renewing (it died): a whole lease duration later, by our clock, it is taken over
        holderMeanwhile = () -> { };
        waited = Duration.ZERO;
        assertThat(store.lock(APP, "ci-job-42", Duration.ofSeconds(30)).holder()).isEqualTo("ci-job-42");
        assertThat(waited).isEqualTo(Duration.ofSeconds(30));
    }
}
