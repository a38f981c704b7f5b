package dev.botshift.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * One embedded PostgreSQL per test class and a fresh {@link Rig} per test; closing the rig checks that no process
 * or port was left behind.
 */
abstract class RigPerTest {
    static Pg pg;
    Rig rig;

    @BeforeAll
    static void database() {
        pg = Pg.start();
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        pg.close();
    }

    @BeforeEach
    void rig() throws Exception {
        rig = new Rig(pg);
    }

    @AfterEach
    void nothingLeftBehind() throws Exception {
        rig.close();
    }
}
