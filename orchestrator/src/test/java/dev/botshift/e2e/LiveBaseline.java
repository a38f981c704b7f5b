package dev.botshift.e2e;

import dev.botshift.demo.ChatPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * One world for a whole test class: an embedded PostgreSQL, a {@link Rig}, release 1.0.0 live and a chat platform
 * sending to it for as long as the class runs. At the end every update must have been acknowledged and stored
 * exactly once, and nothing (process or port) may be left behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LiveBaseline {
    Pg pg;
    Rig rig;
    ChatPlatform chats;

    /** Instances of 1.0.0 (and of the releases the class deploys after it, if they say so too). */
    int baselineReplicas() {
        return 1;
    }

    @BeforeAll
    void v1Live() throws Exception {
        pg = Pg.start();
        rig = new Rig(pg);
        rig.deploy(rig.plan("1.0.0", rig.changelogs.v1()).replicas(baselineReplicas()), 0);
        chats = rig.chats();
    }

    @AfterAll
    void everythingAccountedFor() throws Exception {
        try {
            rig.assertNothingLost(chats);
            rig.close();
        } finally {
            pg.close();
        }
    }
}
