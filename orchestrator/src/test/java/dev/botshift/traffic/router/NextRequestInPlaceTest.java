package dev.botshift.traffic.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.eclipse.jetty.io.Connection;
import org.junit.jupiter.api.Test;

/** The webhook port's executor: a connection reading its next request runs in place, everything else on the pool. */
class NextRequestInPlaceTest {
    /** A pool that only records what it was given. */
    private static final class RecordingPool implements Executor {
        final List<Runnable> given = new ArrayList<>();

        @Override
        public void execute(Runnable task) {
            given.add(task);
        }
    }

    /** A Jetty connection that is also its own task, as Jetty's HTTP/1 connection is; records the thread it ran on. */
    private static Runnable connection(List<Thread> ranOn, Runnable alsoDo) {
        return (Runnable) java.lang.reflect.Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class, Runnable.class}, (proxy, method, args) -> {
                    if (method.getName().equals("run")) {
                        ranOn.add(Thread.currentThread());
                        alsoDo.run();
                    }
                    return null;
                });
    }

    @Test
    void aConnectionHandedOverRunsOnTheThreadThatHandsItOver() {
        RecordingPool pool = new RecordingPool();
        List<Thread> ranOn = new ArrayList<>();
        new NextRequestInPlace(pool).execute(connection(ranOn, () -> { }));
        assertEquals(List.of(Thread.currentThread()), ranOn);
        assertTrue(pool.given.isEmpty(), "nothing for the pool");
    }

    @Test
    void anyOtherTaskGoesToThePool() {
        RecordingPool pool = new RecordingPool();
        Runnable selectorLoop = () -> { };
        new NextRequestInPlace(pool).execute(selectorLoop);
        assertEquals(List.of(selectorLoop), pool.given);
    }

    @Test
    void aHandOverFromWithinAHandOverGoesToThePoolSoPipelinedRequestsCannotDeepenTheStack() {
        RecordingPool pool = new RecordingPool();
        NextRequestInPlace executor = new NextRequestInPlace(pool);
        List<Thread> ranOn = new ArrayList<>();
        Runnable inner = connection(ranOn, () -> { });
        executor.execute(connection(ranOn, () -> executor.execute(inner)));
        assertEquals(1, ranOn.size(), "only the outer one ran in place");
        assertEquals(1, pool.given.size());
        assertSame(inner, pool.given.get(0));
        executor.execute(connection(ranOn, () -> { }));
        assertEquals(2, ranOn.size(), "after the outer run ended, a hand-over runs in place again");
    }

    @Test
    void aHandOverThatFailsLeavesTheThreadFreeToRunTheNextInPlace() {
        RecordingPool pool = new RecordingPool();
        NextRequestInPlace executor = new NextRequestInPlace(pool);
        List<Thread> ranOn = new ArrayList<>();
        try {
            executor.execute(connection(ranOn, () -> {
                throw new IllegalStateException("closed");
            }));
        } catch (IllegalStateException expected) {
            // the caller sees the failure, as it would see it from Jetty's own inline run
        }
        executor.execute(connection(ranOn, () -> { }));
        assertEquals(2, ranOn.size());
        assertTrue(pool.given.isEmpty());
    }
}
