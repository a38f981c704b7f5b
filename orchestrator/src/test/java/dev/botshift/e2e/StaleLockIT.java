package dev.botshift.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botshift.demo.ChatPlatform;
import dev.botshift.rollout.Phase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The lock holder dies without releasing anything: the app lock stays behind until it expires, then the next run
 * takes over by itself; Liquibase's lock is never left held.
 */
class StaleLockIT extends RigPerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long the lock is held from the renewal the test makes: above a refused run's start under load. */
    private static final Duration LOCK_STILL_HELD = Duration.ofSeconds(20);

    @Test
    void holderKilledMidExpandNextRunTakesOverAfterExpiryAndLiquibaseLockIsFree() throws Exception {
        rig.deploy(rig.plan("1.0.0", rig.changelogs.v1()), 0);
        ChatPlatform chats = rig.chats();
        Cli.Run deploy = rig.start("deploy", "-f", rig.write(rig.plan("2.0.0", rig.changelogs.v2WithSlow(1, 3))).toString());
        rig.awaitState("sentiment-bot", s -> s.release().equals("2.0.0") && s.phase() instanceof Phase.Expanding,
                Duration.ofSeconds(90), "2.0.0 expanding");
        awaitSlowChangeset();
        long holder = rig.killSupervisor("sentiment-bot"); // the lock's holder: the supervisor driving the rollout
        deploy.kill9();

        Path lockFile = rig.stateDir.resolve("sentiment-bot").resolve("lock.json");
        assertThat(lockFile).as("the dead holder's lock is left behind").exists();
        ObjectNode lock = (ObjectNode) JSON.readTree(lockFile.toFile());
        assertThat(lock.path("pid").asLong()).isEqualTo(holder);
        assertThat(SchemaChecks.heldLiquibaseLocks(rig.dbEnv)).as("Liquibase lock rows LOCKED after the kill").isZero();

        // As if the holder ran on another machine sharing the state dir, and had just renewed its lock: only the
        // expiry can free it. Renewed here, not left at the dead holder's last renewal: the lock lives 15 s from that,
        // and on a loaded machine the kill and the refused run's start took longer than what was left of it (the run
        // then rightly took the expired lock).
        lock.put("host", "another-host");
        lock.put("expiresAt", Instant.now().plus(LOCK_STILL_HELD).toString());
        Files.write(lockFile, JSON.writeValueAsBytes(lock));
        Cli.Result refused = rig.run(Duration.ofSeconds(60), "resume", "sentiment-bot");
        Rig.expect(5, refused);
        assertThat(refused.stderr()).contains("another run holds the lock for 'sentiment-bot'")
                .contains("pid " + holder).contains("since " + lock.path("since").asText());

        Instant expiry = Instant.parse(lock.path("expiresAt").asText());
        long wait = Duration.between(Instant.now(), expiry).toMillis();
        if (wait > 0) {
            Thread.sleep(wait + 200);
        }
        Rig.expect(0, rig.run(Duration.ofSeconds(120), "resume", "sentiment-bot"));

        assertThat(rig.state("sentiment-bot").orElseThrow().phase()).isInstanceOf(Phase.Succeeded.class);
        assertThat(lockFile).as("the new holder released the lock").doesNotExist();
        assertThat(SchemaChecks.heldLiquibaseLocks(rig.dbEnv)).isZero();
        assertThat(SchemaChecks.recordedIds(rig.dbEnv)).doesNotHaveDuplicates().contains("slow-1-expand",
                "slow-1-contract");
        rig.assertNothingLost(chats);
    }

    private void awaitSlowChangeset() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!SchemaChecks.slowChangesetRunning(rig.dbEnv)) {
            assertThat(System.nanoTime()).as("the slow expand changeset started").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
