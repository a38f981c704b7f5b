package dev.botshift.traffic.router;

import java.util.concurrent.Executor;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.thread.TryExecutor;

/**
 * The webhook port's executor: the server's thread pool, except that a connection handed over to read its next
 * request runs on the thread that hands it over.
 *
 * <p>Why: Jetty (12.1) ends every response completed asynchronously, which is every proxied one, by executing the
 * connection on the pool to read the client's next request. The router completes a response on the thread that read
 * the bot's answer, so that hand-over woke a pool thread for every request (0.66 parks of pool threads per request
 * in a profile; docs/benchmarks.md, part 8). The read it schedules is non-blocking (the connection reads what the
 * socket has, routes it without blocking, and otherwise registers for the next readable event), so it may run where
 * it is handed over; Jetty itself runs it there when the pool refuses it. At most one level deep on a thread: a
 * hand-over from within such a run goes to the pool, so a stream of pipelined requests cannot grow the stack.
 */
final class NextRequestInPlace implements TryExecutor {
    private static final ThreadLocal<Boolean> RUNNING = ThreadLocal.withInitial(() -> false);
    private final Executor pool;
    private final TryExecutor tryPool;

    NextRequestInPlace(Executor pool) {
        this.pool = pool;
        this.tryPool = TryExecutor.asTryExecutor(pool);
    }

    @Override
    public void execute(Runnable task) {
        if (!(task instanceof Connection) || RUNNING.get()) {
            pool.execute(task);
            return;
        }
        RUNNING.set(true);
        try {
            task.run();
        } finally {
            RUNNING.set(false);
        }
    }

    @Override
    public boolean tryExecute(Runnable task) {
        return tryPool.tryExecute(task);
    }
}
